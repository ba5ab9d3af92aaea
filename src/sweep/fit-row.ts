/**
 * One fit of a sweep: train the task's modified spec with its seed (the same path as
 * `nails train --seed s`) into the sweep's `fits/<id>` run folder, and turn the outcome into a
 * sweep.json row. A spec the checker refuses, or a fit that fails, is a failed row with one line
 * of reason, never an exception.
 */
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { RunReport } from '../io/run-folder.js';
import type { FitTask, SweepMetrics, SweepRow } from '../protocol/sweep.js';
import type { LinearEstimates, LinearStagesInFlight } from '../run/linear-estimates.js';
import { trainSpec, type TrainOutcome } from '../run/train-spec.js';
import { fitFolder } from './grid.js';

export interface FitContext {
  /** The spec file the sweep was started with (its folder resolves relative data paths). */
  specFile: string;
  dataDirs: string[];
  /** The sweep's folder; the run folder goes to `fits/<id>` inside it. */
  sweepDir: string;
  /** Who runs the fit, for the row (`local` or a worker name). */
  worker: string;
  workerPath?: string;
  /** Linear-stage estimates shared by the fits run with this context (run/linear-estimates.ts). */
  linearEstimates?: LinearEstimates;
  /** Linear stages the fits run with this context are computing now (linear-estimates.ts). */
  linearInFlight?: LinearStagesInFlight;
}

/** The fit's run folder, relative to the sweep folder. */
export const fitRunFolder = (id: string) => `fits/${fitFolder(id)}`;

/** The first line of an error's message. */
export const oneLine = (e: unknown) =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'failed';

/** Runs one fit; never throws (a failure is a failed row). */
export async function runFitTask(
  task: FitTask,
  ctx: FitContext,
  solverWorker?: Worker,
): Promise<SweepRow> {
  const t0 = performance.now();
  const base = {
    id: task.id,
    seed: task.seed,
    settings: task.settings,
    ...(task.fold ? { fold: task.fold } : {}),
    worker: ctx.worker,
  };
  const wall = () => (performance.now() - t0) / 1000;
  const run = fitRunFolder(task.id);
  let out: TrainOutcome;
  try {
    out = await trainSpec(ctx.specFile, {
      dataDirs: ctx.dataDirs,
      specText: task.specText,
      runDir: path.join(ctx.sweepDir, run),
      seed: task.seed,
      ...(task.iterations !== undefined ? { iterations: task.iterations } : {}),
      ...(ctx.workerPath ? { workerPath: ctx.workerPath } : {}),
      ...(solverWorker ? { solverWorker } : {}),
      ...(ctx.linearEstimates ? { linearEstimates: ctx.linearEstimates } : {}),
      ...(ctx.linearInFlight ? { linearInFlight: ctx.linearInFlight } : {}),
    }).outcome;
  } catch (e) {
    return { ...base, status: 'failed', error: oneLine(e), metrics: {}, wall: wall() };
  }
  const firstError = out.check.problems.find((p) => p.severity === 'error');
  if (!out.result || !out.report) {
    const error = firstError
      ? `line ${firstError.line}:${firstError.column}: ${firstError.message}`
      : 'the spec does not check';
    return { ...base, status: 'failed', error, metrics: {}, wall: wall() };
  }
  const r = out.result;
  const metrics = reportMetrics(out.report, out.states);
  const failed = r.status === 'diverged' || !Number.isFinite(r.value);
  return {
    ...base,
    status: failed ? 'failed' : 'done',
    ...(failed ? { error: r.message.split('\n')[0] ?? r.status } : {}),
    run,
    stop: r.status,
    metrics,
    wall: wall(),
  };
}

/** RMSE per part kind (mean over channels and parts), loss, non-zeros and states of a run. */
export function reportMetrics(report: RunReport, states?: number): SweepMetrics {
  const rmse = (kind: string) => {
    const v = report.parts
      .filter((p) => p.kind === kind)
      .flatMap((p) => p.metrics.map((m) => m.rmse ?? NaN));
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    return v.length && Number.isFinite(mean) ? mean : undefined;
  };
  const admm = report.admm as { report?: { nonZeros?: number; parameters?: number } } | undefined;
  const m: SweepMetrics = {};
  const put = (k: keyof SweepMetrics, v: number | undefined) => {
    if (v !== undefined && Number.isFinite(v)) m[k] = v;
  };
  put('trainRmse', rmse('train'));
  put('validationRmse', rmse('validation'));
  put('testRmse', rmse('test'));
  put('loss', report.value);
  put('nonzeros', admm?.report?.nonZeros);
  put('parameters', admm?.report?.parameters);
  put('states', states);
  return m;
}
