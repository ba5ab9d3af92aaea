/**
 * The solver worker thread (bundled as dist/worker.cjs): runs one FitRequest at a time from core,
 * reports throttled progress, and polls the shared cancel flag.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { HelperEndpoint } from '../protocol/pass-messages.js';
import { NailsError } from '../core/errors.js';
import { runFit } from '../core/fit-job.js';
import { kernelVariant } from '../core/linalg/syrk-wasm.js';
import { PassPool } from './pass-pool.js';
import type {
  FitRequest,
  ProgressMessage,
  ResultMessage,
  WorkerToHost,
} from '../protocol/worker-messages.js';

const port = parentPort;
if (!port) throw new Error('solver-worker must run in a worker thread');

function post(message: WorkerToHost, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on('message', (request: FitRequest) => {
  const flag = new Int32Array(request.cancel);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  let last = 0;
  let pool: PassPool | undefined;
  try {
    const threads = request.threads ?? 1;
    if (threads > 1) {
      try {
        pool = new PassPool(
          threads - 1,
          request.spec.loss,
          request.helpers as HelperEndpoint<MessagePort>[] | undefined,
        );
      } catch {
        // No helper script beside the bundle: the pass runs on this thread alone.
      }
    }
    const spec = pool
      ? { ...request.spec, options: { ...request.spec.options, parallel: pool } }
      : request.spec;
    const outcome = runFit(spec, {
      shouldStop,
      onIteration: (record, z) => {
        const now = performance.now();
        if (now - last < request.progressIntervalMs) return;
        last = now;
        const copy = Float64Array.from(z);
        const msg: ProgressMessage = { type: 'progress', id: request.id, record, z: copy };
        post(msg, [copy.buffer]);
      },
      onLinearStage: (summary) => post({ type: 'linear', id: request.id, summary }),
    });
    const r = outcome.result;
    const z = Float64Array.from(r.z);
    const msg: ResultMessage = {
      type: 'result',
      id: request.id,
      result: {
        method: r.method,
        z,
        nTheta: r.theta.length,
        value: r.value,
        initialValue: r.initialValue,
        status: r.status,
        stopTest: r.stopTest,
        message: r.message,
        firstOrder: r.firstOrder,
        recovery: r.recovery,
        iterations: r.iterations,
        history: r.history,
        simulations: r.simulations,
        sensitivities: r.sensitivities,
        elapsed: r.elapsed,
        ...('lambda' in r && typeof r.lambda === 'number' ? { lambda: r.lambda } : {}),
        ...(outcome.validationLoss !== undefined ? { validationLoss: outcome.validationLoss } : {}),
        ...(outcome.seed !== undefined ? { seed: outcome.seed } : {}),
        ...(outcome.admm ? { admm: outcome.admm } : {}),
        ...(outcome.linear ? { linear: outcome.linear } : {}),
        ...(outcome.shooting ? { shooting: outcome.shooting } : {}),
        ...(outcome.screen ? { screen: outcome.screen } : {}),
        kernel: kernelVariant(),
      },
    };
    post(msg, [z.buffer]);
  } catch (e) {
    const user = e instanceof NailsError;
    post({
      type: 'error',
      id: request.id,
      message: e instanceof Error ? e.message : String(e),
      userError: user,
      ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
    });
  } finally {
    void pool?.close();
  }
});
