/**
 * The local executor: up to `workers` fits at once on this machine. Each fit's solver runs in its
 * own worker thread (src/worker/solver-host.ts), so N fits in flight keep N cores busy; checking,
 * data loading and scoring run on the main thread between them.
 */
import { availableParallelism } from 'node:os';
import type { FitTask, SweepRow } from '../protocol/sweep.js';
import { runFitTask, type FitContext } from './fit-row.js';

export interface Executor {
  /** Runs every task; `onRow` is called once per task as it ends (also for failed fits). */
  run(
    tasks: readonly FitTask[],
    onStart: (t: FitTask) => void,
    onRow: (r: SweepRow) => void,
  ): Promise<void>;
}

export const defaultWorkers = () => Math.max(1, availableParallelism());

/** With `signal`, an abort lets the fits in flight finish and starts no more. */
export function localExecutor(
  ctx: FitContext,
  workers = defaultWorkers(),
  signal?: AbortSignal,
): Executor {
  return {
    async run(tasks, onStart, onRow) {
      let next = 0;
      const lane = async () => {
        while (next < tasks.length && !signal?.aborted) {
          const t = tasks[next++]!;
          onStart(t);
          onRow(await runFitTask(t, ctx));
        }
      };
      await Promise.all(Array.from({ length: Math.min(workers, tasks.length) }, lane));
    },
  };
}
