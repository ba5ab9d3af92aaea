// AssemblyScript (compiled into the Gauss–Newton module; see gauss-newton.ts): tanh of two f64 at
// once in 128-bit SIMD, for the hidden layers of the state-space net (rnn-model.ts). The libm
// tanh it replaces (musl's, through expm1) cost two calls per pair of units and was a quarter of
// the model's derivative time.
//
//   tanh(x) = sign(x) · e / (e + 2),   e = expm1(2|x|)   (expm1: expm1.ts)
//
// with 2|x| capped at 40, where e/(e+2) rounds to 1 as tanh does (tanh(20) = 1 − 8.5e-18). Every
// step is a plain multiply or add (no fused multiply-add), so both builds of the module give the
// same bits. Within 2 ulp of V8's Math.tanh over the whole line (test/core/rnn-kernel.test.ts);
// NaN stays NaN.

import { expK, expm1Reduced, pow2 } from './expm1';

/** (tanh x₀, tanh x₁) */
@inline
export function tanh2(x: v128): v128 {
  const sign = v128.and(x, f64x2.splat(-0.0));
  const y = f64x2.min(f64x2.add(f64x2.abs(x), f64x2.abs(x)), f64x2.splat(40.0));
  const k = expK(y);
  const em1r = expm1Reduced(y, k);
  // k is 0 … 58 here.
  const twoK = pow2(k);
  const e = f64x2.add(f64x2.mul(twoK, em1r), f64x2.sub(twoK, f64x2.splat(1.0)));
  const t = f64x2.div(e, f64x2.add(e, f64x2.splat(2.0)));
  return v128.or(t, sign);
}

/** tanh x by the same evaluation (lane 0), for the scalar paths. */
@inline
export function tanh1(x: f64): f64 {
  return f64x2.extract_lane(tanh2(f64x2.splat(x)), 0);
}
