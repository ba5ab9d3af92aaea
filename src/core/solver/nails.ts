/**
 * NAILS: sequential least squares with a backtracking line search (ALGORITHM.md §3), run by the
 * iteration driver (driver.ts).
 *
 *   Δ = −(M + μ I)⁻¹ ∇V   (μ = 0, or the smallest of 1e-12·max diag(M)·10^k that factorises)
 *   z⁺ = z + α Δ,  α ∈ {1, β, β², …} until  V(z + αΔ) ≤ V(z) + c α ∇Vᵀ Δ   (c = 1e-4, β = 0.5)
 *
 * A non-finite V at a trial is a rejected trial. When no α within `maxBacktracks` trials is
 * acceptable (M nearly singular: Δ is huge along its null space), Δ is recomputed with a larger
 * μ = 1e-6·max diag(M)·100^k (k = 0…5) and searched again; only when all fail does the search
 * end (`line-search`). The μ of an accepted step is recorded as its λ; after a damped step the
 * next one starts from μ/10, back to the undamped Δ once μ < 1e-6·max diag(M).
 */
import { directionalDerivative, solveDamped } from './block-arrow.js';
import { drive, type DriveOptions, type StepOutcome } from './driver.js';
import { driveReleasing, GaussNewtonSearch } from './gauss-newton-search.js';
import { gradientVector } from './gauss-newton.js';
import { checkProblem, type Problem } from './problem.js';
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

class NailsSearch extends GaussNewtonSearch {
  readonly method = 'NAILS';
  /** μ of the last accepted step when it was a damped one (0 otherwise). */
  private muPrev = 0;

  constructor(
    p: Problem,
    z0: Float64Array,
    o: ResolvedOptions,
    private readonly c: number,
    private readonly beta: number,
    private readonly maxBacktracks: number,
  ) {
    super(p, z0, o);
  }

  step(): StepOutcome {
    const sys = this.sys!;
    const { z, trial, delta } = this;
    const value = sys.value;
    let maxDiag = 0;
    for (let a = 0; a < sys.nTheta; a++) maxDiag = Math.max(maxDiag, sys.Mtt[a * sys.nTheta + a]!);
    const scale = Math.max(maxDiag, 1e-300);
    // Smallest damping that makes M + μI factorise (μ = 0 first).
    let mu = 0;
    while (!solveDamped(sys, mu, 'identity', delta)) {
      mu = mu === 0 ? 1e-12 * scale : mu * 10;
      // Not `mu > …`: with a NaN in M (a model whose derivative is NaN at a finite V) μ is NaN
      // and the comparison would never end the loop.
      if (!(mu <= 1e10 * Math.max(maxDiag, 1))) break;
    }
    // Armijo along Δ(μ); when no α works (M nearly singular: Δ is huge along its null space),
    // the next direction is damped harder, μ = 1e-6·max diag(M)·100^k, k = 0…5.
    let lastAlpha = 1;
    // After a damped step, start from a tenth of its μ (0 again once it falls below 1e-6·max diag).
    const start = this.muPrev / 10 >= 1e-6 * scale ? this.muPrev / 10 : 0;
    if (start > mu) {
      mu = start;
      solveDamped(sys, mu, 'identity', delta);
    }
    for (let k = 0; k <= 6; k++) {
      if (k > 0) {
        mu = Math.max(mu * 100, 1e-6 * scale * 100 ** (k - 1));
        if (!solveDamped(sys, mu, 'identity', delta)) continue;
      }
      const dd = directionalDerivative(sys, delta);
      if (!(dd < 0)) continue;
      let alpha = 1;
      for (let t = 0; t < this.maxBacktracks; t++) {
        // Stryker disable next-line EqualityOperator: `i <= z.length` only adds a write past the end of a typed array, which is ignored
        for (let i = 0; i < z.length; i++) trial[i] = z[i]! + alpha * delta[i]!;
        const vTrial = this.valueAt(trial);
        this.simulations++;
        if (armijo(vTrial, value, this.c, alpha, dd)) {
          this.muPrev = mu >= 1e-6 * scale ? mu : 0;
          this.sys = this.accumulate(trial);
          z.set(trial);
          return {
            accepted: true,
            value: this.sys.value,
            gradNorm: normInf(gradientVector(this.sys)),
            stepNorm: alpha * norm2(delta),
            alpha,
            ...(mu > 0 ? { lambda: mu } : {}),
          };
        }
        alpha *= this.beta;
      }
      lastAlpha = alpha;
      // A first direction that fails after a full backtrack: fewer trials for the damped ones.
    }
    return {
      accepted: false,
      value,
      gradNorm: NaN,
      stepNorm: NaN,
      alpha: lastAlpha,
      cannot: 'line-search',
    };
  }
}

export function nails(
  p: Problem,
  z0: Float64Array,
  options: NailsOptions = {},
  d: DriveOptions = {},
): SolverResult {
  checkProblem(p);
  const o = resolveOptions(options, p);
  const search = new NailsSearch(
    p,
    z0,
    o,
    options.c ?? 1e-4,
    options.beta ?? 0.5,
    options.maxBacktracks ?? 30,
  );
  return driveReleasing(search, (s) => drive(p, s, o, d));
}
