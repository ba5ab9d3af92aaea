/**
 * Host side of the solver worker: runs fits in worker threads with progress, cancellation that
 * stops within a fraction of a second, and multi-start on a small pool. A cancel always ends in a
 * result: the worker's own answer (its best parameters), or, when it does not answer within the
 * hard timeout (or fails after the request), the last reported parameters, saying so.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { NailsError } from '../core/errors.js';
import { prepareFit, type FitSpec, type LinearStageSummary } from '../core/fit-job.js';
import type { IterationRecord } from '../core/solver/types.js';
import type { HelperEndpoint } from '../protocol/pass-messages.js';
import type { FitRequest, SerializedResult, WorkerToHost } from '../protocol/worker-messages.js';
import { servePieces } from './serve-pieces.js';

export interface FitHandle {
  /**
   * Resolves with the result (status `cancelled` after cancel(), also when the worker had to be
   * terminated or failed after the request); rejects on bad input or a crash without a cancel.
   */
  result: Promise<SerializedResult>;
  /** Asks the solver to stop; the worker answers with its final result (see `graceMs`). */
  cancel(): void;
}

export interface FitRunOptions {
  /** Path of the bundled worker (default: worker.cjs next to this bundle). */
  workerPath?: string;
  onProgress?: (record: IterationRecord, z: Float64Array) => void;
  progressIntervalMs?: number;
  /** The linear stage's summary, as soon as the worker has run it (before the solver starts). */
  onLinearStage?: (summary: LinearStageSummary) => void;
  /**
   * Milliseconds to wait for the worker's answer after cancel() before terminating the thread
   * (default 10,000: a solver polls the flag every chunk and answers in well under a second;
   * the timeout is for a worker that hangs, and the result says it fired).
   */
  graceMs?: number;
  /**
   * A solver worker lent by a pool (several fits one after another on one thread: the engine
   * compiles the kernels once). It is left running after the fit, its listeners removed, unless
   * it had to be terminated (a cancel it did not answer); a pool replaces a worker that exited.
   */
  worker?: Worker;
  /**
   * Threads for the fit's Gauss–Newton pass: default `defaultThreads()` (NAILS_THREADS, else the
   * available cores up to 2) for a fit run alone, 1 on a lent worker (sweeps, whose pools
   * already fill the cores).
   */
  threads?: number;
  /**
   * With threads > 1: this thread serves one of the pass helpers (serve-pieces.ts) instead of the
   * worker starting a further thread for it (default true: the host only waits for the fit, and a
   * thread's isolate costs ~30 MB of a 1e6-sample fit's peak memory).
   */
  hostHelper?: boolean;
}

/** Default of FitRunOptions.graceMs. */
export const CANCEL_HARD_TIMEOUT_MS = 10_000;

let counter = 0;

/** The bundled worker beside the running bundle (dist/worker.cjs). */
export function defaultWorkerPath(): string {
  const here =
    typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  return path.join(here, 'worker.cjs');
}

/**
 * Threads for a fit run alone: NAILS_THREADS when set (a positive integer), else the available
 * cores up to 2.
 */
export function defaultThreads(): number {
  const env = Number(process.env['NAILS_THREADS']);
  return Number.isInteger(env) && env >= 1 ? env : Math.min(2, availableParallelism());
}

/** A pass helper served on this thread: the endpoint to give the solver, and its closing. */
function hostHelper(): { endpoint: HelperEndpoint<MessagePort>; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const done = new SharedArrayBuffer(4);
  servePieces(port2, new Int32Array(done));
  // The fit's own messages keep the process alive; this port must not.
  port2.unref();
  return { endpoint: { port: port1, done }, close: () => port2.close() };
}

/** Starts one fit in its own worker thread. */
export function startFit(spec: FitSpec, o: FitRunOptions = {}): FitHandle {
  const id = `fit-${++counter}`;
  const lent = o.worker;
  const worker = lent ?? new Worker(o.workerPath ?? defaultWorkerPath());
  const cancelBuffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelBuffer);
  let lastZ: Float64Array | undefined;
  /** Every progress record received (throttled by progressIntervalMs). */
  const reported: IterationRecord[] = [];
  let settled = false;
  let cancelledAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let resolveFn!: (r: SerializedResult) => void;
  let rejectFn!: (e: Error) => void;
  const result = new Promise<SerializedResult>((resolve, reject) => {
    resolveFn = resolve;
    rejectFn = reject;
  });
  const threads = o.threads ?? (lent ? 1 : defaultThreads());
  const served = threads > 1 && o.hostHelper !== false ? hostHelper() : undefined;
  const done = (f: () => void, terminate = !lent) => {
    if (settled) return;
    settled = true;
    if (timer) clearTimeout(timer);
    served?.close();
    f();
    if (terminate) void worker.terminate();
    else {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    }
  };
  /** After a cancel request, every ending is a result: the last reported parameters. */
  const fallback = (why: string) =>
    done(() => {
      try {
        resolveFn(cancelledResult(spec, lastZ, reported, why));
      } catch (e) {
        rejectFn(e instanceof Error ? e : new Error(String(e)));
      }
    }, true);
  const onMessage = (m: WorkerToHost) => {
    if (m.id !== id) return;
    if (m.type === 'progress') {
      lastZ = m.z;
      reported.push(m.record);
      o.onProgress?.(m.record, m.z);
    } else if (m.type === 'linear') o.onLinearStage?.(m.summary);
    else if (m.type === 'result')
      done(() =>
        resolveFn(
          cancelledAt > 0
            ? {
                ...m.result,
                cancel: { answeredMs: performance.now() - cancelledAt, terminated: false },
              }
            : m.result,
        ),
      );
    else if (cancelledAt > 0)
      fallback(`the solver worker failed after the cancel request (${m.message})`);
    else
      done(() =>
        rejectFn(
          m.userError
            ? new NailsError(m.message)
            : new Error(`solver worker failed: ${m.message}\n${m.stack ?? ''}`),
        ),
      );
  };
  const onError = (e: Error) => {
    if (cancelledAt > 0)
      fallback(`the solver worker crashed after the cancel request (${e.message})`);
    else done(() => rejectFn(new Error(`solver worker crashed: ${e.message}`)), true);
  };
  const onExit = (code: number) => {
    if (settled) return;
    if (cancelledAt > 0) fallback(`the solver worker exited (code ${code}) without answering`);
    else done(() => rejectFn(new Error(`solver worker exited unexpectedly (code ${code})`)), true);
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  const request: FitRequest = {
    type: 'fit',
    id,
    spec,
    cancel: cancelBuffer,
    progressIntervalMs: o.progressIntervalMs ?? 100,
    threads,
    ...(served ? { helpers: [served.endpoint] } : {}),
  };
  worker.postMessage(request, served ? [served.endpoint.port] : []);
  return {
    result,
    cancel() {
      if (settled || cancelledAt > 0) return;
      cancelledAt = performance.now();
      Atomics.store(flag, 0, 1);
      const limit = o.graceMs ?? CANCEL_HARD_TIMEOUT_MS;
      timer = setTimeout(
        () =>
          fallback(
            `the solver did not answer the cancel request within ${limit} ms and was terminated`,
          ),
        limit,
      );
      timer.unref();
    },
  };

  /** The result when the worker could not answer: the last reported z (or the start) and history. */
  function cancelledResult(
    fit: FitSpec,
    z: Float64Array | undefined,
    history: IterationRecord[],
    why: string,
  ): SerializedResult {
    // Not the linear stage here (it can take seconds on long records, on the host's thread): the
    // seeded start stands in for a start the worker never reported, unless its estimate is known.
    const start: FitSpec = { ...fit };
    if (start.linear && !start.linear.estimate) delete start.linear;
    const { problem, z0 } = prepareFit(start);
    const last = history.at(-1);
    return {
      method: fit.method.toUpperCase(),
      z: z && z.length === z0.length ? z : z0,
      nTheta: problem.model.nTheta,
      value: last?.value ?? NaN,
      initialValue: history[0]?.value ?? NaN,
      status: 'cancelled',
      stopTest: 'cancel',
      firstOrder: NaN,
      recovery: [],
      message: `cancelled: ${why}; the last reported parameters (iteration ${last?.iteration ?? 0}) returned`,
      iterations: last?.iteration ?? 0,
      history,
      simulations: 0,
      sensitivities: 0,
      elapsed: last?.elapsed ?? 0,
      cancel: { answeredMs: performance.now() - cancelledAt, terminated: true, reason: why },
    };
  }
}

export interface MultiStartOptions extends FitRunOptions {
  /** Number of starts (seeds seed, seed+1, …). */
  starts: number;
  seed: number;
  /** Threads at once (default min(starts, available cores)). */
  poolSize?: number;
  /** Pick the best by training loss or by the spec's validation experiments. */
  select: 'train' | 'validation';
  onStartDone?: (index: number, r: SerializedResult) => void;
  onStartProgress?: (index: number, record: IterationRecord) => void;
}

export interface MultiStartHandle {
  result: Promise<{ best: SerializedResult; bestIndex: number; all: SerializedResult[] }>;
  cancel(): void;
}

/** Runs several seeded starts on a pool of worker threads; every start's result is kept. */
export function startMultiStart(spec: FitSpec, o: MultiStartOptions): MultiStartHandle {
  if (!(Number.isInteger(o.starts) && o.starts >= 1))
    throw new NailsError(`starts must be a positive integer, got ${o.starts}`, 'starts');
  if (o.select === 'validation' && !(spec.validation && spec.validation.length > 0)) {
    throw new NailsError('select validation needs validation experiments in the spec', 'select');
  }
  const pool = Math.max(1, Math.min(o.poolSize ?? availableParallelism(), o.starts));
  const results: SerializedResult[] = new Array<SerializedResult>(o.starts);
  const running = new Set<FitHandle>();
  let next = 0;
  let cancelled = false;
  const runOne = async (): Promise<void> => {
    while (next < o.starts && !cancelled) {
      const index = next++;
      const copy: FitSpec = {
        ...spec,
        train: spec.train.map((e) => ({
          ...e,
          u: Float64Array.from(e.u),
          y: Float64Array.from(e.y),
        })),
        init: { seed: o.seed + index },
      };
      const h = startFit(copy, {
        ...o,
        // Starts run side by side: one thread each, unless one start at a time.
        ...(pool > 1 ? { threads: 1 } : {}),
        ...(o.onStartProgress
          ? { onProgress: (r: IterationRecord) => o.onStartProgress!(index, r) }
          : {}),
      });
      running.add(h);
      try {
        const r = await h.result;
        results[index] = r;
        o.onStartDone?.(index, r);
      } finally {
        running.delete(h);
      }
    }
  };
  const result = (async () => {
    await Promise.all(Array.from({ length: pool }, () => runOne()));
    const done = results.filter((r): r is SerializedResult => r !== undefined);
    if (done.length === 0) throw new NailsError('cancelled before any start finished');
    const score = (r: SerializedResult) =>
      o.select === 'validation' ? (r.validationLoss ?? Infinity) : r.value;
    let bestIndex = results.indexOf(done[0]!);
    results.forEach((r, i) => {
      if (r && score(r) < score(results[bestIndex]!)) bestIndex = i;
    });
    return { best: results[bestIndex]!, bestIndex, all: done };
  })();
  return {
    result,
    cancel() {
      cancelled = true;
      for (const h of running) h.cancel();
    },
  };
}
