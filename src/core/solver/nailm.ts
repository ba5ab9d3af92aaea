/**
 * NAILM: sequential least squares with a Levenberg–Marquardt trust region (ALGORITHM.md §3),
 * run by the iteration driver (driver.ts).
 *
 *   solve (M + λ D) Δ = −∇V;   ϱ = (V(z) − V(z + Δ)) / (q(0) − q(Δ))
 *   accept when ϱ > η:  λ ← λ · max(1/3, 1 − (2ϱ − 1)³),  ν ← 2     (Nielsen's rule)
 *   reject otherwise:   λ ← ν λ,  ν ← 2ν
 *
 * D = diag(M) (Marquardt's scaling, the default: λ is dimensionless and starts at τ = 1) or
 * D = I (λ starts at τ · max diag(M)). A large first λ makes the first steps short, scaled
 * gradient steps: from jax-sysid's starting points this is what keeps the iterates out of the
 * constant-predictor and poor local minima that a full Gauss–Newton step walks into (measured in
 * bench/solvers.ts). A failed Cholesky factorisation or a non-finite trial simulation is a
 * rejected step; λ above its cap (1e16, relative) without an acceptable step ends the search.
 */
import { solveDamped, predictedDecrease, type DampingScaling } from './block-arrow.js';
import { drive, type DriveOptions, type StepOutcome } from './driver.js';
import { driveReleasing, GaussNewtonSearch } from './gauss-newton-search.js';
import { gradientVector, type GaussNewtonSystem } from './gauss-newton.js';
import { checkProblem, type Problem } from './problem.js';
import {
  norm2,
  normInf,
  resolveOptions,
  type ResolvedOptions,
  type SolverOptions,
  type SolverResult,
} from './types.js';

export interface NailmOptions extends SolverOptions {
  /** τ: λ₀ = τ with D = diag(M), λ₀ = τ · max diag(M) with D = I (default 1 and 1e-3). */
  tau?: number;
  /** Start from this λ instead (e.g. warm start from a previous run). */
  lambda0?: number;
  /** D = diag(M) (default) or I. */
  scaling?: DampingScaling;
  /** Acceptance threshold η on the gain ratio (default 1e-3). */
  eta?: number;
}

/** Default τ per scaling. */
export const NAILM_TAU: Record<DampingScaling, number> = { diagonal: 1, identity: 1e-3 };

class NailmSearch extends GaussNewtonSearch {
  readonly method = 'NAILM';
  lambda = NaN;
  private nu = 2;
  private readonly scaling: DampingScaling;
  private readonly eta: number;
  /** λ at which the search gives up (relative to max diag(M) with D = I). */
  private cap = Infinity;

  constructor(
    p: Problem,
    z0: Float64Array,
    o: ResolvedOptions,
    private readonly options: NailmOptions,
  ) {
    super(p, z0, o);
    this.scaling = options.scaling ?? 'diagonal';
    this.eta = options.eta ?? 1e-3;
  }

  private setCap(sys: GaussNewtonSystem): void {
    this.cap = this.scaling === 'diagonal' ? 1e16 : 1e16 * Math.max(maxDiagonal(sys), 1e-300);
  }

  override start() {
    const s0 = super.start();
    const sys = this.sys!;
    if (!sys.finite) return s0;
    const tau = this.options.tau ?? NAILM_TAU[this.scaling];
    this.lambda =
      this.options.lambda0 ?? (this.scaling === 'diagonal' ? tau : tau * maxDiagonal(sys));
    this.setCap(sys);
    return s0;
  }

  step(): StepOutcome {
    const sys = this.sys!;
    const { z, trial, delta } = this;
    let stepNorm = NaN;
    if (solveDamped(sys, this.lambda, this.scaling, delta)) {
      stepNorm = norm2(delta);
      // Stryker disable next-line EqualityOperator: `i <= z.length` only adds a write past the end of a typed array, which is ignored
      for (let i = 0; i < z.length; i++) trial[i] = z[i]! + delta[i]!;
      const vTrial = this.valueAt(trial);
      this.simulations++;
      const pred = predictedDecrease(sys, delta);
      const rho = (sys.value - vTrial) / pred;
      if (Number.isFinite(vTrial) && pred > 0 && rho > this.eta) {
        // z moves only once the new system is complete, so a cancel keeps a consistent point.
        this.sys = this.accumulate(trial);
        z.set(trial);
        this.lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        this.nu = 2;
        this.setCap(this.sys);
        const value = this.sys.value;
        return {
          accepted: true,
          value,
          gradNorm: normInf(gradientVector(this.sys)),
          stepNorm,
          lambda: this.lambda,
        };
      }
    }
    this.lambda *= this.nu;
    this.nu *= 2;
    const capped = this.lambda > this.cap || !Number.isFinite(this.lambda);
    return {
      accepted: false,
      value: sys.value,
      gradNorm: NaN,
      stepNorm,
      lambda: this.lambda,
      ...(capped ? { cannot: 'damping-cap' as const } : {}),
    };
  }
}

export function nailm(
  p: Problem,
  z0: Float64Array,
  options: NailmOptions = {},
  d: DriveOptions = {},
): SolverResult & { lambda: number } {
  checkProblem(p);
  const o = resolveOptions(options, p);
  const search = new NailmSearch(p, z0, o, options);
  const r = driveReleasing(search, (s) => drive(p, s, o, d));
  return { ...r, lambda: search.lambda };
}

function maxDiagonal(sys: GaussNewtonSystem): number {
  let m = 0;
  for (let a = 0; a < sys.nTheta; a++) m = Math.max(m, sys.Mtt[a * sys.nTheta + a]!);
  for (const Mxx of sys.Mxx) for (let i = 0; i < sys.nx; i++) m = Math.max(m, Mxx[i * sys.nx + i]!);
  return m;
}
