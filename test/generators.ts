/**
 * fast-check generators in the ranges a model meets: magnitudes 1e-3…1e3 (and exact zeros),
 * never subnormals, 1e-200 or 1e300, so a property that fails points at a real defect, not at
 * floating-point underflow no model ever reaches.
 */
import fc from 'fast-check';

/** |x| in [lo, hi], log-uniform (every decade as likely). */
export function magnitude(lo = 1e-3, hi = 1e3): fc.Arbitrary<number> {
  return fc
    .double({ min: Math.log10(lo), max: Math.log10(hi), noNaN: true, noDefaultInfinity: true })
    .map((e) => 10 ** e);
}

/** A signed value with |x| in [lo, hi], or 0 one time in ten. */
export function realistic(lo = 1e-3, hi = 1e3): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    {
      weight: 9,
      arbitrary: fc.tuple(fc.boolean(), magnitude(lo, hi)).map(([neg, m]) => (neg ? -m : m)),
    },
  );
}
