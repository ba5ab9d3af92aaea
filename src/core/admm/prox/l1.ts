/** ℓ1 proximal operator (soft threshold): argmin_x t|x| + ½(x − v)² = sign(v)·max(|v| − t, 0). */
export function softThreshold(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}
