/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive-definite n × n matrix (row-major),
 * in place (L in the lower triangle), and the solves with it. A matrix that is not numerically
 * positive definite is reported (returns false), never thrown: callers raise the damping.
 */

/** Factorises A in place; returns false when a pivot is ≤ 0 or not finite. */
export function choleskyInPlace(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j]!;
    for (let k = 0; k < j; k++) d -= A[rj + k]! * A[rj + k]!;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j]!;
      for (let k = 0; k < j; k++) s -= A[ri + k]! * A[rj + k]!;
      A[ri + j] = s * inv;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place in b (L from choleskyInPlace). */
export function choleskySolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k]!;
    b[i] = s / L[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
}

/** Solves L Lᵀ X = B for the m columns of B (n × m, row-major) in place. */
export function choleskySolveColumnsInPlace(
  L: Float64Array,
  n: number,
  B: Float64Array,
  m: number,
): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      for (let c = 0; c < m; c++) B[i * m + c] = B[i * m + c]! - l * B[k * m + c]!;
    }
    const d = 1 / L[ri + i]!;
    for (let c = 0; c < m; c++) B[i * m + c] = B[i * m + c]! * d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const l = L[k * n + i]!;
      if (l === 0) continue;
      for (let c = 0; c < m; c++) B[i * m + c] = B[i * m + c]! - l * B[k * m + c]!;
    }
    const d = 1 / L[i * n + i]!;
    for (let c = 0; c < m; c++) B[i * m + c] = B[i * m + c]! * d;
  }
}
