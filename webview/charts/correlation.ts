/**
 * Residual analysis as MATLAB's `resid` does it: the normalised autocorrelation of the residuals
 * and the input–residual cross-correlation, with the 99 % band ±z/√N (z = 2.58) of the whiteness
 * and independence tests. Estimates are the usual biased ones (sums divided by N), means removed:
 *
 *   r_ee(τ) = Σ_{k=0}^{N−1−τ} ẽ_k ẽ_{k+τ} / Σ_k ẽ_k²,                 τ = 0 … L
 *   r_ue(τ) = Σ_k ũ_k ẽ_{k+τ} / sqrt(Σ_k ũ_k² · Σ_k ẽ_k²),           τ = −L … L
 *
 * (ẽ = e − mean e, ũ = u − mean u; in r_ue the sum runs over the k with 0 ≤ k, k+τ < N.) For
 * white residuals, each r_ee(τ), τ ≥ 1, is approximately normal with variance 1/N, so ~99 % of
 * them fall inside ±2.58/√N; for residuals independent of the input, likewise r_ue(τ).
 * Non-finite samples count as the mean (they add nothing to the sums) and are not counted in N.
 */

/** z of the two-sided 99 % interval of the standard normal. */
export const Z99 = 2.5758;

/** The half-width of the 99 % band for N samples: z / √N. */
export function confidenceBand(N: number, z = Z99): number {
  return N > 0 ? z / Math.sqrt(N) : NaN;
}

/** x − mean(x) with non-finite samples set to 0, and the number of finite samples. */
function centred(x: ArrayLike<number | null>): { c: Float64Array; n: number } {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  const c = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    c[k] = v !== null && v !== undefined && Number.isFinite(v) ? v - mean : 0;
  }
  return { c, n };
}

/** r_ee(τ) for τ = 0 … maxLag (r_ee(0) = 1; all NaN when e is constant). */
export function autocorrelation(e: ArrayLike<number | null>, maxLag: number): Float64Array {
  const { c } = centred(e);
  const N = c.length;
  let r0 = 0;
  for (let k = 0; k < N; k++) r0 += c[k]! * c[k]!;
  const out = new Float64Array(maxLag + 1);
  for (let tau = 0; tau <= maxLag; tau++) {
    let s = 0;
    for (let k = 0; k + tau < N; k++) s += c[k]! * c[k + tau]!;
    out[tau] = r0 > 0 ? s / r0 : NaN;
  }
  return out;
}

/**
 * r_ue(τ) for τ = −maxLag … maxLag (index τ + maxLag): positive τ correlates the input with later
 * residuals (what a missing input dynamic leaves), negative τ with earlier ones (feedback).
 */
export function crossCorrelation(
  u: ArrayLike<number | null>,
  e: ArrayLike<number | null>,
  maxLag: number,
): Float64Array {
  const a = centred(u).c;
  const b = centred(e).c;
  const N = Math.min(a.length, b.length);
  let su = 0;
  let se = 0;
  for (let k = 0; k < N; k++) {
    su += a[k]! * a[k]!;
    se += b[k]! * b[k]!;
  }
  const norm = Math.sqrt(su * se);
  const out = new Float64Array(2 * maxLag + 1);
  for (let tau = -maxLag; tau <= maxLag; tau++) {
    let s = 0;
    for (let k = Math.max(0, -tau); k < N && k + tau < N; k++) s += a[k]! * b[k + tau]!;
    out[tau + maxLag] = norm > 0 ? s / norm : NaN;
  }
  return out;
}

/** Finite samples of a series (the N of its band). */
export function finiteCount(x: ArrayLike<number | null>): number {
  return centred(x).n;
}
