/**
 * NAILS: sequential least squares with a backtracking line search (ALGORITHM.md §3), run by the
 * iteration driver (driver.ts).
 *
 *   Δ = −(M + μ I)⁻¹ ∇V   (μ = 0, or the smallest of 1e-12·max diag(M)·10^k that factorises)
 *   z⁺ = z + α Δ,  α ∈ {1, β, β², …} until  V(z + αΔ) ≤ V(z) + c α ∇Vᵀ Δ   (c = 1e-4, β = 0.5)
 *
 * A non-finite V at a trial is a rejected trial. No acceptable α within `maxBacktracks` trials,
 * or a Δ that is not a descent direction, ends the search (`line-search`).
 */
import { directionalDerivative, solveDamped } from './block-arrow.js';
import { drive, type DriveOptions, type Search, type StepOutcome } from './driver.js';
import {
  accumulateGaussNewton,
  GaussNewtonWorkspace,
  gradientVector,
  type GaussNewtonSystem,
} from './gauss-newton.js';
import { checkProblem, evaluateV, zSize, type Problem } from './problem.js';
import {
  norm2,
  normInf,
  resolveOptions,
  type ResolvedOptions,
  type SolverOptions,
  type SolverResult,
} from './types.js';

export interface NailsOptions extends SolverOptions {
  /** Armijo constant c (default 1e-4). */
  c?: number;
  /** Backtracking factor β (default 0.5). */
  beta?: number;
  /** Trials per line search (default 30). */
  maxBacktracks?: number;
}

/** Armijo's sufficient decrease: V(z + αΔ) ≤ V(z) + c α ∇VᵀΔ (∇VᵀΔ < 0). */
export function armijo(
  vTrial: number,
  value: number,
  c: number,
  alpha: number,
  dd: number,
): boolean {
  return Number.isFinite(vTrial) && vTrial <= value + c * alpha * dd;
}

class NailsSearch implements Search {
  readonly method = 'NAILS';
  readonly z: Float64Array;
  simulations = 0;
  sensitivities = 0;
  private sys?: GaussNewtonSystem;
  private readonly ws: GaussNewtonWorkspace;
  private readonly trial: Float64Array;
  private readonly delta: Float64Array;

  constructor(
    private readonly p: Problem,
    z0: Float64Array,
    private readonly o: ResolvedOptions,
    private readonly c: number,
    private readonly beta: number,
    private readonly maxBacktracks: number,
  ) {
    this.z = Float64Array.from(z0);
    this.ws = new GaussNewtonWorkspace(p, o.chunk);
    this.trial = new Float64Array(zSize(p));
    this.delta = new Float64Array(zSize(p));
  }

  private accumulate(at: Float64Array): GaussNewtonSystem {
    this.sensitivities++;
    return accumulateGaussNewton(
      this.p,
      at,
      { chunk: this.o.chunk, ...(this.o.shouldStop ? { shouldStop: this.o.shouldStop } : {}) },
      this.ws,
    );
  }

  start() {
    const sys = (this.sys = this.accumulate(this.z));
    if (!sys.finite) return { value: Infinity, gradNorm: NaN };
    return { value: sys.value, gradNorm: normInf(gradientVector(sys)) };
  }

  step(): StepOutcome {
    const sys = this.sys!;
    const { z, trial, delta } = this;
    const value = sys.value;
    // Smallest damping that makes M + μI factorise (μ = 0 first).
    let maxDiag = 0;
    for (let a = 0; a < sys.nTheta; a++) maxDiag = Math.max(maxDiag, sys.Mtt[a * sys.nTheta + a]!);
    let mu = 0;
    while (!solveDamped(sys, mu, 'identity', delta)) {
      mu = mu === 0 ? 1e-12 * Math.max(maxDiag, 1e-300) : mu * 10;
      if (mu > 1e10 * Math.max(maxDiag, 1)) break;
    }
    const dd = directionalDerivative(sys, delta);
    const failed = {
      accepted: false,
      value,
      gradNorm: NaN,
      stepNorm: NaN,
      cannot: 'line-search' as const,
    };
    if (!(dd < 0)) return failed;
    let alpha = 1;
    for (let t = 0; t < this.maxBacktracks; t++) {
      for (let i = 0; i < z.length; i++) trial[i] = z[i]! + alpha * delta[i]!;
      const vTrial = evaluateV(this.p, trial);
      this.simulations++;
      if (armijo(vTrial, value, this.c, alpha, dd)) {
        this.sys = this.accumulate(trial);
        z.set(trial);
        return {
          accepted: true,
          value: this.sys.value,
          gradNorm: normInf(gradientVector(this.sys)),
          stepNorm: alpha * norm2(delta),
          alpha,
        };
      }
      alpha *= this.beta;
    }
    return { ...failed, alpha };
  }
}

export function nails(
  p: Problem,
  z0: Float64Array,
  options: NailsOptions = {},
  d: DriveOptions = {},
): SolverResult {
  checkProblem(p);
  const o = resolveOptions(options);
  const search = new NailsSearch(
    p,
    z0,
    o,
    options.c ?? 1e-4,
    options.beta ?? 0.5,
    options.maxBacktracks ?? 30,
  );
  return drive(p, search, o, d);
}
