/** Options, per-iteration records and results shared by every solver (NAILS, NAILM, Adam, L-BFGS). */
import type { ShouldStop } from './cancellation.js';

/** Why a solver stopped: the result always says which test fired. */
export type StopReason =
  | 'ftol' // relative decrease of V below ftol
  | 'xtol' // step below xtol·(‖z‖ + xtol)
  | 'gtol' // ‖∇V‖∞ below gtol
  | 'max-iterations'
  | 'max-seconds'
  | 'cancelled'
  | 'line-search-failed' // no step along the direction decreased V enough (NAILS, L-BFGS)
  | 'damping-limit' // λ grew past its limit without an acceptable step (NAILM)
  | 'not-finite' // the starting point does not simulate to finite values
  | 'admm-converged'; // ADMM primal and dual residuals below tolerance

export const STOP_MESSAGES: Record<StopReason, string> = {
  ftol: 'converged: relative decrease of the loss below ftol',
  xtol: 'converged: step size below xtol',
  gtol: 'converged: gradient below gtol',
  'max-iterations': 'stopped: iteration budget used',
  'max-seconds': 'stopped: time budget used',
  cancelled: 'cancelled: best parameters so far returned',
  'line-search-failed':
    'stopped: the line search found no decrease (at a minimum to working precision, or a poor direction)',
  'damping-limit': 'stopped: the damping reached its limit without an acceptable step',
  'not-finite':
    'failed: the initial parameters simulate to non-finite values; start from a stable model',
  'admm-converged': 'converged: ADMM primal and dual residuals below tolerance',
};

export interface SolverOptions {
  /** Iteration budget (default 100). */
  maxIterations?: number;
  /** Wall-clock budget in seconds (default none). */
  maxSeconds?: number;
  /** Relative decrease of V (default 1e-10). */
  ftol?: number;
  /** Relative step size (default 1e-10). */
  xtol?: number;
  /** ‖∇V‖∞ (default 1e-10). */
  gtol?: number;
  /** Samples per accumulation chunk (default 512). */
  chunk?: number;
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
}

export interface SolverResult {
  method: string;
  /** The final decision vector z = (θ, x0_1..x0_E) and views of its parts. */
  z: Float64Array;
  theta: Float64Array;
  x0s: Float64Array;
  value: number;
  status: StopReason;
  message: string;
  iterations: number;
  history: IterationRecord[];
  /** Simulations (value only) and sensitivity passes (value, gradient, M) performed. */
  simulations: number;
  sensitivities: number;
  elapsed: number;
}

export function resolveOptions(
  o: SolverOptions,
): Required<Omit<SolverOptions, 'shouldStop' | 'onIteration'>> & SolverOptions {
  return {
    ...o,
    maxIterations: o.maxIterations ?? 100,
    maxSeconds: o.maxSeconds ?? Infinity,
    ftol: o.ftol ?? 1e-10,
    xtol: o.xtol ?? 1e-10,
    gtol: o.gtol ?? 1e-10,
    chunk: o.chunk ?? 512,
  };
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

/**
 * The convergence tests after an accepted step, in the order the result reports them: ‖∇V‖∞ ≤ gtol,
 * then (V_old − V) ≤ ftol·|V|, then ‖Δz‖ ≤ xtol·(‖z‖ + xtol). Undefined: go on.
 */
export function convergedAfterStep(
  o: { gtol: number; ftol: number; xtol: number },
  s: { gNorm: number; vOld: number; value: number; stepNorm: number; z: Float64Array },
): StopReason | undefined {
  if (s.gNorm <= o.gtol) return 'gtol';
  if (s.vOld - s.value <= o.ftol * Math.max(Math.abs(s.value), 1e-300)) return 'ftol';
  if (s.stepNorm <= o.xtol * (norm2(s.z) + o.xtol)) return 'xtol';
  return undefined;
}
