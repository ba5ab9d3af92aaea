/**
 * The local executor: a pool of `workers` solver worker threads, each running the solves of one
 * fit after another (the engine compiles the kernels once per thread), so N fits in flight keep
 * N cores busy; checking, data loading and scoring run on the main thread between solves. A thread
 * that had to be terminated is replaced. Multi-start specs use their own pool per fit. The fits
 * share their linear stages (run/linear-estimates.ts): a fit whose training data and model
 * another fit had takes its estimate (a fit that only reports the stage as its baseline, also
 * while the other one is still computing it).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { defaultWorkerPath } from '../worker/solver-host.js';
import type { FitTask, SweepRow } from '../protocol/sweep.js';
import type {
  LinearEstimate,
  LinearEstimates,
  LinearStagesInFlight,
} from '../run/linear-estimates.js';
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

/**
 * Solver threads started before a sweep's fits are known, so that they start up (Node's thread,
 * the worker's bundle) while the main thread checks the spec and lays out the grid. The local
 * executor takes them before starting threads of its own and ends those its lanes do not need;
 * `close` ends the rest (call it whatever happens, also when the sweep fails before running).
 * They run `workerPath`, which must be the executor's (both default to defaultWorkerPath()).
 */
export class StartedThreads {
  private readonly idle: { worker: Worker; alive: boolean; dead: () => void }[];

  constructor(count: number, workerPath?: string) {
    this.idle = Array.from({ length: count }, () => {
      const worker = new Worker(workerPath ?? defaultWorkerPath());
      const t = { worker, alive: true, dead: () => (t.alive = false) };
      // A thread that failed to start, or was ended, is not handed out.
      worker.once('error', t.dead).once('exit', t.dead);
      return t;
    });
  }

  /** How many threads not taken yet are still running. */
  alive(): number {
    return this.idle.filter((t) => t.alive).length;
  }

  /** A started thread not taken yet that is still running, or undefined. */
  take(): Worker | undefined {
    for (let t = this.idle.pop(); t; t = this.idle.pop()) {
      if (t.alive) {
        t.worker.off('error', t.dead).off('exit', t.dead);
        return t.worker;
      }
    }
    return undefined;
  }

  /** Ends the threads not taken (they stay listed, as ended: `alive()` counts them no more). */
  async close(): Promise<void> {
    await Promise.all(this.idle.map((t) => t.worker.terminate()));
  }
}

/**
 * With `signal`, an abort lets the fits in flight finish and starts no more. `started`: threads
 * to take before starting new ones (those the lanes do not take are ended when the lanes start).
 */
export function localExecutor(
  ctx: FitContext,
  workers = defaultWorkers(),
  signal?: AbortSignal,
  started?: StartedThreads,
): Executor {
  return {
    async run(tasks, onStart, onRow) {
      // One linear stage per distinct training set and model for the whole sweep, also between
      // fits running at the same time.
      const linearEstimates: LinearEstimates =
        ctx.linearEstimates ?? new Map<string, LinearEstimate>();
      const linearInFlight: LinearStagesInFlight = ctx.linearInFlight ?? new Map<string, never>();
      const shared: FitContext = { ...ctx, linearEstimates, linearInFlight };
      let next = 0;
      const lane = async () => {
        let thread: Worker | undefined;
        let alive = false;
        try {
          while (next < tasks.length && !signal?.aborted) {
            const t = tasks[next++]!;
            if (!alive) {
              thread = started?.take() ?? new Worker(ctx.workerPath ?? defaultWorkerPath());
              alive = true;
              thread.once('exit', () => (alive = false));
            }
            onStart(t);
            onRow(await runFitTask(t, shared, thread));
          }
        } finally {
          if (alive) await thread?.terminate();
        }
      };
      const lanes = Array.from({ length: Math.min(workers, tasks.length) }, lane);
      // Every lane took its first thread before its first await: the other started ones go.
      void started?.close();
      await Promise.all(lanes);
    },
  };
}
