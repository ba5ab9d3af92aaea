/**
 * Messages between a solver thread and its pass helpers (src/worker/pass-pool.ts ↔
 * src/worker/pass-helper.ts), which run pieces of the Gauss–Newton pass (core/solver/pass-pieces.ts).
 *
 * Both ways go over one MessagePort per helper (HelperEndpoint: a helper thread's workerData, or
 * the endpoint the fit's host thread serves, src/worker/serve-pieces.ts):
 * solver → helper:  PassSetup once per problem, then PieceRequest per pass;
 * helper → solver (read synchronously with receiveMessageOnPort):  PieceAnswer per PieceRequest,
 *   after which the helper sets done[0] = 1 (Atomics.notify) — the solver thread blocks on that
 *   flag. The setup's shared cancel flag (1 = stop) is polled by the pieces every chunk.
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
  /** Int32Array(1): 1 = stop the running piece. */
  cancel: SharedArrayBuffer;
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

/**
 * One helper as the solver thread sees it: the port of its requests and answers, and its flag.
 * `Port` is node:worker_threads' MessagePort where it is used (protocol files import no Node module:
 * the webview type-checks them too).
 */
export interface HelperEndpoint<Port = unknown> {
  port: Port;
  /** Int32Array(1): the helper sets 1 after each answer. */
  done: SharedArrayBuffer;
}
