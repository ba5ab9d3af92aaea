/**
 * ADMM for the non-smooth and non-convex terms (ALGORITHM.md §5). With I the entries of z that
 * some term touches, split z_I = ν and iterate, with scaled dual w and penalty ρ_A:
 *
 *   1. z ← approx. argmin V(z) + (ρ_A/2)‖z_I − ν + w‖²   (`inner` NAILS/NAILM steps, warm start;
 *      NAILM keeps its damping λ from one ADMM iteration to the next)
 *   2. ν ← prox_{G/ρ_A}(z_I + w)                           (terms.ts, in order)
 *   3. w ← w + z_I − ν
 *
 * Run by the iteration driver (solver/driver.ts) as a search whose step is one ADMM iteration.
 * Residuals: primal r = ‖z_I − ν‖₂, dual s = ρ_A‖ν − ν_prev‖₂; stop when
 * r ≤ ε_abs√|I| + ε_rel·max(‖z_I‖, ‖ν‖) and s ≤ ε_abs√|I| + ε_rel·ρ_A‖w‖, or on the budget or cancel.
 * ρ_A may grow by `rhoGrowth` per iteration (w is rescaled by 1/growth to stay the scaled dual);
 * growth > 1 forces agreement for non-convex sets (ℓ0, integer, quantised).
 *
 * The result takes z_I = ν, so the sparsity pattern and discrete values hold exactly. Polishing
 * then fixes the zeros and the discrete entries and re-fits every other entry of z with the
 * smooth solver; both results are returned.
 */
import { NailsError } from '../errors.js';
import { Cancelled } from '../solver/cancellation.js';
import { drive, type Search, type StepOutcome } from '../solver/driver.js';
import { nailm } from '../solver/nailm.js';
import { nails } from '../solver/nails.js';
import { evaluateV, makeProblem, type Problem } from '../solver/problem.js';
import type { ShouldStop } from '../solver/cancellation.js';
import {
  resolveOptions,
  type SolverResult,
  type StopReason,
  type StopTest,
} from '../solver/types.js';
import { resolveTerms, type Term, type TermConfig } from './terms.js';

export interface AdmmOptions {
  method: 'nails' | 'nailm';
  /** ρ_A (default 0.1, the data being standard-scaled). */
  rho?: number;
  /** Multiplier of ρ_A per iteration (default 1: fixed). */
  rhoGrowth?: number;
  /** ADMM iterations (default 100). */
  iterations?: number;
  /** Smooth-solver steps per ADMM iteration (default 3). */
  inner?: number;
  epsAbs?: number;
  epsRel?: number;
  /** Re-fit the free entries after ADMM (default true). */
  polish?: boolean;
  polishIterations?: number;
  chunk?: number;
  shouldStop?: ShouldStop;
  onIteration?: (r: AdmmRecord) => void;
}

export interface AdmmRecord {
  iteration: number;
  /** V at the ADMM iterate z (smooth part, without the augmented term). */
  value: number;
  /** V at z with z_I = ν: the point ADMM returns if it stops here (exact pattern). */
  valueAtNu: number;
  /** V + G at z with z_I = ν. */
  objective: number;
  primal: number;
  dual: number;
  rho: number;
  lambda?: number;
  elapsed: number;
}

export interface AdmmResult {
  method: string;
  /** Why the outer loop stopped (the driver's reasons; `converged` by the residual test). */
  status: StopReason;
  stopTest: StopTest;
  message: string;
  /** z with z_I = ν (exact pattern / discrete values) — before polishing. */
  z: Float64Array;
  /** V(z) and V(z) + G(z) of that point. */
  value: number;
  objective: number;
  polished?: {
    z: Float64Array;
    value: number;
    objective: number;
    status: string;
    iterations: number;
  };
  iterations: number;
  history: AdmmRecord[];
  terms: Term[];
  elapsed: number;
}

/** Σ of the terms' values at z (∞ when a set is violated). */
export function termsValue(terms: readonly Term[], z: Float64Array): number {
  return terms.reduce((s, t) => s + t.value(z), 0);
}

/**
 * The ADMM outer loop as a search of the iteration driver: one step is one ADMM iteration
 * (θ-update by `inner` smooth steps, ν-update, dual update); its point `z` is the projected
 * iterate (z_I = ν) and its value V + G there. Converged by the residual test.
 */
class AdmmSearch implements Search {
  readonly method: string;
  /** The projected iterate z with z_I = ν. */
  readonly z: Float64Array;
  readonly simulations = 0;
  sensitivities = 0;
  readonly history: AdmmRecord[] = [];
  rho: number;
  private readonly zi: Float64Array;
  private readonly full: Float64Array;
  private readonly nu: Float64Array;
  private readonly nuPrev: Float64Array;
  private readonly w: Float64Array;
  private readonly center: Float64Array;
  private lambda: number | undefined;
  private it = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly p: Problem,
    z0: Float64Array,
    private readonly terms: readonly Term[],
    private readonly I: Int32Array,
    private readonly o: AdmmOptions,
  ) {
    this.method = `ADMM + ${o.method === 'nailm' ? 'NAILM' : 'NAILS'}`;
    this.rho = o.rho ?? 0.1;
    const n = I.length;
    this.zi = Float64Array.from(z0);
    this.z = Float64Array.from(z0);
    this.full = new Float64Array(z0.length);
    this.nu = new Float64Array(n);
    this.nuPrev = new Float64Array(n);
    this.w = new Float64Array(n);
    this.center = new Float64Array(n);
    this.full.set(z0);
    this.prox(this.full);
    I.forEach((i, k) => (this.nu[k] = this.full[i]!));
  }

  private prox(scratch: Float64Array): void {
    for (const t of this.terms) t.apply(scratch, this.rho);
  }

  private project(): void {
    this.z.set(this.zi);
    this.I.forEach((i, k) => (this.z[i] = this.nu[k]!));
  }

  start() {
    // Diverged only when the starting point itself does not simulate; V + G is taken at its projection.
    // The driver only asks whether V₀ is finite (gtol = 0, no stall test): an object without
    // `value` reads as not finite too, and G is finite at a projection.
    // Stryker disable next-line ObjectLiteral: equivalent, see above
    if (!Number.isFinite(evaluateV(this.p, this.zi))) return { value: Infinity, gradNorm: NaN };
    this.project();
    // Stryker disable next-line ArithmeticOperator: equivalent, see above
    return { value: evaluateV(this.p, this.z) + termsValue(this.terms, this.z), gradNorm: NaN };
  }

  step(): StepOutcome {
    const { p, o, I, zi, nu, nuPrev, w, center, full } = this;
    const n = I.length;
    this.it++;
    nu.forEach((x, k) => (center[k] = x - w[k]!));
    const aug = makeProblem(p, { quadratic: { index: I, weight: this.rho, center } });
    const common = {
      maxIterations: o.inner ?? 3,
      ftol: 0,
      xtol: 0,
      gtol: 0,
      ...(o.chunk ? { chunk: o.chunk } : {}),
      ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
    };
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, the check only relabels the inner status, which only matters when 'cancelled'
    const inner = { checkDegenerate: false };
    const r: SolverResult & { lambda?: number } =
      o.method === 'nailm'
        ? nailm(
            aug,
            zi,
            { ...common, ...(this.lambda !== undefined ? { lambda0: this.lambda } : {}) },
            inner,
          )
        : nails(aug, zi, common, inner);
    // Stryker disable next-line AssignmentOperator: equivalent, the count is not part of AdmmResult (only the driver reads it)
    this.sensitivities += r.sensitivities;
    if (r.status === 'cancelled') throw new Cancelled();
    zi.set(r.z);
    this.lambda = r.lambda;
    // ν-update on v = z_I + w, then the dual update.
    // (Entries of `full` outside I are never read: every term touches only entries of I.)
    nuPrev.set(nu);
    I.forEach((i, k) => (full[i] = zi[i]! + w[k]!));
    this.prox(full);
    let rp = 0;
    let rd = 0;
    let nz = 0;
    let nn = 0;
    I.forEach((i, k) => {
      nu[k] = full[i]!;
      const d = zi[i]! - nu[k];
      w[k] = w[k]! + d;
      rp += d * d;
      rd += (nu[k] - nuPrev[k]!) ** 2;
      nz += zi[i]! ** 2;
      nn += nu[k] ** 2;
    });
    const primal = Math.sqrt(rp);
    const dual = this.rho * Math.sqrt(rd);
    const wNorm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    this.project();
    const valueAtNu = evaluateV(p, this.z);
    const objective = valueAtNu + termsValue(this.terms, this.z);
    const rec: AdmmRecord = {
      iteration: this.it,
      value: evaluateV(p, zi),
      valueAtNu,
      objective,
      primal,
      dual,
      rho: this.rho,
      ...(this.lambda !== undefined ? { lambda: this.lambda } : {}),
      elapsed: (performance.now() - this.t0) / 1000,
    };
    this.history.push(rec);
    o.onIteration?.(rec);
    const epsAbs = o.epsAbs ?? 1e-6;
    const epsRel = o.epsRel ?? 1e-4;
    const tolP = epsAbs * Math.sqrt(n) + epsRel * Math.max(Math.sqrt(nz), Math.sqrt(nn));
    const tolD = epsAbs * Math.sqrt(n) + epsRel * this.rho * wNorm;
    const converged = primal <= tolP && dual <= tolD && this.it > 1;
    // ρ_A for the next iteration (a no-op at the default growth 1; unused once converged).
    const growth = o.rhoGrowth ?? 1;
    this.rho *= growth;
    w.forEach((x, k) => (w[k] = x / growth));
    // The driver's own record of this outcome is not used (the ADMM history is `history`): only
    // `converged` decides anything there.
    return {
      // Stryker disable next-line BooleanLiteral: equivalent, `accepted` only gates the driver's gradient test, off here (gtol 0, gradNorm NaN)
      accepted: true,
      value: objective,
      gradNorm: NaN,
      stepNorm: primal,
      ...(converged ? { converged: 'admm-residuals' as const } : {}),
    };
  }
}

export function admm(
  p: Problem,
  z0: Float64Array,
  configs: readonly TermConfig[],
  o: AdmmOptions,
): AdmmResult {
  const t0 = performance.now();
  const terms = resolveTerms(
    { model: p.model, experiments: p.experiments.length, trainX0: p.trainX0 },
    configs,
  );
  const rho = o.rho ?? 0.1;
  const growth = o.rhoGrowth ?? 1;
  if (!(rho > 0)) throw new NailsError(`ADMM rho must be positive, got ${rho}`, 'rho');
  if (!(growth >= 1))
    throw new NailsError(`ADMM rho growth must be ≥ 1, got ${growth}`, 'rhoGrowth');
  const I = Int32Array.from(new Set(terms.flatMap((t) => [...t.indices]))).sort();
  const search = new AdmmSearch(p, z0, terms, I, o);
  // ADMM's objective is not monotone: no stall, step or gradient test; the residuals decide.
  const r = drive(
    p,
    search,
    resolveOptions(
      {
        maxIterations: o.iterations ?? 100,
        ftol: 0,
        xtol: 0,
        gtol: 0,
        ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
      },
      p,
    ),
    { checkDegenerate: false },
  );
  // When diverged, search.z is still the copy of z0 (start() returns before projecting it).
  const zOut = search.z;
  const value = evaluateV(p, zOut);
  const result: AdmmResult = {
    method: search.method,
    status: r.status,
    stopTest: r.stopTest,
    message: r.status === 'budget' ? 'budget: the ADMM iteration budget was used' : r.message,
    z: zOut,
    value,
    objective: value + termsValue(terms, zOut),
    iterations: r.iterations,
    history: search.history,
    terms,
    elapsed: 0,
  };
  if (
    (o.polish ?? true) &&
    r.status !== 'cancelled' &&
    Number.isFinite(value) // (diverged: z is the start, whose V is not finite)
  ) {
    result.polished = polish(p, zOut, terms, o);
  }
  result.elapsed = (performance.now() - t0) / 1000;
  return result;
}

/**
 * Fixes the zero pattern of every penalised entry and every entry of a constraint set (their
 * values stay as ADMM left them) and re-fits the other entries of z with the smooth solver.
 * Sets that are intervals (bounds) keep their entries fixed too, so the result stays feasible.
 */
export function polish(
  p: Problem,
  z: Float64Array,
  terms: readonly Term[],
  o: Pick<AdmmOptions, 'method' | 'polishIterations' | 'chunk' | 'shouldStop'>,
) {
  const fixed = new Uint8Array(z.length);
  for (const t of terms) {
    for (const i of t.indices) if (t.isSet || z[i] === 0) fixed[i] = 1;
  }
  const solver = o.method === 'nailm' ? nailm : nails;
  const r = solver(makeProblem(p, { fixed }), z, {
    maxIterations: o.polishIterations ?? 100,
    ...(o.chunk ? { chunk: o.chunk } : {}),
    ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
  });
  // Guard against drift: fixed entries are exactly as before.
  const out = Float64Array.from(r.z);
  for (let i = 0; i < z.length; i++) if (fixed[i]) out[i] = z[i]!;
  const value = evaluateV(p, out);
  return {
    z: out,
    value,
    objective: value + termsValue(terms, out),
    status: r.status,
    iterations: r.iterations,
  };
}
