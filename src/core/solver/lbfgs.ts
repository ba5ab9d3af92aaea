/**
 * L-BFGS (Nocedal & Wright, Algorithm 7.4–7.5) with a strong-Wolfe line search (Algorithms 3.5
 * and 3.6, zoom by safeguarded cubic/bisection), on V(z) with the adjoint gradient — the
 * quasi-Newton baseline (what jax-sysid uses after Adam). Memory m = 10 pairs by default.
 */
import { NailsError } from '../errors.js';
import { valueAndGradient } from './adjoint-gradient.js';
import { Cancelled } from './cancellation.js';
import { checkProblem, unpackZ, type Problem, evaluateV } from './problem.js';
import {
  norm2,
  normInf,
  resolveOptions,
  convergedAfterStep,
  STOP_MESSAGES,
  type IterationRecord,
  type SolverOptions,
  type SolverResult,
  type StopReason,
} from './types.js';

export interface LbfgsOptions extends SolverOptions {
  memory?: number;
  /** Wolfe constants c₁ (default 1e-4) and c₂ (default 0.9). */
  c1?: number;
  c2?: number;
  /** Function evaluations per line search (default 25). */
  maxLineSearch?: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function lbfgs(p: Problem, z0: Float64Array, options: LbfgsOptions = {}): SolverResult {
  checkProblem(p);
  if (p.quadratic || p.fixed)
    throw new NailsError(
      'the first-order baselines take the smooth objective only (no ADMM term, no fixed entries)',
      'method',
    );
  const o = resolveOptions(options);
  const mem = options.memory ?? 10;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxLs = options.maxLineSearch ?? 25;
  const t0 = performance.now();
  const n = z0.length;
  const z = Float64Array.from(z0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const zt = new Float64Array(n);
  const gt = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rhos: number[] = [];
  const history: IterationRecord[] = [];
  let evaluations = 0;
  let iterations = 0;
  let status: StopReason;
  const evalAt = (alpha: number): [number, number] => {
    for (let i = 0; i < n; i++) zt[i] = z[i]! + alpha * d[i]!;
    const v = valueAndGradient(p, zt, gt, o.shouldStop);
    evaluations++;
    return [v, Number.isFinite(v) ? dot(gt, d) : NaN];
  };
  let value = Infinity;
  try {
    value = valueAndGradient(p, z, g, o.shouldStop);
    evaluations++;
    if (!Number.isFinite(value)) status = 'not-finite';
    else if (normInf(g) <= o.gtol) status = 'gtol';
    else
      while (true) {
        if (iterations >= o.maxIterations) {
          status = 'max-iterations';
          break;
        }
        if ((performance.now() - t0) / 1000 >= o.maxSeconds) {
          status = 'max-seconds';
          break;
        }
        if (o.shouldStop?.()) {
          status = 'cancelled';
          break;
        }
        const tIter = performance.now();
        iterations++;
        // Two-loop recursion: d = −H ∇V.
        d.set(g);
        const alphas: number[] = [];
        for (let i = S.length - 1; i >= 0; i--) {
          const a = rhos[i]! * dot(S[i]!, d);
          alphas[i] = a;
          const y = Y[i]!;
          for (let k = 0; k < n; k++) d[k] = d[k]! - a * y[k]!;
        }
        const gamma =
          S.length > 0
            ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!)
            : 1 / Math.max(norm2(g), 1e-300);
        for (let k = 0; k < n; k++) d[k] = d[k]! * gamma;
        for (let i = 0; i < S.length; i++) {
          const b = rhos[i]! * dot(Y[i]!, d);
          const s = S[i]!;
          for (let k = 0; k < n; k++) d[k] = d[k]! + (alphas[i]! - b) * s[k]!;
        }
        for (let k = 0; k < n; k++) d[k] = -d[k]!;
        let dg0 = dot(g, d);
        if (!(dg0 < 0)) {
          // Not a descent direction: restart from steepest descent.
          S.length = Y.length = rhos.length = 0;
          for (let k = 0; k < n; k++) d[k] = -g[k]! / Math.max(norm2(g), 1e-300);
          dg0 = dot(g, d);
        }
        const alpha = wolfe(value, dg0, evalAt, c1, c2, maxLs);
        if (alpha === undefined) {
          status = 'line-search-failed';
          break;
        }
        // zt, gt hold the accepted point (the line search's last evaluation is the accepted one).
        const s = new Float64Array(n);
        const y = new Float64Array(n);
        for (let k = 0; k < n; k++) {
          s[k] = zt[k]! - z[k]!;
          y[k] = gt[k]! - g[k]!;
        }
        const vOld = value;
        value = alpha.value;
        z.set(zt);
        g.set(gt);
        const sy = dot(s, y);
        if (sy > 1e-12 * dot(y, y)) {
          S.push(s);
          Y.push(y);
          rhos.push(1 / sy);
          if (S.length > mem) {
            S.shift();
            Y.shift();
            rhos.shift();
          }
        }
        const gNorm = normInf(g);
        const stepNorm = norm2(s);
        const now = performance.now();
        const rec: IterationRecord = {
          iteration: iterations,
          value,
          gradNorm: gNorm,
          stepNorm,
          alpha: alpha.alpha,
          accepted: true,
          elapsed: (now - t0) / 1000,
          seconds: (now - tIter) / 1000,
        };
        history.push(rec);
        o.onIteration?.(rec, z);
        const converged = convergedAfterStep(o, { gNorm, vOld, value, stepNorm, z });
        if (converged) {
          status = converged;
          break;
        }
      }
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status = 'cancelled';
    // Cancelled before the first evaluation finished: report V of the start.
    if (!Number.isFinite(value)) value = evaluateV(p, z);
  }
  const { theta, x0s } = unpackZ(p, z);
  return {
    method: 'L-BFGS',
    z,
    theta,
    x0s,
    value,
    status,
    message: STOP_MESSAGES[status],
    iterations,
    history,
    simulations: 0,
    sensitivities: evaluations,
    elapsed: (performance.now() - t0) / 1000,
  };
}

/**
 * Strong-Wolfe line search along d: φ(α) = V(z + α d). `evalAt(α)` returns [φ(α), φ'(α)] and
 * leaves that point in the caller's buffers; the search always ends with an evaluation at the
 * returned α.
 */
function wolfe(
  phi0: number,
  dphi0: number,
  evalAt: (alpha: number) => [number, number],
  c1: number,
  c2: number,
  maxEvals: number,
): { alpha: number; value: number } | undefined {
  let aPrev = 0;
  let fPrev = phi0;
  let dPrev = dphi0;
  let a = 1;
  let evals = 0;
  const zoom = (lo: number, flo: number, dlo: number, hi: number, fhi: number, dhi: number) => {
    while (evals < maxEvals) {
      // Safeguarded cubic interpolation, bisection fallback.
      let aj = cubicMin(lo, flo, dlo, hi, fhi, dhi);
      const lower = Math.min(lo, hi);
      const width = Math.abs(hi - lo);
      if (!Number.isFinite(aj) || aj < lower + 0.1 * width || aj > lower + 0.9 * width)
        aj = 0.5 * (lo + hi);
      const [fj, dj] = evalAt(aj);
      evals++;
      if (!Number.isFinite(fj) || fj > phi0 + c1 * aj * dphi0 || fj >= flo) {
        hi = aj;
        fhi = Number.isFinite(fj) ? fj : Infinity;
        dhi = dj;
      } else {
        if (Math.abs(dj) <= -c2 * dphi0) return { alpha: aj, value: fj };
        if (dj * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = aj;
        flo = fj;
        dlo = dj;
      }
      if (width < 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // Fall back to the best sufficient-decrease point found, if any.
    if (lo > 0 && flo < phi0) {
      const [f] = evalAt(lo);
      return { alpha: lo, value: f };
    }
    return undefined;
  };
  while (evals < maxEvals) {
    const [f, df] = evalAt(a);
    evals++;
    if (!Number.isFinite(f)) {
      // Blew up: shrink towards the last good point.
      return zoom(aPrev, fPrev, dPrev, a, Infinity, NaN);
    }
    if (f > phi0 + c1 * a * dphi0 || (evals > 1 && f >= fPrev))
      return zoom(aPrev, fPrev, dPrev, a, f, df);
    if (Math.abs(df) <= -c2 * dphi0) return { alpha: a, value: f };
    if (df >= 0) return zoom(a, f, df, aPrev, fPrev, dPrev);
    aPrev = a;
    fPrev = f;
    dPrev = df;
    a *= 2;
  }
  return undefined;
}

/** Minimiser of the cubic through (a, fa, da), (b, fb, db); NaN when undefined. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(db) || !Number.isFinite(da)) return NaN;
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}
