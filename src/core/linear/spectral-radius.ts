/**
 * ρ(A) = max_i |λ_i(A)|, the spectral radius of a square matrix (A: n × n, row-major), from the
 * eigenvalues of ml-matrix's EigenvalueDecomposition (Hessenberg reduction + shifted QR). A
 * discrete-time model x⁺ = A x + B u is asymptotically stable when ρ(A) < 1.
 */
import { EigenvalueDecomposition } from 'ml-matrix';
import { toMatrix } from './state-space.js';

export function spectralRadius(A: ArrayLike<number>, n: number): number {
  if (n === 0) return 0;
  for (let k = 0; k < n * n; k++) if (!Number.isFinite(A[k]!)) return Infinity;
  const e = new EigenvalueDecomposition(toMatrix(A, n, n));
  let rho = 0;
  e.realEigenvalues.forEach((re, i) => {
    rho = Math.max(rho, Math.hypot(re, e.imaginaryEigenvalues[i]!));
  });
  return rho;
}
