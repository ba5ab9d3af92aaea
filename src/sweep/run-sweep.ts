/**
 * A sweep from start to end: check the spec, expand the grid (settings × seeds × folds) into
 * fits with their modified spec texts, skip the fits a previous run of the same sweep finished,
 * run the rest on an executor (local pool or queue), and write sweep.json after every fit.
 * A setting the spec cannot take is a failed row with the reason; it does not stop the sweep.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { compileSpec } from '../language/compiler.js';
import { checkSpecFile } from '../language/load-spec.js';
import { applyFold, foldWindows, trainRecord } from '../language/spec-folds.js';
import { applySettings } from '../language/spec-settings.js';
import type { FitTask, SweepAxis, SweepFile, SweepFold, SweepRow } from '../protocol/sweep.js';
import { SWEEP_FORMAT } from '../protocol/sweep.js';
import { oneLine } from './fit-row.js';
import { combinations, fitId } from './grid.js';
import type { Executor } from './local-pool.js';
import { previousRows, summarise, sweepFolder, writeSweepFile } from './sweep-file.js';
import type { Analysis } from '../language/analysis.js';

export interface SweepPlan {
  specFile: string;
  dataDirs: string[];
  axes: SweepAxis[];
  seeds: number[];
  iterations?: number;
  folds?: number;
  /** Folder for sweep folders (default: sweeps/ beside the spec). */
  out?: string;
  /** Run at most this many of the fits still to do (the rest on the next run). */
  limit?: number;
}

export interface PreparedSweep {
  dir: string;
  /** The sweep folder's name: the prefix of its queue job ids. */
  key: string;
  specText: string;
  analysis: Analysis;
  /** Fits to run now, in grid order. */
  pending: FitTask[];
  /** Every row known before running: done rows of a previous run, rows that failed to set up. */
  rows: Map<string, SweepRow>;
  /** Ids of every fit of the grid, in grid order. */
  order: string[];
  skipped: number;
  base: Omit<SweepFile, 'rows' | 'pareto' | 'selectBy' | 'best' | 'updated'>;
}

/** Checks the spec and lays out the sweep's fits (nothing runs yet). */
export async function prepareSweep(p: SweepPlan): Promise<PreparedSweep> {
  let specText: string;
  try {
    specText = readFileSync(p.specFile, 'utf8');
  } catch {
    throw new NailsError(`cannot read spec file '${p.specFile}'`, p.specFile);
  }
  const check = await checkSpecFile(p.specFile, p.dataDirs);
  const first = check.problems.find((x) => x.severity === 'error');
  if (first || !check.analysis.resolved)
    throw new NailsError(
      `${first?.text ?? `${p.specFile}: the spec does not check`} (${check.errors} error(s); fix the spec before sweeping)`,
    );
  const name = check.analysis.resolved.name;
  const out = p.out ?? path.join(path.dirname(path.resolve(p.specFile)), 'sweeps');
  const dir = sweepFolder(out, name, specText, {
    ...(p.iterations !== undefined ? { iterations: p.iterations } : {}),
    ...(p.folds !== undefined ? { folds: p.folds } : {}),
  });
  let folds: (SweepFold | undefined)[] = [undefined];
  let offset = 0;
  if (p.folds !== undefined) {
    const compiled = compileSpec(check.analysis.resolved);
    const n = compiled.parts.find((x) => x.kind === 'train')!.raw.N;
    const [a, b] = trainRecord(specText, n);
    offset = a;
    folds = foldWindows(b - a, p.folds);
  }
  const previous = new Map(previousRows(dir).map((r) => [r.id, r]));
  const rows = new Map<string, SweepRow>();
  const pending: FitTask[] = [];
  const order: string[] = [];
  let skipped = 0;
  for (const settings of combinations(p.axes)) {
    let text: string | undefined;
    let error: string | undefined;
    try {
      text = applySettings(specText, settings);
    } catch (e) {
      error = oneLine(e);
    }
    for (const seed of p.seeds)
      for (const fold of folds) {
        const id = fitId(settings, seed, fold);
        order.push(id);
        const before = previous.get(id);
        if (before?.status === 'done') {
          rows.set(id, before);
          skipped++;
          continue;
        }
        let fitText = text;
        let fitError = error;
        if (fitText !== undefined && fold)
          try {
            fitText = applyFold(fitText, fold, offset);
          } catch (e) {
            fitError = oneLine(e);
            fitText = undefined;
          }
        const task = {
          id,
          seed,
          settings,
          ...(fold ? { fold } : {}),
          ...(p.iterations !== undefined ? { iterations: p.iterations } : {}),
        };
        if (fitText === undefined)
          rows.set(id, {
            ...task,
            status: 'failed',
            error: fitError ?? 'failed',
            metrics: {},
            wall: 0,
          });
        else pending.push({ ...task, specText: fitText, specName: path.basename(p.specFile) });
      }
  }
  const now = new Date().toISOString();
  return {
    dir,
    key: path.basename(dir),
    specText,
    analysis: check.analysis,
    pending: p.limit !== undefined ? pending.slice(0, p.limit) : pending,
    rows,
    order,
    skipped,
    base: {
      format: SWEEP_FORMAT,
      spec: p.specFile,
      grid: {
        axes: p.axes,
        seeds: p.seeds,
        ...(p.iterations !== undefined ? { iterations: p.iterations } : {}),
        ...(p.folds !== undefined ? { folds: p.folds } : {}),
      },
      started: now,
    },
  };
}

/**
 * Runs the pending fits on `executor`, writing sweep.json after each (`hooks.row` gets the row and
 * the file as written); returns the final file.
 */
export async function runPrepared(
  s: PreparedSweep,
  executor: Executor,
  hooks: { start?: (t: FitTask) => void; row?: (r: SweepRow, file: SweepFile) => void } = {},
): Promise<SweepFile> {
  const file = () =>
    summarise(
      s.base,
      s.order.filter((id) => s.rows.has(id)).map((id) => s.rows.get(id)!),
    );
  writeSweepFile(s.dir, file());
  const seen = new Set<string>();
  await executor.run(
    s.pending,
    (t) => hooks.start?.(t),
    (r) => {
      // Each fit once, whatever an executor reports twice (a retried queue job).
      if (seen.has(r.id)) return;
      seen.add(r.id);
      s.rows.set(r.id, r);
      const now = file();
      writeSweepFile(s.dir, now);
      hooks.row?.(r, now);
    },
  );
  const final = file();
  writeSweepFile(s.dir, final);
  return final;
}
