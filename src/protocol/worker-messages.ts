/**
 * Messages between a solver host (extension, command line, tests) and a solver worker thread.
 * Declared once; both sides import these types. Arrays travel as transferred buffers.
 *
 * host → worker:  FitRequest
 * worker → host:  ProgressMessage* then exactly one of ResultMessage | ErrorMessage
 * Cancellation:   the host sets cancel[0] = 1 in the shared Int32Array (Atomics.store); the solver
 *                 polls it between iterations and inside every accumulation chunk, then returns
 *                 its best point with status `cancelled`: the worker's answer to a cancel is its
 *                 ResultMessage. A worker that does not answer within the host's hard timeout
 *                 (graceMs: 10 s by default, 5 s in a training run) is terminated and the host
 *                 reports the last progress z with `cancel.terminated` set.
 */
import type {
  AdmmSummary,
  FitSpec,
  LinearStageSummary,
  ScreenSummary,
  ShootingSummary,
} from '../core/fit-job.js';
import type { HelperEndpoint } from './pass-messages.js';
import type { KernelVariant } from '../core/linalg/syrk-wasm.js';
import type { IterationRecord, SolverResult } from '../core/solver/types.js';

export interface FitRequest {
  type: 'fit';
  id: string;
  spec: FitSpec;
  /** Int32Array(1) over a SharedArrayBuffer: 0 = run, 1 = stop. */
  cancel: SharedArrayBuffer;
  /** Minimum milliseconds between progress messages (the last iteration is always reported). */
  progressIntervalMs: number;
  /**
   * Threads for the Gauss–Newton pass (the worker's own plus helpers, src/worker/pass-pool.ts);
   * absent or 1: the worker's thread alone.
   */
  threads?: number;
  /**
   * Helpers served by the host's thread (its ports transferred with the request), used before the
   * worker starts helper threads of its own.
   */
  helpers?: HelperEndpoint[];
}

export interface ProgressMessage {
  type: 'progress';
  id: string;
  record: IterationRecord;
  /** The current best z (a copy). */
  z: Float64Array;
}

/** A solver result without views: θ = z[0..nTheta), x0s = z[nTheta..) (or fixed). */
export interface SerializedResult extends Omit<SolverResult, 'theta' | 'x0s'> {
  nTheta: number;
  lambda?: number;
  validationLoss?: number;
  seed?: number;
  /** ADMM summary (status, residual stop, sparsity report) when the spec had non-smooth terms. */
  admm?: AdmmSummary;
  /** The linear stage (estimate, whether the fit started from it) when the spec ran it. */
  linear?: LinearStageSummary;
  /** The multiple-shooting phase, when the spec asked for it. */
  shooting?: ShootingSummary;
  /** The screening of seeded starts, when the spec asked for it. */
  screen?: ScreenSummary;
  /** The Gauss–Newton accumulation kernel the worker's engine ran (see linalg/syrk-wasm.ts). */
  kernel?: KernelVariant;
  /** Set by the host when the run was cancelled: how long the answer took, and whether it had to terminate the worker. */
  cancel?: CancelAnswer;
}

export interface CancelAnswer {
  /** Milliseconds from the cancel request to the worker's result (or to the termination). */
  answeredMs: number;
  /** true when the worker did not answer (hard timeout, failure after the request) and was terminated. */
  terminated: boolean;
  reason?: string;
}

/**
 * The linear stage's summary as soon as the stage has run, before the solver starts (a sweep's
 * other lanes take its estimate instead of computing it again: run/linear-estimates.ts).
 */
export interface LinearStageMessage {
  type: 'linear';
  id: string;
  summary: LinearStageSummary;
}

export interface ResultMessage {
  type: 'result';
  id: string;
  result: SerializedResult;
}

export interface ErrorMessage {
  type: 'error';
  id: string;
  message: string;
  /** true for bad input (a NailsError: show the message); false for an internal failure (log the stack). */
  userError: boolean;
  stack?: string;
}

export type HostToWorker = FitRequest;
export type WorkerToHost = ProgressMessage | LinearStageMessage | ResultMessage | ErrorMessage;
