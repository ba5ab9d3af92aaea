/**
 * A discrete-time linear state-space model in flat row-major arrays
 *
 *   x[k+1] = A x[k] + B u[k]        y[k] = C x[k] + D u[k]
 *
 * A: nx × nx, B: nx × nu, C: ny × nx, D: ny × nu (all zeros when the model has no feedthrough).
 */
import { Matrix } from 'ml-matrix';

export interface LinearStateSpace {
  nx: number;
  nu: number;
  ny: number;
  /** nx × nx */
  A: Float64Array;
  /** nx × nu */
  B: Float64Array;
  /** ny × nx */
  C: Float64Array;
  /** ny × nu (zeros without feedthrough) */
  D: Float64Array;
  /** Whether D is a free parameter (false: D ≡ 0). */
  feedthrough: boolean;
}

/** Row-major flat array → ml-matrix Matrix (rows × cols). */
export function toMatrix(a: ArrayLike<number>, rows: number, cols: number): Matrix {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, a[i * cols + j]!);
  return M;
}

/** ml-matrix Matrix → row-major flat array. */
export function fromMatrix(M: Matrix): Float64Array {
  const out = new Float64Array(M.rows * M.columns);
  for (let i = 0; i < M.rows; i++)
    for (let j = 0; j < M.columns; j++) out[i * M.columns + j] = M.get(i, j);
  return out;
}

/**
 * Free-run simulation from x0: y (N × ny, row-major) for u (N × nu, row-major). Returns the
 * final state too (x[N]).
 */
export function simulateLinear(
  m: LinearStateSpace,
  u: Float64Array,
  N: number,
  x0: ArrayLike<number>,
): { y: Float64Array; xN: Float64Array } {
  const { nx, nu, ny, A, B, C, D } = m;
  let x = Float64Array.from(x0);
  let xn = new Float64Array(nx);
  const y = new Float64Array(N * ny);
  for (let k = 0; k < N; k++) {
    const uo = k * nu;
    for (let r = 0; r < ny; r++) {
      let s = 0;
      for (let j = 0; j < nx; j++) s += C[r * nx + j]! * x[j]!;
      for (let j = 0; j < nu; j++) s += D[r * nu + j]! * u[uo + j]!;
      y[k * ny + r] = s;
    }
    for (let i = 0; i < nx; i++) {
      let s = 0;
      for (let j = 0; j < nx; j++) s += A[i * nx + j]! * x[j]!;
      for (let j = 0; j < nu; j++) s += B[i * nu + j]! * u[uo + j]!;
      xn[i] = s;
    }
    [x, xn] = [xn, x];
  }
  return { y, xN: x };
}
