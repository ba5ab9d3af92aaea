/**
 * The extension's Run Sweep job: the settings and seeds as typed in the prompts
 * (`model.states=2,3; regularize.l1=1e-4:1e-1:log:4`, `1..3`), the sweep laid out and run on the
 * local pool (src/sweep), one event per fit with sweep.json as written. Cancel: no more fits start
 * (the host terminates the thread, and the fits in flight with it, after its grace period);
 * running the same sweep again resumes.
 */
import type { JobParams, JobResult } from '../protocol/host-jobs.js';
import type { SweepAxis } from '../protocol/sweep.js';
import { parseAxis, parseSeeds } from '../sweep/grid.js';
import { defaultWorkers, localExecutor, StartedThreads } from '../sweep/local-pool.js';
import { prepareSweep, runPrepared } from '../sweep/run-sweep.js';
import type { JobContext } from './job-context.js';

/** Parses `KEY=V1,V2; KEY=a:b:log:n` (the CLI's --set values, separated by semicolons). */
export function parseSettingsLine(line: string): SweepAxis[] {
  return line
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s)
    .map(parseAxis);
}

/** The prompts' text checked as typed: the first problem, or undefined. */
export function checkSweepInputJob(p: JobParams<'checkSweepInput'>): JobResult<'checkSweepInput'> {
  try {
    if (p.settings !== undefined) parseSettingsLine(p.settings);
    if (p.seeds !== undefined) parseSeeds(p.seeds);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function sweepJob(
  p: JobParams<'sweep'>,
  ctx: JobContext,
): Promise<JobResult<'sweep'>> {
  // The pool's threads start up while the spec is checked and the grid laid out.
  const started = new StartedThreads(defaultWorkers());
  try {
    const prepared = await prepareSweep({
      specFile: p.spec,
      dataDirs: p.dataDirs,
      axes: parseSettingsLine(p.settings),
      seeds: parseSeeds(p.seeds),
    });
    ctx.post({
      type: 'sweepPlanned',
      dir: prepared.dir,
      fits: prepared.order.length,
      skipped: prepared.skipped,
      pending: prepared.pending.length,
    });
    const abort = new AbortController();
    ctx.onCancel(() => abort.abort());
    const executor = localExecutor(
      { specFile: p.spec, dataDirs: p.dataDirs, sweepDir: prepared.dir, worker: 'local' },
      undefined,
      abort.signal,
      started,
    );
    const file = await runPrepared(prepared, executor, {
      row: (row, now) => ctx.post({ type: 'sweepRow', row, file: now }),
    });
    return { dir: prepared.dir, file };
  } finally {
    await started.close();
  }
}
