/** Projections onto the constraint sets of ALGORITHM.md §5 (argmin_{x ∈ C} |x − v|, per entry). */

/** Box [lo, hi]: clip. */
export function clip(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Integers in [lo, hi]: round (half away from zero), then clip to the integer range. */
export function nearestInteger(v: number, lo = -Infinity, hi = Infinity): number {
  const r = Math.sign(v) * Math.round(Math.abs(v));
  return clip(r, Math.ceil(lo), Math.floor(hi));
}

/** A finite level set {q_1 < … < q_m} (sorted ascending): the nearest level (the lower on ties). */
export function nearestLevel(v: number, levels: readonly number[]): number {
  // Bisection to neighbours levels[lo] ≤ v < levels[hi] (lo = 0 or hi = m − 1 when v is outside
  // the range, where the comparison below picks the end level: one of its sides is negative).
  let lo = 0;
  let hi = levels.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (levels[mid]! <= v) lo = mid;
    else hi = mid;
  }
  return v - levels[lo]! <= levels[hi]! - v ? levels[lo]! : levels[hi]!;
}
