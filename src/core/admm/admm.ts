/**
 * ADMM for the non-smooth and non-convex terms (ALGORITHM.md §5). With I the entries of z that
 * some term touches, split z_I = ν and iterate, with scaled dual w and penalty ρ_A:
 *
 *   1. z ← approx. argmin V(z) + (ρ_A/2)‖z_I − ν + w‖²   (`inner` NAILS/NAILM steps, warm start;
 *      NAILM keeps its damping λ from one ADMM iteration to the next)
 *   2. ν ← prox_{G/ρ_A}(z_I + w)                           (terms.ts, in order)
 *   3. w ← w + z_I − ν
 *
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
import { nailm } from '../solver/nailm.js';
import { nails } from '../solver/nails.js';
import { evaluateV, type Problem } from '../solver/problem.js';
import type { ShouldStop } from '../solver/cancellation.js';
import type { SolverResult } from '../solver/types.js';
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
  status: 'converged' | 'max-iterations' | 'cancelled' | 'not-finite';
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
  let rho = o.rho ?? 0.1;
  const growth = o.rhoGrowth ?? 1;
  const maxIt = o.iterations ?? 100;
  const inner = o.inner ?? 3;
  const epsAbs = o.epsAbs ?? 1e-6;
  const epsRel = o.epsRel ?? 1e-4;
  if (!(rho > 0)) throw new NailsError(`ADMM rho must be positive, got ${rho}`, 'rho');
  if (!(growth >= 1))
    throw new NailsError(`ADMM rho growth must be ≥ 1, got ${growth}`, 'rhoGrowth');
  const I = Int32Array.from(new Set(terms.flatMap((t) => [...t.indices]))).sort();
  const n = I.length;
  const z = Float64Array.from(z0);
  const full = new Float64Array(z.length);
  // ν and w live on I (aligned with I); `full` is a z-sized scratch the operators work on.
  const nu = new Float64Array(n);
  const nuPrev = new Float64Array(n);
  const w = new Float64Array(n);
  const center = new Float64Array(n);
  const prox = (scratch: Float64Array) => {
    for (const t of terms) t.apply(scratch, rho);
  };
  full.set(z);
  prox(full);
  I.forEach((i, k) => (nu[k] = full[i]!));
  const history: AdmmRecord[] = [];
  const solverName = o.method === 'nailm' ? 'NAILM' : 'NAILS';
  let status: AdmmResult['status'] = 'max-iterations';
  let lambda: number | undefined;
  let it = 0;
  const withNu = (src: Float64Array) => {
    const out = Float64Array.from(src);
    I.forEach((i, k) => (out[i] = nu[k]!));
    return out;
  };
  if (!Number.isFinite(evaluateV(p, z))) status = 'not-finite';
  else
    try {
      for (it = 1; it <= maxIt; it++) {
        if (o.shouldStop?.()) {
          status = 'cancelled';
          break;
        }
        for (let k = 0; k < n; k++) center[k] = nu[k]! - w[k]!;
        const aug: Problem = { ...p, quadratic: { index: I, weight: rho, center } };
        const common = {
          maxIterations: inner,
          ftol: 0,
          xtol: 0,
          gtol: 0,
          ...(o.chunk ? { chunk: o.chunk } : {}),
          ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
        };
        let r: SolverResult & { lambda?: number };
        if (o.method === 'nailm')
          r = nailm(aug, z, { ...common, ...(lambda !== undefined ? { lambda0: lambda } : {}) });
        else r = nails(aug, z, common);
        if (r.status === 'cancelled') {
          z.set(r.z);
          status = 'cancelled';
          break;
        }
        if (r.status === 'not-finite') {
          status = 'not-finite';
          break;
        }
        z.set(r.z);
        if (r.lambda !== undefined) lambda = r.lambda;
        // ν-update on v = z_I + w
        nuPrev.set(nu);
        full.set(z);
        I.forEach((i, k) => (full[i] = z[i]! + w[k]!));
        prox(full);
        let rp = 0;
        let rd = 0;
        let nz = 0;
        let nn = 0;
        I.forEach((i, k) => {
          nu[k] = full[i]!;
          const d = z[i]! - nu[k];
          w[k] = w[k]! + d;
          rp += d * d;
          rd += (nu[k] - nuPrev[k]!) ** 2;
          nz += z[i]! ** 2;
          nn += nu[k] ** 2;
        });
        const primal = Math.sqrt(rp);
        const dual = rho * Math.sqrt(rd);
        const wNorm = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
        const atNu = withNu(z);
        const value = evaluateV(p, z);
        const valueAtNu = evaluateV(p, atNu);
        const rec: AdmmRecord = {
          iteration: it,
          value,
          valueAtNu,
          objective: valueAtNu + termsValue(terms, atNu),
          primal,
          dual,
          rho,
          ...(lambda !== undefined ? { lambda } : {}),
          elapsed: (performance.now() - t0) / 1000,
        };
        history.push(rec);
        o.onIteration?.(rec);
        const tolP = epsAbs * Math.sqrt(n) + epsRel * Math.max(Math.sqrt(nz), Math.sqrt(nn));
        const tolD = epsAbs * Math.sqrt(n) + epsRel * rho * wNorm;
        if (primal <= tolP && dual <= tolD && it > 1) {
          status = 'converged';
          break;
        }
        if (growth > 1) {
          rho *= growth;
          for (let k = 0; k < n; k++) w[k] = w[k]! / growth;
        }
      }
    } catch (e) {
      if (!(e instanceof Cancelled)) throw e;
      status = 'cancelled';
    }
  const zOut = withNu(z);
  const value = evaluateV(p, zOut);
  const result: AdmmResult = {
    method: `ADMM + ${solverName}`,
    status,
    message: ADMM_MESSAGES[status],
    z: zOut,
    value,
    objective: value + termsValue(terms, zOut),
    iterations: Math.min(it, maxIt),
    history,
    terms,
    elapsed: 0,
  };
  if (
    (o.polish ?? true) &&
    status !== 'cancelled' &&
    status !== 'not-finite' &&
    Number.isFinite(value)
  ) {
    result.polished = polish(p, zOut, terms, o);
  }
  result.elapsed = (performance.now() - t0) / 1000;
  return result;
}

const ADMM_MESSAGES: Record<AdmmResult['status'], string> = {
  converged: 'ADMM converged: primal and dual residuals below tolerance',
  'max-iterations': 'ADMM stopped: iteration budget used',
  cancelled: 'ADMM cancelled: the last iterate (projected) returned',
  'not-finite': 'ADMM failed: the initial parameters simulate to non-finite values',
};

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
  const r = solver({ ...p, fixed }, z, {
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
