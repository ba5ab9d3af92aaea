/**
 * ℓ0 proximal operator (hard threshold): argmin_x t·[x ≠ 0] + ½(x − v)² keeps v when
 * ½v² > t, i.e. |v| > √(2t), else 0 (ties go to 0).
 */
export function hardThreshold(v: number, t: number): number {
  return v * v > 2 * t ? v : 0;
}

/**
 * Projection onto {x : ‖x‖₀ ≤ k} (an ℓ0 budget): keeps the k entries of largest magnitude of
 * `v` at `indices` and zeroes the rest (ties broken by position, earlier first). In place.
 */
export function keepLargest(v: Float64Array, indices: ArrayLike<number>, k: number): void {
  const order = Array.from(indices).sort((a, b) => Math.abs(v[b]!) - Math.abs(v[a]!) || a - b);
  for (let i = k; i < order.length; i++) v[order[i]!] = 0;
}
