/**
 * The residual correlations of the results panel (webview/charts/correlation.ts) against
 * references computed here independently: exact values on a hand-computable sequence, a direct
 * textbook implementation on random data, and the closed form for white noise — for i.i.d.
 * residuals the normalised autocorrelation at every lag ≥ 1 has variance 1/N, so about 99 % of the
 * lags fall inside ±2.58/√N (the band of MATLAB's `resid`), while coloured residuals and residuals
 * that still hold the input fall outside it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  autocorrelation,
  confidenceBand,
  crossCorrelation,
  finiteCount,
  Z99,
} from '../../webview/charts/correlation';

/** A seeded standard normal sequence (xorshift32 + Box–Muller), independent of src/core/random. */
function gaussian(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const out: number[] = [];
  while (out.length < n) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const t = 2 * Math.PI * uniform();
    out.push(r * Math.cos(t), r * Math.sin(t));
  }
  return out.slice(0, n);
}

/** Textbook reference: means removed, biased sums, normalised by the zero-lag terms. */
function reference(u: number[], e: number[], tau: number): number {
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const mu = mean(u);
  const me = mean(e);
  const uu = u.map((v) => v - mu);
  const ee = e.map((v) => v - me);
  let s = 0;
  uu.forEach((v, k) => {
    const j = k + tau;
    if (j >= 0 && j < ee.length) s += v * ee[j]!;
  });
  const norm = Math.sqrt(uu.reduce((a, v) => a + v * v, 0) * ee.reduce((a, v) => a + v * v, 0));
  return s / norm;
}

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('residual correlations', () => {
  it('exact values on 1 −1 1 −1 (and its cross-correlation with 1 2 3 4)', () => {
    const e = [1, -1, 1, -1];
    assert.deepEqual([...autocorrelation(e, 3)], [1, -0.75, 0.5, -0.25]);
    const r = crossCorrelation([1, 2, 3, 4], e, 1);
    // ũ = −1.5 −0.5 0.5 1.5 (Σũ² = 5), Σẽ² = 4: lag −1 gives 0.5, lag 0 gives −2, lag 1 gives 0.5.
    close(r[0]!, 0.5 / Math.sqrt(20));
    close(r[1]!, -2 / Math.sqrt(20));
    close(r[2]!, 0.5 / Math.sqrt(20));
  });

  it('equals the textbook formula on random data with an offset, at every lag', () => {
    const u = gaussian(500, 7).map((v) => 3 + 2 * v);
    const e = gaussian(500, 11).map((v, k) => 0.5 * v + 0.3 * (u[k]! - 3) - 1);
    const auto = autocorrelation(e, 25);
    const cross = crossCorrelation(u, e, 25);
    for (let tau = 0; tau <= 25; tau++) close(auto[tau]!, reference(e, e, tau));
    for (let tau = -25; tau <= 25; tau++) close(cross[tau + 25]!, reference(u, e, tau));
  });

  it('the 99 % band is z/√N with z the 0.995 normal quantile', () => {
    close(Z99, 2.5758293035489, 1e-4);
    close(confidenceBand(10000), Z99 / 100);
    assert.ok(Number.isNaN(confidenceBand(0)));
  });

  it('white noise: about 99 % of the lags ≥ 1 inside ±2.58/√N, and N·r² averages 1', () => {
    const N = 20000;
    const L = 400;
    const e = gaussian(N, 2026);
    const r = autocorrelation(e, L);
    const band = confidenceBand(N);
    let inside = 0;
    let sumSq = 0;
    for (let tau = 1; tau <= L; tau++) {
      if (Math.abs(r[tau]!) <= band) inside++;
      sumSq += N * r[tau]! ** 2;
    }
    // Binomial(400, 0.99): mean 396, sd 2; 390 is three standard deviations below.
    assert.ok(inside >= 390, `${inside} of ${L} lags inside the band`);
    // Var r(τ) ≈ 1/N: the mean of N·r² over 400 lags is 1 ± 0.07 (χ²₁ has variance 2).
    assert.ok(Math.abs(sumSq / L - 1) < 0.25, `mean N·r² = ${sumSq / L}`);
    // An independent input: the cross-correlation stays inside too.
    const u = gaussian(N, 99);
    const c = crossCorrelation(u, e, 25);
    const out = [...c].filter((v) => Math.abs(v) > band).length;
    assert.ok(out <= 3, `${out} of 51 cross-correlation lags outside`);
  });

  it('coloured residuals and residuals that hold the input fall outside the band', () => {
    const N = 5000;
    const w = gaussian(N, 5);
    const ar = new Array<number>(N).fill(0);
    for (let k = 1; k < N; k++) ar[k] = 0.8 * ar[k - 1]! + w[k]!;
    const band = confidenceBand(N);
    const r = autocorrelation(ar, 5);
    // AR(1): r(τ) → 0.8^τ.
    for (let tau = 1; tau <= 5; tau++) close(r[tau]!, 0.8 ** tau, 0.05);
    assert.ok(r[1]! > 10 * band);
    const u = gaussian(N, 6);
    const e = u.map((_, k) => (k >= 3 ? 0.5 * u[k - 3]! : 0) + w[k]!);
    const c = crossCorrelation(u, e, 25);
    // e holds u delayed by 3 samples: r_ue(3) = 0.5/√1.25 ≈ 0.447.
    close(c[25 + 3]!, 0.5 / Math.sqrt(1.25), 0.05);
    assert.ok(Math.abs(c[25]!) < band, 'lag 0 inside');
  });

  it('non-finite residuals are left out of the sums and of N', () => {
    const e = [1, null, -1, NaN, 1, -1];
    assert.equal(finiteCount(e), 4);
    const r = autocorrelation(e, 1);
    assert.equal(r[0], 1);
    assert.ok(
      Number.isNaN(autocorrelation([2, 2, 2], 1)[1]!),
      'a constant residual has no correlation',
    );
  });
});
