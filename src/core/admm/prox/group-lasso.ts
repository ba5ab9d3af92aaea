/**
 * Group-Lasso proximal operator (block soft threshold) on the entries `indices` of v, in place:
 *   argmin_x t‖x‖₂ + ½‖x − v‖² = max(0, 1 − t/‖v‖₂) · v.
 */
export function blockSoftThreshold(v: Float64Array, indices: ArrayLike<number>, t: number): void {
  let s = 0;
  for (let i = 0; i < indices.length; i++) s += v[indices[i]!]! ** 2;
  const norm = Math.sqrt(s);
  const factor = norm > t ? 1 - t / norm : 0;
  for (let i = 0; i < indices.length; i++) v[indices[i]!] = v[indices[i]!]! * factor;
}
