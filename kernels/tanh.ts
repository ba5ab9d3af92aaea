// AssemblyScript (compiled into the Gauss–Newton module; see gauss-newton.ts): tanh of two f64 at
// once in 128-bit SIMD, for the hidden layers of the state-space net (rnn-model.ts). The libm
// tanh it replaces (musl's, through expm1) cost two calls per pair of units and was a quarter of
// the model's derivative time.
//
//   tanh(x) = sign(x) · e / (e + 2),   e = expm1(2|x|)
//   expm1(y) = 2^k · expm1(r) + (2^k − 1),   y = k·ln 2 + r,  k = round(y / ln 2),  |r| ≤ ln 2 / 2
//   expm1(r) = r + r²/2! + … + r¹³/13!   (the next term is below 1.5e-17 · |expm1(r)|)
//
// with 2|x| capped at 40, where e/(e+2) rounds to 1 as tanh does (tanh(20) = 1 − 8.5e-18). Every
// step is a plain multiply or add (no fused multiply-add), so both builds of the module give the
// same bits. Within 2 ulp of V8's Math.tanh over the whole line (test/core/rnn-kernel.test.ts);
// NaN stays NaN.

const LN2_HI: f64 = 6.93147180369123816490e-1; // ln 2, the high bits (k·LN2_HI exact for |k| < 2^20)
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700;

@inline
function horner(p: v128, r: v128, c: f64): v128 {
  return f64x2.add(f64x2.mul(p, r), f64x2.splat(c));
}

/** (tanh x₀, tanh x₁) */
@inline
export function tanh2(x: v128): v128 {
  const sign = v128.and(x, f64x2.splat(-0.0));
  const y = f64x2.min(f64x2.add(f64x2.abs(x), f64x2.abs(x)), f64x2.splat(40.0));
  const k = f64x2.nearest(f64x2.mul(y, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(y, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  // expm1(r) = r + r·(r·q),  q = 1/2! + r/3! + … + r¹¹/13!  (Horner, from 1/13! down): the last
  // addition is the only rounding at the size of the result.
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
  const em1r = f64x2.add(r, f64x2.mul(r, f64x2.mul(r, q)));
  // 2^k from its exponent bits (k is 0 … 58 here; a NaN k truncates to 0).
  const kk = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const twoK = i64x2.shl(i64x2.add(kk, i64x2.splat(1023)), 52);
  const e = f64x2.add(f64x2.mul(twoK, em1r), f64x2.sub(twoK, f64x2.splat(1.0)));
  const t = f64x2.div(e, f64x2.add(e, f64x2.splat(2.0)));
  return v128.or(t, sign);
}

/** tanh x by the same evaluation (lane 0), for the scalar paths. */
@inline
export function tanh1(x: f64): f64 {
  return f64x2.extract_lane(tanh2(f64x2.splat(x)), 0);
}
