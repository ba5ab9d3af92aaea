/**
 * The pass helper's loop, wherever it runs: in a helper thread of its own (pass-helper.ts) or on
 * the thread that started the fit (solver-host.ts: that thread only waits for the solver, so it
 * runs one helper's pieces instead of a further thread's isolate costing ~30 MB). Requests
 * (PassSetup, then PieceRequest per pass) arrive on `port`; each answer goes back on the same
 * port, after which `done[0]` is set to 1 and notified — the solver thread blocks on it
 * (pass-pool.ts). The pieces poll the setup's shared cancel flag every chunk.
 */
import type { MessagePort } from 'node:worker_threads';
import { makeLoss } from '../core/losses/index.js';
import { createModel } from '../core/models/model-factory.js';
import { Cancelled } from '../core/solver/cancellation.js';
import type { GaussNewtonWorkspace } from '../core/solver/gauss-newton.js';
import { pieceWorkspace, runPiece } from '../core/solver/pass-pieces.js';
import { makeProblem, type Problem } from '../core/solver/problem.js';
import type { PieceAnswer, ToPassHelper } from '../protocol/pass-messages.js';

/** Pieces answered on this thread so far (diagnostics and tests). */
export const servedPieces = { count: 0 };

/** Serves the pieces asked on `port` until it closes. */
export function servePieces(port: MessagePort, done: Int32Array): void {
  let problem: { key: number; p: Problem; cancel: Int32Array } | undefined;
  let ws: GaussNewtonWorkspace | undefined;
  const answer = (a: PieceAnswer) => {
    servedPieces.count++;
    port.postMessage(a);
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  };
  port.on('message', (m: ToPassHelper) => {
    if (m.type === 'setup') {
      problem = {
        key: m.key,
        cancel: new Int32Array(m.cancel),
        p: makeProblem({
          model: createModel(m.model),
          experiments: m.experiments,
          loss: makeLoss(m.loss),
          rhoTheta: 0,
          rhoX0: 0,
          trainX0: true,
        }),
      };
      ws?.release();
      ws = undefined;
      return;
    }
    try {
      if (!problem || problem.key !== m.key) throw new Error(`pass helper: no problem ${m.key}`);
      const cancel = problem.cancel;
      const o = {
        chunk: m.chunk,
        derivatives: m.derivatives,
        shouldStop: () => Atomics.load(cancel, 0) !== 0,
      };
      if (!ws || ws.chunk !== o.chunk || ws.derivatives !== o.derivatives) {
        ws?.release();
        ws = pieceWorkspace(problem.p, o);
      }
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
  port.once('close', () => {
    problem = undefined;
    ws?.release();
    ws = undefined;
  });
}
