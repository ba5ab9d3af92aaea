// AssemblyScript (compiled into the Gauss–Newton module; see gauss-newton.ts): the ELU activation
// and its derivative, two units at once in 128-bit SIMD, for the hidden layers of the state-space
// net (rnn-model.ts). The libm expm1 and exp they replace (two scalar calls per unit) were a sixth
// of a Cascaded-tanks fit's solver time.
//
//   σ(z) = z (z ≥ 0), expm1(z) (z < 0);   σ'(z) = 1 (z ≥ 0), exp(z) (z < 0)
//
// with expm1 and exp from one range reduction (expm1.ts) of y = max(z, −708) (exp(−708) is still
// normal; below it σ = −1 and σ' < 3.3e-308 in both evaluations). Within 2 ulp of V8's Math.expm1
// and Math.exp (test/core/rnn-kernel.test.ts); NaN stays NaN; ±0 map to themselves.

import { expK, expm1Reduced, pow2 } from './expm1';

/** a = σ(z), and σ'(z) into dz when `deriv`, for n units (an odd last one by elu1, eluDeriv1). */
@inline
export function eluLayer(z: usize, a: usize, dz: usize, n: i32, deriv: bool): void {
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const o = (<usize>i) << 3;
    const zv = v128.load(z + o);
    const y = f64x2.min(f64x2.max(zv, f64x2.splat(-708.0)), f64x2.splat(0.0));
    const k = expK(y);
    const twoK = pow2(k);
    const t = f64x2.mul(twoK, expm1Reduced(y, k));
    const pos = f64x2.ge(zv, f64x2.splat(0.0));
    v128.store(a + o, v128.bitselect(zv, f64x2.add(t, f64x2.sub(twoK, f64x2.splat(1.0))), pos));
    if (deriv) v128.store(dz + o, v128.bitselect(f64x2.splat(1.0), f64x2.add(t, twoK), pos));
  }
  if (n & 1) {
    const o = (<usize>n2) << 3;
    const zi = load<f64>(z + o);
    store<f64>(a + o, elu1(zi));
    if (deriv) store<f64>(dz + o, eluDeriv1(zi));
  }
}

/** σ(z) by the same evaluation (lane 0), for the scalar paths. */
@inline
export function elu1(z: f64): f64 {
  const y = f64x2.min(f64x2.max(f64x2.splat(z), f64x2.splat(-708.0)), f64x2.splat(0.0));
  const k = expK(y);
  const twoK = pow2(k);
  const e = f64x2.add(f64x2.mul(twoK, expm1Reduced(y, k)), f64x2.sub(twoK, f64x2.splat(1.0)));
  return z >= 0 ? z : f64x2.extract_lane(e, 0);
}

/** σ'(z) by the same evaluation (lane 0), for the scalar paths. */
@inline
export function eluDeriv1(z: f64): f64 {
  const y = f64x2.min(f64x2.max(f64x2.splat(z), f64x2.splat(-708.0)), f64x2.splat(0.0));
  const k = expK(y);
  const twoK = pow2(k);
  return z >= 0 ? 1.0 : f64x2.extract_lane(f64x2.add(f64x2.mul(twoK, expm1Reduced(y, k)), twoK), 0);
}
