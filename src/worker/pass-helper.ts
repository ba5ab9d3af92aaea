/**
 * A pass helper thread (bundled as dist/pass-helper.cjs): runs pieces of the Gauss–Newton pass
 * for the solver thread that started it (src/worker/pass-pool.ts), one at a time, answering each
 * on its port and then raising the shared `done` flag the solver thread waits on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeLoss } from '../core/losses/index.js';
import { createModel } from '../core/models/model-factory.js';
import { Cancelled } from '../core/solver/cancellation.js';
import type { GaussNewtonWorkspace } from '../core/solver/gauss-newton.js';
import { pieceWorkspace, runPiece } from '../core/solver/pass-pieces.js';
import type { Problem } from '../core/solver/problem.js';
import type { PieceAnswer, ToPassHelper } from '../protocol/pass-messages.js';
import type { PassHelperData } from './pass-pool.js';

const data = workerData as PassHelperData;
const done = new Int32Array(data.done);
const cancel = new Int32Array(data.cancel);
let problem: { key: number; p: Problem } | undefined;
let ws: GaussNewtonWorkspace | undefined;

function answer(a: PieceAnswer): void {
  data.port.postMessage(a);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}

parentPort?.on('message', (m: ToPassHelper) => {
  if (m.type === 'setup') {
    problem = {
      key: m.key,
      p: {
        model: createModel(m.model),
        experiments: m.experiments,
        loss: makeLoss(m.loss),
        rhoTheta: 0,
        rhoX0: 0,
        trainX0: true,
      },
    };
    ws = undefined;
    return;
  }
  try {
    if (!problem || problem.key !== m.key) throw new Error(`pass helper: no problem ${m.key}`);
    const o = {
      chunk: m.chunk,
      derivatives: m.derivatives,
      shouldStop: () => Atomics.load(cancel, 0) !== 0,
    };
    if (!ws || ws.chunk !== o.chunk || ws.derivatives !== o.derivatives)
      ws = pieceWorkspace(problem.p, o);
    answer({ type: 'piece-result', result: runPiece(problem.p, m.z, m.piece, o, ws) });
  } catch (e) {
    if (e instanceof Cancelled) answer({ type: 'piece-result', result: null });
    else
      answer({
        type: 'piece-result',
        result: null,
        error: e instanceof Error ? e.message : String(e),
      });
  }
});
