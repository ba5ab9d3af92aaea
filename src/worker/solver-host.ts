/**
 * Host side of the solver worker: runs fits in worker threads with progress, cancellation that
 * stops within a fraction of a second, and multi-start on a small pool.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NailsError } from '../core/errors.js';
import type { FitSpec } from '../core/fit-job.js';
import type { IterationRecord } from '../core/solver/types.js';
import type { FitRequest, SerializedResult, WorkerToHost } from '../protocol/worker-messages.js';

export interface FitHandle {
  /** Resolves with the result (status `cancelled` after cancel()); rejects on bad input or a crash. */
  result: Promise<SerializedResult>;
  /** Asks the solver to stop; terminates the worker if it has not answered within `graceMs`. */
  cancel(): void;
}

export interface FitRunOptions {
  /** Path of the bundled worker (default: worker.cjs next to this bundle). */
  workerPath?: string;
  onProgress?: (record: IterationRecord, z: Float64Array) => void;
  progressIntervalMs?: number;
  /** Milliseconds to wait after cancel() before terminating the thread (default 300). */
  graceMs?: number;
}

let counter = 0;

/** The bundled worker beside the running bundle (dist/worker.cjs). */
export function defaultWorkerPath(): string {
  const here =
    typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  return path.join(here, 'worker.cjs');
}

/** Starts one fit in its own worker thread. */
export function startFit(spec: FitSpec, o: FitRunOptions = {}): FitHandle {
  const id = `fit-${++counter}`;
  const worker = new Worker(o.workerPath ?? defaultWorkerPath());
  const cancelBuffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelBuffer);
  let lastZ: Float64Array | undefined;
  let lastRecord: IterationRecord | undefined;
  let settled = false;
  let cancelledAt = 0;
  let resolveFn!: (r: SerializedResult) => void;
  let rejectFn!: (e: Error) => void;
  const result = new Promise<SerializedResult>((resolve, reject) => {
    resolveFn = resolve;
    rejectFn = reject;
  });
  const done = (f: () => void) => {
    if (settled) return;
    settled = true;
    f();
    void worker.terminate();
  };
  worker.on('message', (m: WorkerToHost) => {
    if (m.type === 'progress') {
      lastZ = m.z;
      lastRecord = m.record;
      o.onProgress?.(m.record, m.z);
    } else if (m.type === 'result') done(() => resolveFn(m.result));
    else
      done(() =>
        rejectFn(
          m.userError
            ? new NailsError(m.message)
            : new Error(`solver worker failed: ${m.message}\n${m.stack ?? ''}`),
        ),
      );
  });
  worker.on('error', (e) => done(() => rejectFn(new Error(`solver worker crashed: ${e.message}`))));
  worker.on('exit', (code) => {
    if (settled) return;
    if (cancelledAt > 0)
      done(() => resolveFn(cancelledResult(spec, lastZ, lastRecord, cancelledAt)));
    else done(() => rejectFn(new Error(`solver worker exited unexpectedly (code ${code})`)));
  });
  const request: FitRequest = {
    type: 'fit',
    id,
    spec,
    cancel: cancelBuffer,
    progressIntervalMs: o.progressIntervalMs ?? 100,
  };
  worker.postMessage(request);
  return {
    result,
    cancel() {
      if (settled || cancelledAt > 0) return;
      cancelledAt = performance.now();
      Atomics.store(flag, 0, 1);
      setTimeout(() => {
        if (!settled) void worker.terminate();
      }, o.graceMs ?? 300).unref();
    },
  };
}

/** The result reported when the thread had to be terminated: the last progress z. */
function cancelledResult(
  spec: FitSpec,
  z: Float64Array | undefined,
  rec: IterationRecord | undefined,
  since: number,
): SerializedResult {
  const z0 = z ?? ('z' in spec.init ? spec.init.z : new Float64Array(0));
  return {
    method: spec.method.toUpperCase(),
    z: z0,
    nTheta: -1,
    value: rec?.value ?? NaN,
    initialValue: NaN,
    status: 'cancelled',
    stopTest: 'cancel',
    firstOrder: NaN,
    recovery: [],
    message: `cancelled: the solver did not stop within the grace period and was terminated after ${Math.round(performance.now() - since)} ms; last reported parameters returned`,
    iterations: rec?.iteration ?? 0,
    history: rec ? [rec] : [],
    simulations: 0,
    sensitivities: 0,
    elapsed: rec?.elapsed ?? 0,
  };
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
