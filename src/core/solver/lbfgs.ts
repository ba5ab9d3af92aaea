/**
 * L-BFGS (Nocedal & Wright, Algorithm 7.4–7.5) with a strong-Wolfe line search (Algorithms 3.5
 * and 3.6, zoom by safeguarded cubic/bisection), on V(z) with the adjoint gradient — the
 * quasi-Newton baseline (what jax-sysid uses after Adam), run by the iteration driver
 * (driver.ts). Memory m = 10 pairs by default.
 */
import { NailsError } from '../errors.js';
import { valueAndGradient } from './adjoint-gradient.js';
import { drive, type Search, type StepOutcome } from './driver.js';
import { checkProblem, type Problem } from './problem.js';
import {
  norm2,
  normInf,
  resolveOptions,
  type ResolvedOptions,
  type SolverOptions,
  type SolverResult,
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

class LbfgsSearch implements Search {
  readonly method = 'L-BFGS';
  readonly z: Float64Array;
  readonly simulations = 0;
  sensitivities = 0;
  private value = Infinity;
  private readonly g: Float64Array;
  private readonly d: Float64Array;
  private readonly zt: Float64Array;
  private readonly gt: Float64Array;
  private readonly S: Float64Array[] = [];
  private readonly Y: Float64Array[] = [];
  private readonly rhos: number[] = [];

  constructor(
    private readonly p: Problem,
    z0: Float64Array,
    private readonly o: ResolvedOptions,
    private readonly mem: number,
    private readonly c1: number,
    private readonly c2: number,
    private readonly maxLs: number,
  ) {
    const n = z0.length;
    this.z = Float64Array.from(z0);
    this.g = new Float64Array(n);
    this.d = new Float64Array(n);
    this.zt = new Float64Array(n);
    this.gt = new Float64Array(n);
  }

  start() {
    this.value = valueAndGradient(this.p, this.z, this.g, this.o.shouldStop);
    this.sensitivities++;
    return { value: this.value, gradNorm: normInf(this.g) };
  }

  /** φ(α) = V(z + α d) and φ'(α); leaves the point in zt, gt. */
  private evalAt = (alpha: number): [number, number] => {
    const { z, d, zt, gt } = this;
    // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
    for (let i = 0; i < z.length; i++) zt[i] = z[i]! + alpha * d[i]!;
    const v = valueAndGradient(this.p, zt, gt, this.o.shouldStop);
    this.sensitivities++;
    return [v, Number.isFinite(v) ? dot(gt, d) : NaN];
  };

  step(): StepOutcome {
    const { z, g, d, S, Y, rhos } = this;
    const n = z.length;
    // Two-loop recursion: d = −H ∇V.
    d.set(g);
    const alphas: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const a = rhos[i]! * dot(S[i]!, d);
      alphas[i] = a;
      const y = Y[i]!;
      // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
      for (let k = 0; k < n; k++) d[k] = d[k]! - a * y[k]!;
    }
    const gamma =
      S.length > 0
        ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!)
        : 1 / Math.max(norm2(g), 1e-300);
    // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
    for (let k = 0; k < n; k++) d[k] = d[k]! * gamma;
    for (let i = 0; i < S.length; i++) {
      const b = rhos[i]! * dot(Y[i]!, d);
      const s = S[i]!;
      // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
      for (let k = 0; k < n; k++) d[k] = d[k]! + (alphas[i]! - b) * s[k]!;
    }
    // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
    for (let k = 0; k < n; k++) d[k] = -d[k]!;
    let dg0 = dot(g, d);
    if (!(dg0 < 0)) {
      // Not a descent direction: restart from steepest descent.
      S.length = Y.length = rhos.length = 0;
      // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
      for (let k = 0; k < n; k++) d[k] = -g[k]! / Math.max(norm2(g), 1e-300);
      dg0 = dot(g, d);
    }
    const alpha = wolfe(this.value, dg0, this.evalAt, this.c1, this.c2, this.maxLs);
    if (alpha === undefined)
      return {
        accepted: false,
        value: this.value,
        gradNorm: NaN,
        stepNorm: NaN,
        cannot: 'line-search',
      };
    // zt, gt hold the accepted point (the line search's last evaluation is the accepted one).
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
    for (let k = 0; k < n; k++) {
      s[k] = this.zt[k]! - z[k]!;
      y[k] = this.gt[k]! - g[k]!;
    }
    this.value = alpha.value;
    z.set(this.zt);
    g.set(this.gt);
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      S.push(s);
      Y.push(y);
      rhos.push(1 / sy);
      if (S.length > this.mem) {
        S.shift();
        Y.shift();
        rhos.shift();
      }
    }
    return {
      accepted: true,
      value: this.value,
      gradNorm: normInf(g),
      stepNorm: norm2(s),
      alpha: alpha.alpha,
    };
  }
}

export function lbfgs(p: Problem, z0: Float64Array, options: LbfgsOptions = {}): SolverResult {
  checkProblem(p);
  if (p.quadratic || p.fixed)
    throw new NailsError(
      'the first-order baselines take the smooth objective only (no ADMM term, no fixed entries)',
      'method',
    );
  const o = resolveOptions(options, p);
  const search = new LbfgsSearch(
    p,
    z0,
    o,
    options.memory ?? 10,
    options.c1 ?? 1e-4,
    options.c2 ?? 0.9,
    options.maxLineSearch ?? 25,
  );
  return drive(p, search, o);
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
