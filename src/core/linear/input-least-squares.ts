/**
 * B, D and the initial states of a linear state-space model with A and C fixed, by linear least
 * squares (the second step of MOESP; Verhaegen & Verdult, Filtering and System Identification,
 * 2007, §9.2.4). The simulated output is linear in them:
 *
 *   ŷ_j[k] = C A^k x0_j + Σ_{τ<k} C A^{k−1−τ} B u_j[τ] + D u_j[k]
 *          = Σ_{i,l} B_il · (C ξ^{il}_j[k]) + Σ_{r,l} D_rl · e_r u_jl[k] + (C A^k) x0_j
 *
 * where ξ^{il}[k+1] = A ξ^{il}[k] + e_i u_l[k], ξ^{il}[0] = 0 (one simulation per entry of B).
 * Unknowns p = (vec B, vec D when `feedthrough`, x0_1, …, x0_E) (row-major vec), one regression
 * row per sample and output; min ‖Φ p − y‖² is solved from the streamed QR factor of [Φ y]
 * (TriangularAccumulator) and the SVD of its triangle (minimum-norm solution when Φ is rank
 * deficient, e.g. an input that is identically zero).
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Experiment } from '../data/experiment.js';
import { TriangularAccumulator } from './triangular-accumulator.js';

export interface InputEstimate {
  /** nx × nu */
  B: Float64Array;
  /** ny × nu (zeros without feedthrough) */
  D: Float64Array;
  /** E × nx */
  x0s: Float64Array;
  /** Σ_j Σ_k ‖y_j[k] − ŷ_j[k]‖² at the solution. */
  sse: number;
}

export function estimateInputMatrices(
  experiments: readonly Experiment[],
  A: Float64Array,
  C: Float64Array,
  nx: number,
  feedthrough: boolean,
): InputEstimate {
  const { nu, ny } = experiments[0]!;
  const E = experiments.length;
  const nB = nx * nu;
  const nD = feedthrough ? ny * nu : 0;
  const p = nB + nD + E * nx;
  const acc = new TriangularAccumulator(p + 1);
  const row = new Float64Array(p + 1);
  // ξ^{il}: nB states of size nx, stored at (i·nu + l)·nx.
  let xi = new Float64Array(nB * nx);
  let xiNext = new Float64Array(nB * nx);
  // P = A^k (nx × nx)
  let P = new Float64Array(nx * nx);
  let Pn = new Float64Array(nx * nx);
  experiments.forEach((e, j) => {
    xi.fill(0);
    P.fill(0);
    for (let i = 0; i < nx; i++) P[i * nx + i] = 1;
    const x0Off = nB + nD + j * nx;
    for (let k = 0; k < e.N; k++) {
      const uo = k * nu;
      for (let r = 0; r < ny; r++) {
        row.fill(0);
        for (let b = 0; b < nB; b++) {
          let s = 0;
          for (let q = 0; q < nx; q++) s += C[r * nx + q]! * xi[b * nx + q]!;
          row[b] = s;
        }
        if (feedthrough) for (let l = 0; l < nu; l++) row[nB + r * nu + l] = e.u[uo + l]!;
        for (let i = 0; i < nx; i++) {
          let s = 0;
          for (let q = 0; q < nx; q++) s += C[r * nx + q]! * P[q * nx + i]!;
          row[x0Off + i] = s;
        }
        row[p] = e.y[k * ny + r]!;
        acc.add(row);
      }
      // ξ ← A ξ + e_i u_l;  P ← A P
      for (let i = 0; i < nx; i++)
        for (let l = 0; l < nu; l++) {
          const b = i * nu + l;
          for (let a = 0; a < nx; a++) {
            let s = a === i ? e.u[uo + l]! : 0;
            for (let q = 0; q < nx; q++) s += A[a * nx + q]! * xi[b * nx + q]!;
            xiNext[b * nx + a] = s;
          }
        }
      [xi, xiNext] = [xiNext, xi];
      for (let a = 0; a < nx; a++)
        for (let c = 0; c < nx; c++) {
          let s = 0;
          for (let q = 0; q < nx; q++) s += A[a * nx + q]! * P[q * nx + c]!;
          Pn[a * nx + c] = s;
        }
      [P, Pn] = [Pn, P];
    }
  });
  const R = acc.R;
  const m = p + 1;
  const R11 = new Matrix(p, p);
  const r12 = new Matrix(p, 1);
  for (let a = 0; a < p; a++) {
    for (let c = a; c < p; c++) R11.set(a, c, R[a * m + c]!);
    r12.set(a, 0, R[a * m + p]!);
  }
  const sol = new SingularValueDecomposition(R11).solve(r12);
  const theta = new Float64Array(p);
  for (let a = 0; a < p; a++) theta[a] = sol.get(a, 0);
  // SSE = ‖r12 − R11 p‖² + R[p][p]²
  let sse = R[p * m + p]! ** 2;
  for (let a = 0; a < p; a++) {
    let s = r12.get(a, 0);
    for (let c = a; c < p; c++) s -= R[a * m + c]! * theta[c]!;
    sse += s * s;
  }
  return {
    B: theta.slice(0, nB),
    D: feedthrough ? theta.slice(nB, nB + nD) : new Float64Array(ny * nu),
    x0s: theta.slice(nB + nD),
    sse,
  };
}
