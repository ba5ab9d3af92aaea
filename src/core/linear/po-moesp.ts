/**
 * A and C of a linear state-space model by the PO-MOESP subspace method (past-output multivariable
 * output-error state-space): M. Verhaegen, "Identification of the deterministic part of MIMO
 * state space models given in innovations form from input–output data", Automatica 30(1) (1994)
 * 61–74; as presented in M. Verhaegen & V. Verdult, Filtering and System Identification (2007),
 * §9.6.
 *
 * With horizon s and, for every experiment and every k = 0 … N − 2s, the stacked vectors
 *
 *   u_f = (u[k+s], …, u[k+2s−1]),  u_p = (u[k], …, u[k+s−1]),  y_p = (y[k], …, y[k+s−1]),
 *   y_f = (y[k+s], …, y[k+2s−1])
 *
 * as the columns of the block Hankel matrices U_f (s·nu × M), Z = [U_p; Y_p] (s(nu+ny) × M) and
 * Y_f (s·ny × M), the LQ factorisation
 *
 *   [U_f; Z; Y_f] = [L11 0 0; L21 L22 0; L31 L32 L33] Q
 *
 * gives L32 (s·ny × s(nu+ny)), whose column space is that of the extended observability matrix
 * Γ_s = [C; C A; …; C A^{s−1}] (the past Z is an instrument that removes the noise). With the SVD
 * L32 = U Σ Vᵀ and Γ = U_{:,1:nx}:
 *
 *   C = Γ_{1:ny, :}        A = Γ_up⁺ Γ_down   (least squares; Γ_up / Γ_down drop the last / first block row)
 *
 * Experiments of different lengths just add columns. L is computed as Rᵀ of the QR factor of the
 * transposed data, one Hankel column at a time (TriangularAccumulator), so memory does not grow
 * with N. The singular values Σ are returned: a gap after the nx-th one suggests the order.
 *
 * Stability: when ρ(A) ≥ 1 the estimate is replaced by Maciejowski's guaranteed-stable one,
 * A = Γ⁺ [Γ_down; 0] (J. M. Maciejowski, "Guaranteed stability with subspace methods", Systems &
 * Control Letters 26 (1995) 153–156), and if rounding still leaves ρ(A) ≥ 1, A is scaled to
 * ρ(A) = MAX_RADIUS. The result says which was done.
 */
import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import type { Experiment } from '../data/experiment.js';
import { NailsError } from '../errors.js';
import { spectralRadius } from './spectral-radius.js';
import { fromMatrix } from './state-space.js';
import { TriangularAccumulator } from './triangular-accumulator.js';

/** Spectral radius imposed when the estimate is (numerically) unstable. */
export const MAX_RADIUS = 0.9999;

export type Stabilization = 'none' | 'maciejowski' | 'scaled';

export interface SubspaceEstimate {
  nx: number;
  /** nx × nx */
  A: Float64Array;
  /** ny × nx */
  C: Float64Array;
  /** Σ of L32, largest first (length min(s·ny, s(nu+ny))). */
  singularValues: number[];
  /** Block rows s of the Hankel matrices. */
  horizon: number;
  /** Number of Hankel columns M used. */
  columns: number;
  stabilization: Stabilization;
  /** ρ(A) of the returned A. */
  spectralRadius: number;
}

/** Smallest horizon with (s − 1)·ny ≥ nx (Γ_up must have full column rank nx). */
export function minHorizon(nx: number, ny: number): number {
  return Math.ceil(nx / ny) + 1;
}

/** Hankel columns available with horizon s (experiments shorter than 2s contribute none). */
export function hankelColumns(experiments: readonly Experiment[], s: number): number {
  return experiments.reduce((c, e) => c + Math.max(0, e.N - 2 * s + 1), 0);
}

/**
 * The horizon used when none is given: max(s_min, 2·nx, 10), reduced (not below s_min) until there
 * are at least twice as many Hankel columns as rows. Throws a NailsError when even s_min does not fit.
 */
export function defaultHorizon(
  experiments: readonly Experiment[],
  nx: number,
  nu: number,
  ny: number,
): number {
  const sMin = minHorizon(nx, ny);
  const fits = (s: number) => hankelColumns(experiments, s) >= 4 * s * (nu + ny);
  for (let s = Math.max(sMin, 2 * nx, 10); s >= sMin; s--) if (fits(s)) return s;
  const longest = Math.max(...experiments.map((e) => e.N));
  throw new NailsError(
    `the linear stage cannot estimate nx = ${nx} states from these data: a subspace horizon of ${sMin} needs at least ${2 * sMin - 1 + 4 * sMin * (nu + ny)} samples in one experiment, the longest has ${longest}; use fewer states or \`init random\``,
    'nx',
  );
}

export function poMoesp(
  experiments: readonly Experiment[],
  nx: number,
  o: { horizon?: number } = {},
): SubspaceEstimate {
  if (experiments.length === 0) throw new NailsError('the linear stage needs data', 'train');
  const { nu, ny } = experiments[0]!;
  if (!(Number.isInteger(nx) && nx >= 1))
    throw new NailsError(`nx must be a positive integer, got ${nx}`, 'nx');
  const s = o.horizon ?? defaultHorizon(experiments, nx, nu, ny);
  const sMin = minHorizon(nx, ny);
  if (!(Number.isInteger(s) && s >= sMin))
    throw new NailsError(
      `the subspace horizon must be an integer ≥ ${sMin} for nx = ${nx}, ny = ${ny}; got ${s}`,
      'horizon',
    );
  const m = 2 * s * (nu + ny);
  const M = hankelColumns(experiments, s);
  if (M < m)
    throw new NailsError(
      `the linear stage needs at least ${m} Hankel columns for nx = ${nx} (horizon ${s}) but the data give ${M}; use fewer states or longer records`,
      'nx',
    );
  const L32 = hankelBlock(experiments, s, nu, ny, m);
  const svd = new SingularValueDecomposition(L32, { autoTranspose: true });
  const singularValues = svd.diagonal.slice();
  if (singularValues.length < nx)
    throw new NailsError(`nx = ${nx} exceeds the rank the horizon allows`, 'nx');
  const Gamma = svd.leftSingularVectors.subMatrix(0, s * ny - 1, 0, nx - 1);
  const C = fromMatrix(Gamma.subMatrix(0, ny - 1, 0, nx - 1));
  const up = Gamma.subMatrix(0, (s - 1) * ny - 1, 0, nx - 1);
  const down = Gamma.subMatrix(ny, s * ny - 1, 0, nx - 1);
  let A = fromMatrix(solve(up, down, true));
  let stabilization: Stabilization = 'none';
  let rho = spectralRadius(A, nx);
  if (!(rho < 1)) {
    // Maciejowski (1995): A = Γ⁺ [Γ_down; 0] has ρ(A) < 1.
    const padded = new Matrix(s * ny, nx);
    for (let i = 0; i < (s - 1) * ny; i++)
      for (let j = 0; j < nx; j++) padded.set(i, j, down.get(i, j));
    A = fromMatrix(solve(Gamma, padded, true));
    stabilization = 'maciejowski';
    rho = spectralRadius(A, nx);
    if (!(rho < MAX_RADIUS) && Number.isFinite(rho) && rho > 0) {
      const f = MAX_RADIUS / rho;
      for (let k = 0; k < A.length; k++) A[k] = A[k]! * f;
      stabilization = 'scaled';
      rho = spectralRadius(A, nx);
    }
  }
  if (!Number.isFinite(rho))
    throw new NailsError('the subspace estimate is not finite (are the data constant?)', 'train');
  return {
    nx,
    A,
    C,
    singularValues,
    horizon: s,
    columns: M,
    stabilization,
    spectralRadius: rho,
  };
}

/**
 * L₃₂ (s·ny × s·(nu + ny)) of the LQ factorisation of the stacked block-Hankel rows
 * φ_k = [u_f; u_p; y_p; y_f] (each s samples) over every window k of every record: the R factor
 * of Σ φ_k φ_kᵀ (TriangularAccumulator, m × m) read transposed, L32[i][j] = R[zOff + j][yfOff + i]
 * with Z the rows [s·nu, yfOff). Its own function: its loops are where the engine compiles on
 * stack replacement, and code compiled there would otherwise run on into poMoesp's SVD before that
 * has type feedback (a deoptimization per fit in a sweep, `--trace-deopt`).
 */
function hankelBlock(
  experiments: readonly Experiment[],
  s: number,
  nu: number,
  ny: number,
  m: number,
): Matrix {
  const acc = new TriangularAccumulator(m);
  const phi = new Float64Array(m);
  const upOff = s * nu;
  const ypOff = 2 * s * nu;
  const yfOff = ypOff + s * ny;
  for (const e of experiments) {
    for (let k = 0; k + 2 * s <= e.N; k++) {
      for (let i = 0; i < s; i++) {
        for (let j = 0; j < nu; j++) {
          phi[i * nu + j] = e.u[(k + s + i) * nu + j]!;
          phi[upOff + i * nu + j] = e.u[(k + i) * nu + j]!;
        }
        for (let j = 0; j < ny; j++) {
          phi[ypOff + i * ny + j] = e.y[(k + i) * ny + j]!;
          phi[yfOff + i * ny + j] = e.y[(k + s + i) * ny + j]!;
        }
      }
      acc.add(phi);
    }
  }
  const R = acc.R;
  const zOff = s * nu;
  const zRows = s * (nu + ny);
  const L32 = new Matrix(s * ny, zRows);
  for (let i = 0; i < s * ny; i++)
    for (let j = 0; j < zRows; j++) L32.set(i, j, R[(zOff + j) * m + yfOff + i]!);
  return L32;
}
