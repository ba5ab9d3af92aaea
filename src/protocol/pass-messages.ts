/**
 * Messages between a solver thread and its pass helpers (src/worker/pass-pool.ts ↔
 * src/worker/pass-helper.ts), which run pieces of the Gauss–Newton pass (core/solver/pass-pieces.ts).
 *
 * solver → helper (its parentPort):  PassSetup once per problem, then PieceRequest per pass
 *   (what the helper gets when it starts, its workerData, is PassHelperData in pass-pool.ts)
 * helper → solver (a MessagePort read synchronously with receiveMessageOnPort):  PieceAnswer per
 *   PieceRequest, after which the helper sets flag[0] = 1 (Atomics.notify) — the solver thread
 *   blocks on that flag. A shared cancel flag (1 = stop) is polled by the pieces every chunk.
 */
import type { Experiment } from '../core/data/experiment.js';
import type { LossConfig } from '../core/losses/index.js';
import type { ModelConfig } from '../core/models/model.js';
import type { PieceResult, Segment } from '../core/solver/pass-pieces.js';
import type { DerivativeEngine } from '../core/solver/rnn-kernel.js';

/** The problem the following pieces belong to (its data are copied once). */
export interface PassSetup {
  type: 'setup';
  key: number;
  model: ModelConfig;
  loss: LossConfig;
  experiments: Experiment[];
}

export interface PieceRequest {
  type: 'piece';
  /** The PassSetup it refers to. */
  key: number;
  z: Float64Array;
  piece: Segment[];
  chunk: number;
  derivatives: DerivativeEngine;
}

export type ToPassHelper = PassSetup | PieceRequest;

export interface PieceAnswer {
  type: 'piece-result';
  /** null: cancelled. */
  result: PieceResult | null;
  /** Set when the piece failed (the message of the error). */
  error?: string;
}
