/**
 * State coordinates in which the simulated states of the training data are (nearly) white: with
 *
 *   Σ = (1/N) Σ_j Σ_k x_j[k] x_j[k]ᵀ              (second moment of the free-run states)
 *   Σ + ε (tr Σ / nx) I = L Lᵀ                    (Cholesky; ε = WHITEN_FLOOR)
 *
 * the similarity transform x = L x̃ gives
 *
 *   Ã = L⁻¹ A L,   B̃ = L⁻¹ B,   C̃ = C L,   D̃ = D,   x̃0_j = L⁻¹ x0_j
 *
 * the same input–output behaviour, with (1/N) Σ x̃ x̃ᵀ ≈ I. The net that starts from the linear
 * model reads x̃ in its MLPs, so they see states of unit size, like the standardised inputs (a
 * subspace or output-error realisation can have states ten times larger than the outputs).
 * The floor ε keeps directions the data hardly excite from being amplified by more than
 * 1/√ε relative to the others (which would inflate B̃ and the ρ_θ‖θ‖² term; without it, the
 * Wiener–Hammerstein example's linear V rose from 3.035e-2 to 3.43e-2 with ρ_θ = 1e-6). When Σ
 * is not positive definite even with the floor (all states zero) the model is returned as it is.
 * Off by default in identify-linear.ts (measured there).
 */
import { inverse } from 'ml-matrix';
import type { Experiment } from '../data/experiment.js';
import { choleskyInPlace } from '../linalg/cholesky.js';
import { fromMatrix, simulateLinear, toMatrix, type LinearStateSpace } from './state-space.js';

/** ε: the floor of the whitened second moment, relative to its mean eigenvalue. */
export const WHITEN_FLOOR = 1e-2;

export function normalizeStates(
  m: LinearStateSpace,
  x0s: Float64Array,
  experiments: readonly Experiment[],
  floor = WHITEN_FLOOR,
): { model: LinearStateSpace; x0s: Float64Array; transformed: boolean } {
  const { nx, nu } = m;
  const S = new Float64Array(nx * nx);
  let N = 0;
  // states x[0..N−1]: simulate with an identity output map to read them
  const probe: LinearStateSpace = {
    ...m,
    ny: nx,
    C: Float64Array.from({ length: nx * nx }, (_, k) => (k % (nx + 1) === 0 ? 1 : 0)),
    D: new Float64Array(nx * nu),
  };
  experiments.forEach((e, j) => {
    const { y: X } = simulateLinear(probe, e.u, e.N, x0s.subarray(j * nx, (j + 1) * nx));
    for (let k = 0; k < e.N; k++)
      for (let a = 0; a < nx; a++)
        for (let b = 0; b <= a; b++)
          S[a * nx + b] = S[a * nx + b]! + X[k * nx + a]! * X[k * nx + b]!;
    N += e.N;
  });
  for (let a = 0; a < nx; a++)
    for (let b = 0; b <= a; b++) {
      S[a * nx + b] = S[a * nx + b]! / N;
      S[b * nx + a] = S[a * nx + b]!;
    }
  let trace = 0;
  for (let a = 0; a < nx; a++) trace += S[a * nx + a]!;
  for (let a = 0; a < nx; a++) S[a * nx + a] = S[a * nx + a]! + (floor * trace) / nx;
  if (!choleskyInPlace(S, nx)) return { model: m, x0s, transformed: false };
  for (let a = 0; a < nx; a++) for (let b = a + 1; b < nx; b++) S[a * nx + b] = 0;
  const L = toMatrix(S, nx, nx);
  const Li = inverse(L);
  const A = toMatrix(m.A, nx, nx);
  const B = toMatrix(m.B, nx, nu);
  const C = toMatrix(m.C, m.ny, nx);
  const X0 = toMatrix(x0s, experiments.length, nx);
  return {
    model: {
      ...m,
      A: fromMatrix(Li.mmul(A).mmul(L)),
      B: nu > 0 ? fromMatrix(Li.mmul(B)) : new Float64Array(0),
      C: fromMatrix(C.mmul(L)),
    },
    // rows x0_jᵀ → (L⁻¹ x0_j)ᵀ = x0_jᵀ L⁻ᵀ
    x0s: fromMatrix(X0.mmul(Li.transpose())),
    transformed: true,
  };
}
