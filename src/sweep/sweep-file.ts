/**
 * The sweep's folder and its `sweep.json`: where a sweep lives (a folder named by the spec and a
 * fingerprint of what it trains, so re-running the same sweep finds it and skips its done rows),
 * reading a previous file, and writing the file atomically after every row.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { checkRunFile } from '../io/run-folder-schema.js';
import { sweepFileSchema } from '../io/sweep-file-schema.js';
import { SWEEP_FORMAT, type SweepFile, type SweepRow } from '../protocol/sweep.js';
import { bestSettings, paretoFront, selectMetric } from './pareto.js';

export const SWEEP_JSON = 'sweep.json';

/**
 * The sweep's folder under `out`: `<name>-sweep-<fingerprint>`, the fingerprint of the spec text
 * and the options that change every fit (iterations, folds). Settings and seeds are not in it:
 * a larger grid over the same spec reuses the rows it shares with a smaller one.
 */
export function sweepFolder(
  out: string,
  name: string,
  specText: string,
  options: { iterations?: number; folds?: number },
): string {
  const h = createHash('sha256')
    .update(JSON.stringify([specText, options.iterations ?? null, options.folds ?? null]))
    .digest('hex')
    .slice(0, 10);
  return path.join(out, `${name}-sweep-${h}`);
}

/**
 * The rows of a previous run of this sweep (none when there is no sweep.json); a file that does
 * not check is one line naming the file and the field.
 */
export function previousRows(dir: string): SweepRow[] {
  const file = path.join(dir, SWEEP_JSON);
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new NailsError(`${file} is not JSON; move it away to start the sweep afresh`, file);
  }
  if ((json as { format?: unknown } | null)?.format === undefined)
    throw new NailsError(`${file} is not a ${SWEEP_FORMAT} file (format undefined)`, file);
  return checkRunFile(sweepFileSchema, json, file, SWEEP_FORMAT).rows as SweepRow[];
}

/** sweep.json with the selection, Pareto front and best settings computed from the rows. */
export function summarise(
  base: Omit<SweepFile, 'rows' | 'pareto' | 'selectBy' | 'best' | 'updated'>,
  rows: SweepRow[],
): SweepFile {
  const selectBy = selectMetric(rows);
  const best = bestSettings(rows, selectBy);
  return {
    ...base,
    selectBy,
    rows,
    pareto: paretoFront(rows, selectBy, base.grid.folds !== undefined),
    ...(best ? { best } : {}),
    updated: new Date().toISOString(),
  };
}

/** Writes sweep.json atomically (a reader never sees half a file). */
export function writeSweepFile(dir: string, s: SweepFile): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SWEEP_JSON);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(s, null, 1)}\n`);
  renameSync(tmp, file);
}
