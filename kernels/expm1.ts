// AssemblyScript (compiled into the Gauss–Newton module; see gauss-newton.ts): expm1 and exp of
// two f64 at once in 128-bit SIMD, the core of the kernels' tanh (tanh.ts) and ELU (elu.ts):
//
//   y = k·ln 2 + r,  k = round(y / ln 2),  |r| ≤ ln 2 / 2
//   expm1(y) = 2^k · expm1(r) + (2^k − 1),   exp(y) = 2^k · expm1(r) + 2^k
//   expm1(r) = r + r·(r·q),  q = 1/2! + r/3! + … + r¹¹/13!   (the next term is below
//   1.5e-17 · |expm1(r)|)
//
// for k in the normal range of 2^k (callers clamp y to [−708, 40]). Every step is a plain multiply
// or add (no fused multiply-add), so both builds of the module give the same bits.

const LN2_HI: f64 = 6.93147180369123816490e-1; // ln 2, the high bits (k·LN2_HI exact for |k| < 2^20)
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700;

@inline
function horner(p: v128, r: v128, c: f64): v128 {
  return f64x2.add(f64x2.mul(p, r), f64x2.splat(c));
}

/** k = round(y / ln 2) per lane (NaN stays NaN). */
@inline
export function expK(y: v128): v128 {
  return f64x2.nearest(f64x2.mul(y, f64x2.splat(INV_LN2)));
}

/** expm1(r) for r = y − k·ln 2 (k from expK). */
@inline
export function expm1Reduced(y: v128, k: v128): v128 {
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  // Horner from 1/13! down: the last addition is the only rounding at the size of the result.
  let q = f64x2.splat(1.0 / 6227020800.0);
  q = horner(q, r, 1.0 / 479001600.0);
  q = horner(q, r, 1.0 / 39916800.0);
  q = horner(q, r, 1.0 / 3628800.0);
  q = horner(q, r, 1.0 / 362880.0);
  q = horner(q, r, 1.0 / 40320.0);
  q = horner(q, r, 1.0 / 5040.0);
  q = horner(q, r, 1.0 / 720.0);
  q = horner(q, r, 1.0 / 120.0);
  q = horner(q, r, 1.0 / 24.0);
  q = horner(q, r, 1.0 / 6.0);
  q = horner(q, r, 0.5);
  return f64x2.add(r, f64x2.mul(r, f64x2.mul(r, q)));
}

/** 2^k for integral k in [−1022, 1023] from its exponent bits (a NaN k truncates to 0). */
@inline
export function pow2(k: v128): v128 {
  const kk = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  return i64x2.shl(i64x2.add(kk, i64x2.splat(1023)), 52);
}
