/**
 * Input–output descriptions of a linear state-space model that do not depend on the choice of
 * state coordinates (so an estimate can be compared with the true system):
 *
 *   Markov parameters   h_0 = D,  h_k = C A^{k−1} B  (k ≥ 1)              each ny × nu
 *   frequency response  G(e^{jω}) = C (e^{jω} I − A)⁻¹ B + D              ny × nu complex
 */
import { solve } from 'ml-matrix';
import { toMatrix, type LinearStateSpace } from './state-space.js';

/** h_0 … h_{K−1}: K × ny × nu, row-major (h_k at k·ny·nu). */
export function markovParameters(m: LinearStateSpace, K: number): Float64Array {
  const { nx, nu, ny, A, B, C, D } = m;
  const out = new Float64Array(K * ny * nu);
  if (K > 0) out.set(D, 0);
  // P = A^{k−1} B (nx × nu)
  let P = Float64Array.from(B);
  for (let k = 1; k < K; k++) {
    const o = k * ny * nu;
    for (let r = 0; r < ny; r++)
      for (let j = 0; j < nu; j++) {
        let s = 0;
        for (let i = 0; i < nx; i++) s += C[r * nx + i]! * P[i * nu + j]!;
        out[o + r * nu + j] = s;
      }
    const next = new Float64Array(nx * nu);
    for (let i = 0; i < nx; i++)
      for (let j = 0; j < nu; j++) {
        let s = 0;
        for (let l = 0; l < nx; l++) s += A[i * nx + l]! * P[l * nu + j]!;
        next[i * nu + j] = s;
      }
    P = next;
  }
  return out;
}

/**
 * G(e^{jω}) at each ω (radians per sample): re and im, each W × ny × nu row-major. The complex
 * system (zI − A) X = B is solved as the real 2nx system [[cI − A, −sI], [sI, cI − A]] with
 * z = c + js.
 */
export function frequencyResponse(
  m: LinearStateSpace,
  omegas: ArrayLike<number>,
): { re: Float64Array; im: Float64Array } {
  const { nx, nu, ny, A, B, C, D } = m;
  const W = omegas.length;
  const re = new Float64Array(W * ny * nu);
  const im = new Float64Array(W * ny * nu);
  const Am = toMatrix(A, nx, nx);
  for (let w = 0; w < W; w++) {
    const c = Math.cos(omegas[w]!);
    const s = Math.sin(omegas[w]!);
    const M = toMatrix(new Float64Array(4 * nx * nx), 2 * nx, 2 * nx);
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < nx; j++) {
        const v = (i === j ? c : 0) - Am.get(i, j);
        M.set(i, j, v);
        M.set(nx + i, nx + j, v);
      }
      M.set(i, nx + i, -s);
      M.set(nx + i, i, s);
    }
    const rhs = toMatrix(new Float64Array(2 * nx * nu), 2 * nx, nu);
    for (let i = 0; i < nx; i++) for (let j = 0; j < nu; j++) rhs.set(i, j, B[i * nu + j]!);
    const X = solve(M, rhs);
    const o = w * ny * nu;
    for (let r = 0; r < ny; r++)
      for (let j = 0; j < nu; j++) {
        let sr = D[r * nu + j]!;
        let si = 0;
        for (let i = 0; i < nx; i++) {
          sr += C[r * nx + i]! * X.get(i, j);
          si += C[r * nx + i]! * X.get(nx + i, j);
        }
        re[o + r * nu + j] = sr;
        im[o + r * nu + j] = si;
      }
  }
  return { re, im };
}
