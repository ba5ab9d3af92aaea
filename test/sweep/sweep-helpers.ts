/**
 * Helpers of the sweep tests: a small fast spec, the bundled CLI, a sweep's sweep.json, a sweep of
 * seeds on the local executor.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FitTask, SweepFile, SweepRow } from '../../src/protocol/sweep';
import type { FitContext } from '../../src/sweep/fit-row';
import { localExecutor, type StartedThreads } from '../../src/sweep/local-pool';
import { ROOT } from '../helpers';

export const CLI = path.join(ROOT, 'dist', 'cli.cjs');

/** A small generated problem that trains in well under a second per fit. */
export const SMALL_SPEC = `experiment small
data {
  generate binary_output seed 2 samples 600
  train 0..300
  test 300..600 { init 20 }
}
model rnn {
  states 2
  state { hidden [3] activation tanh }
  output { hidden [3] activation tanh final sigmoid }
  seed 1
}
loss cross_entropy epsilon 1e-4
solver nails { iterations 4 }
`;

export function smallSpec(): { dir: string; spec: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-sweep-'));
  const spec = path.join(dir, 'small.nails');
  writeFileSync(spec, SMALL_SPEC);
  return { dir, spec };
}

export function nails(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

/** sweep.json of the one sweep folder the stdout names. */
export function sweepFile(stdout: string): { dir: string; file: SweepFile } {
  const dir = /^sweep folder: (.+) \(sweep\.json/m.exec(stdout)![1]!;
  return { dir, file: JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepFile };
}

/**
 * The seeds of `specFile` (as it is) on the local executor with `workers` lanes and the bundled
 * solver worker: the sweep's folder and its rows, sorted by seed.
 */
export async function localSweep(
  specFile: string,
  seeds: number[],
  workers: number,
  o: { ctx?: Partial<FitContext>; started?: StartedThreads } = {},
): Promise<{ sweepDir: string; rows: SweepRow[] }> {
  const sweepDir = mkdtempSync(path.join(tmpdir(), 'nails-local-sweep-'));
  const specText = readFileSync(specFile, 'utf8');
  const tasks: FitTask[] = seeds.map((seed) => ({
    id: `seed=${seed}`,
    seed,
    settings: {},
    specText,
    specName: path.basename(specFile),
  }));
  const rows: SweepRow[] = [];
  const ctx: FitContext = {
    specFile,
    dataDirs: [],
    sweepDir,
    worker: 'local',
    workerPath: path.join(ROOT, 'dist', 'worker.cjs'),
    ...o.ctx,
  };
  await localExecutor(ctx, workers, undefined, o.started).run(
    tasks,
    () => undefined,
    (r) => rows.push(r),
  );
  return { sweepDir, rows: rows.sort((a, b) => a.seed - b.seed) };
}
