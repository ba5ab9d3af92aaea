/**
 * Symmetric rank-k update, the hot kernel of the Gauss–Newton accumulation (ALGORITHM.md §3):
 *
 *   M (n × n, row-major, upper triangle) += Σ_r a_r a_rᵀ = Aᵀ A
 *
 * with the chunk A stored **column-major** as `At` (n × ld: column i of A is At[i·ld .. i·ld+rows)),
 * so every entry M_ij is a contiguous dot product of two rows of At. Only the upper triangle
 * (j ≥ i) is written; `symmetrize` copies it to the lower one.
 */

/** Reference kernel: plain dot products, one entry at a time. */
export function syrkUpperReference(
  At: Float64Array,
  ld: number,
  rows: number,
  n: number,
  M: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const ai = i * ld;
    for (let j = i; j < n; j++) {
      const aj = j * ld;
      let s = 0;
      for (let r = 0; r < rows; r++) s += At[ai + r]! * At[aj + r]!;
      M[i * n + j] = M[i * n + j]! + s;
    }
  }
}

/**
 * Register-blocked kernel: 4 × 4 tiles of M, each At value loaded once per tile row/column and
 * reused four times; remainder rows/columns fall back to narrower tiles. Same result as the
 * reference up to floating-point summation order (tested).
 */
export function syrkUpper(
  At: Float64Array,
  ld: number,
  rows: number,
  n: number,
  M: Float64Array,
): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * ld;
    const a1 = a0 + ld;
    const a2 = a1 + ld;
    const a3 = a2 + ld;
    // Diagonal 4 × 4 tile (upper part).
    {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0,
        s22 = 0,
        s23 = 0,
        s33 = 0;
      for (let r = 0; r < rows; r++) {
        const x0 = At[a0 + r]!,
          x1 = At[a1 + r]!,
          x2 = At[a2 + r]!,
          x3 = At[a3 + r]!;
        s00 += x0 * x0;
        s01 += x0 * x1;
        s02 += x0 * x2;
        s03 += x0 * x3;
        s11 += x1 * x1;
        s12 += x1 * x2;
        s13 += x1 * x3;
        s22 += x2 * x2;
        s23 += x2 * x3;
        s33 += x3 * x3;
      }
      const m = i * n + i;
      M[m] = M[m]! + s00;
      M[m + 1] = M[m + 1]! + s01;
      M[m + 2] = M[m + 2]! + s02;
      M[m + 3] = M[m + 3]! + s03;
      M[m + n + 1] = M[m + n + 1]! + s11;
      M[m + n + 2] = M[m + n + 2]! + s12;
      M[m + n + 3] = M[m + n + 3]! + s13;
      M[m + 2 * n + 2] = M[m + 2 * n + 2]! + s22;
      M[m + 2 * n + 3] = M[m + 2 * n + 3]! + s23;
      M[m + 3 * n + 3] = M[m + 3 * n + 3]! + s33;
    }
    for (let j = i + 4; j < n4; j += 4) {
      const b0 = j * ld;
      const b1 = b0 + ld;
      const b2 = b1 + ld;
      const b3 = b2 + ld;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let r = 0; r < rows; r++) {
        const x0 = At[a0 + r]!,
          x1 = At[a1 + r]!,
          x2 = At[a2 + r]!,
          x3 = At[a3 + r]!;
        const y0 = At[b0 + r]!,
          y1 = At[b1 + r]!,
          y2 = At[b2 + r]!,
          y3 = At[b3 + r]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      let m = i * n + j;
      M[m] = M[m]! + s00;
      M[m + 1] = M[m + 1]! + s01;
      M[m + 2] = M[m + 2]! + s02;
      M[m + 3] = M[m + 3]! + s03;
      m += n;
      M[m] = M[m]! + s10;
      M[m + 1] = M[m + 1]! + s11;
      M[m + 2] = M[m + 2]! + s12;
      M[m + 3] = M[m + 3]! + s13;
      m += n;
      M[m] = M[m]! + s20;
      M[m + 1] = M[m + 1]! + s21;
      M[m + 2] = M[m + 2]! + s22;
      M[m + 3] = M[m + 3]! + s23;
      m += n;
      M[m] = M[m]! + s30;
      M[m + 1] = M[m + 1]! + s31;
      M[m + 2] = M[m + 2]! + s32;
      M[m + 3] = M[m + 3]! + s33;
    }
    // Remainder columns j ≥ n4 for these four rows.
    for (let j = n4; j < n; j++) {
      const b = j * ld;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let r = 0; r < rows; r++) {
        const y = At[b + r]!;
        s0 += At[a0 + r]! * y;
        s1 += At[a1 + r]! * y;
        s2 += At[a2 + r]! * y;
        s3 += At[a3 + r]! * y;
      }
      M[i * n + j] = M[i * n + j]! + s0;
      M[(i + 1) * n + j] = M[(i + 1) * n + j]! + s1;
      M[(i + 2) * n + j] = M[(i + 2) * n + j]! + s2;
      M[(i + 3) * n + j] = M[(i + 3) * n + j]! + s3;
    }
  }
  // Remainder rows i ≥ n4 (upper triangle only).
  for (let i = n4; i < n; i++) {
    const a = i * ld;
    for (let j = i; j < n; j++) {
      const b = j * ld;
      let s = 0;
      for (let r = 0; r < rows; r++) s += At[a + r]! * At[b + r]!;
      M[i * n + j] = M[i * n + j]! + s;
    }
  }
}

/** Copies the upper triangle of M (n × n) onto the lower one. */
export function symmetrize(M: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) M[j * n + i] = M[i * n + j]!;
}
