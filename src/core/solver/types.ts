/** Options, per-iteration records and results shared by every solver (NAILS, NAILM, Adam, L-BFGS). */
import type { ShouldStop } from './cancellation.js';
import { defaultDerivativeEngine, type DerivativeEngine } from './rnn-kernel.js';
import type { PieceRunner } from './parallel-pass.js';
import { defaultChunk } from './chunk.js';
import type { Problem } from './problem.js';

/**
 * Why a solver stopped — one reason for every solver and the ADMM outer loop, shown verbatim by
 * the command line, the report and the extension:
 *
 * - `converged`: a first-order optimality measure is below tolerance (never a small decrease alone);
 * - `stalled`: no meaningful decrease over a window of iterations, a step below xtol, the damping
 *   at its cap or a failed line search, with the gradient not small: not a verified minimum;
 * - `budget`: the iteration or time budget was used;
 * - `diverged`: the starting point does not simulate to finite values;
 * - `cancelled`: asked to stop (the best parameters so far are kept);
 * - `degenerate`: the model's output is (nearly) constant, or no better than a constant predictor.
 */
export type StopReason =
  'converged' | 'stalled' | 'budget' | 'diverged' | 'cancelled' | 'degenerate';

/** Which test fired (one per reason, or several for `stalled`, `budget`, `degenerate`). */
export type StopTest =
  | 'gradient' // first-order measure ≤ gtol
  | 'admm-residuals' // ADMM primal and dual residuals ≤ tolerance
  | 'no-decrease' // relative decrease over the stall window ≤ ftol
  | 'small-step' // ‖Δz‖ ≤ xtol·(‖z‖ + xtol)
  | 'damping-cap' // NAILM: λ at its cap without an acceptable step
  | 'line-search' // NAILS, L-BFGS: no acceptable step along the direction
  | 'iterations'
  | 'seconds'
  | 'start-not-finite'
  | 'cancel'
  | 'constant-output' // std(ŷ) ≤ 1e-3 · std(y) on every output
  | 'no-better-than-constant'; // data loss ≥ (1 − 3 %) of the best constant predictor's

export interface Stop {
  reason: StopReason;
  test: StopTest;
  /** One line, with the figures that decided it. */
  message: string;
}

export interface SolverOptions {
  /** Iteration budget (default 100). */
  maxIterations?: number;
  /** Wall-clock budget in seconds (default none). */
  maxSeconds?: number;
  /** Stalled when V decreased by less than ftol·|V| over the last `stallWindow` iterations (default 1e-9). */
  ftol?: number;
  /** Stalled when an accepted step has ‖Δz‖ ≤ xtol·(‖z‖ + xtol) (default 1e-10). */
  xtol?: number;
  /** Converged when the first-order measure ‖∇V‖∞ / max(|V|, 1e-8·|V₀|) ≤ gtol (default 1e-6). */
  gtol?: number;
  /** Iterations over which a decrease is sought before `stalled` (default 10). */
  stallWindow?: number;
  /** Samples per accumulation chunk (default: defaultChunk(p), chunk.ts). */
  chunk?: number;
  /**
   * The model's step derivatives in the Gauss–Newton pass: WebAssembly (the default for
   * state-space nets) or TypeScript (the oracle; `NAILS_DERIVATIVES=typescript` sets the default).
   */
  derivatives?: DerivativeEngine;
  /**
   * Helper threads for the Gauss–Newton pass (src/worker/pass-pool.ts); absent or without
   * helpers: the pass runs on this thread alone.
   */
  parallel?: PieceRunner;
  shouldStop?: ShouldStop;
  /** Called after every iteration with the current (best accepted) z; copy z to keep it. */
  onIteration?: (record: IterationRecord, z: Float64Array) => void;
}

export interface IterationRecord {
  iteration: number;
  /** V after this iteration (the accepted point's value). */
  value: number;
  /** ‖∇V‖∞ at the accepted point, when known. */
  gradNorm: number;
  /** ‖Δz‖₂ of the last trial. */
  stepNorm: number;
  /** NAILM damping λ after the update. */
  lambda?: number;
  /** NAILS / L-BFGS step length α, Adam learning rate. */
  alpha?: number;
  accepted: boolean;
  /** ADMM only: primal ‖z_I − ν‖, dual ρ_A‖ν − ν_prev‖ residuals and the penalty ρ_A. */
  primal?: number;
  dual?: number;
  rhoA?: number;
  /** Seconds since the solver started, and spent in this iteration. */
  elapsed: number;
  seconds: number;
  /** A row of the multiple-shooting phase: `value` is the shooting objective (problem.ts). */
  shooting?: true;
}

export interface SolverResult {
  method: string;
  /** The final decision vector z = (θ, x0_1..x0_E) and views of its parts. */
  z: Float64Array;
  theta: Float64Array;
  x0s: Float64Array;
  value: number;
  /** V at the starting point (same definition as `value`). */
  initialValue: number;
  status: StopReason;
  /** The test that fired. */
  stopTest: StopTest;
  message: string;
  /** The first-order measure ‖∇V‖∞ / max(|V|, 1e-8·|V₀|) at the returned point (NaN when unknown). */
  firstOrder: number;
  /** What was done to leave a degenerate or stalled point, in order (empty when nothing). */
  recovery: string[];
  iterations: number;
  history: IterationRecord[];
  /** Simulations (value only) and sensitivity passes (value, gradient, M) performed. */
  simulations: number;
  sensitivities: number;
  elapsed: number;
}

type Hooks = 'shouldStop' | 'onIteration' | 'parallel';
export type ResolvedOptions = Required<Omit<SolverOptions, Hooks>> & {
  [K in Hooks]: SolverOptions[K] | undefined;
};

/**
 * The options with their defaults, as one literal of one shape whatever the caller passed (not
 * `{ ...o, … }`: a copy keeps each caller's shape and stores over fields it copied, so the search's
 * hot reads of `o` would see several maps and deoptimize). Options beyond SolverOptions (a
 * method's own) are read from the caller's object.
 */
export function resolveOptions(o: SolverOptions, p: Problem): ResolvedOptions {
  return {
    parallel: o.parallel,
    shouldStop: o.shouldStop,
    onIteration: o.onIteration,
    maxIterations: o.maxIterations ?? 100,
    maxSeconds: o.maxSeconds ?? Infinity,
    ftol: o.ftol ?? 1e-9,
    xtol: o.xtol ?? 1e-10,
    gtol: o.gtol ?? 1e-6,
    stallWindow: o.stallWindow ?? 10,
    chunk: o.chunk ?? defaultChunk(p),
    derivatives: o.derivatives ?? defaultDerivativeEngine(),
  };
}

/** The first-order optimality measure ‖∇V‖∞ / max(|V|, 1e-8·|V₀|): scale-free in V. */
export function firstOrderMeasure(gradNorm: number, value: number, initialValue: number): number {
  return gradNorm / Math.max(Math.abs(value), 1e-8 * Math.abs(initialValue), Number.MIN_VALUE);
}

export function normInf(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

export function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
