// AssemblyScript (compiled to WebAssembly with SIMD by scripts/build-kernels.mjs; not TypeScript).
//
// Cholesky factorisation A = L Lᵀ of a symmetric positive-definite n × n matrix (row-major f64,
// lower triangle read and overwritten by L), and the solve L Lᵀ x = b, for the damped
// Gauss–Newton step (src/core/solver/block-arrow.ts). The same left-looking (Crout) order as
// src/core/linalg/cholesky.ts, with every inner product over contiguous row prefixes in f64x2:
//
//   L[j, j] = √(A[j, j] − L[j, :j]·L[j, :j]),   L[i, j] = (A[i, j] − L[i, :j]·L[j, :j]) / L[j, j]  (i > j)
//
// two rows i at a time sharing the loads of row j. Built twice (relaxed SIMD with fused
// multiply-add where the CPU has it, and plain SIMD); the roundings differ from the TypeScript
// oracle's sequential sums by the order of the additions and, in the relaxed build, by the fused
// multiply-adds (test/core/cholesky-wasm.test.ts: both builds against the oracle).

/** acc + a·b, fused when the relaxed-SIMD build runs on an FMA machine. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(acc, f64x2.mul(a, b));
}

/** Σ_k x[k]·y[k] for k < len (x, y: byte addresses of f64 arrays). */
@inline
function dot(x: usize, y: usize, len: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let k = 0;
  for (; k + 3 < len; k += 4) {
    const o = (<usize>k) << 3;
    a0 = madd(v128.load(x + o), v128.load(y + o), a0);
    a1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), a1);
  }
  if (k + 1 < len) {
    const o = (<usize>k) << 3;
    a0 = madd(v128.load(x + o), v128.load(y + o), a0);
    k += 2;
  }
  const s = f64x2.add(a0, a1);
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (k < len) r += load<f64>(x + ((<usize>k) << 3)) * load<f64>(y + ((<usize>k) << 3));
  return r;
}

/**
 * Factorises A (n × n at byte address a) in place; returns 1, or 0 when a pivot is ≤ 0 or not
 * finite (A is then partly overwritten).
 */
export function cholesky(a: usize, n: i32): i32 {
  const row = (<usize>n) << 3;
  for (let j = 0; j < n; j++) {
    const rj = a + (<usize>j) * row;
    const jj = rj + ((<usize>j) << 3);
    const d = load<f64>(jj) - dot(rj, rj, j);
    if (!(d > 0) || !isFinite(d)) return 0;
    const ljj = Math.sqrt(d);
    store<f64>(jj, ljj);
    const inv = 1 / ljj;
    let i = j + 1;
    for (; i + 1 < n; i += 2) {
      // rows i and i + 1 against row j: four accumulators, row j loaded once
      const ri = a + (<usize>i) * row;
      const rk = ri + row;
      let p0 = f64x2.splat(0);
      let p1 = f64x2.splat(0);
      let q0 = f64x2.splat(0);
      let q1 = f64x2.splat(0);
      let k = 0;
      for (; k + 3 < j; k += 4) {
        const o = (<usize>k) << 3;
        const l0 = v128.load(rj + o);
        const l1 = v128.load(rj + o, 16);
        p0 = madd(v128.load(ri + o), l0, p0);
        p1 = madd(v128.load(ri + o, 16), l1, p1);
        q0 = madd(v128.load(rk + o), l0, q0);
        q1 = madd(v128.load(rk + o, 16), l1, q1);
      }
      if (k + 1 < j) {
        const o = (<usize>k) << 3;
        const l0 = v128.load(rj + o);
        p0 = madd(v128.load(ri + o), l0, p0);
        q0 = madd(v128.load(rk + o), l0, q0);
        k += 2;
      }
      const ps = f64x2.add(p0, p1);
      const qs = f64x2.add(q0, q1);
      let s = f64x2.extract_lane(ps, 0) + f64x2.extract_lane(ps, 1);
      let t = f64x2.extract_lane(qs, 0) + f64x2.extract_lane(qs, 1);
      if (k < j) {
        const o = (<usize>k) << 3;
        const l = load<f64>(rj + o);
        s += load<f64>(ri + o) * l;
        t += load<f64>(rk + o) * l;
      }
      const oj = (<usize>j) << 3;
      store<f64>(ri + oj, (load<f64>(ri + oj) - s) * inv);
      store<f64>(rk + oj, (load<f64>(rk + oj) - t) * inv);
    }
    if (i < n) {
      const ri = a + (<usize>i) * row;
      const oj = (<usize>j) << 3;
      store<f64>(ri + oj, (load<f64>(ri + oj) - dot(ri, rj, j)) * inv);
    }
  }
  return 1;
}

/**
 * Solves L Lᵀ x = b in place in b (n, at byte address b) with L from `cholesky` at l: forward
 * y_i = (b_i − L[i, :i]·y[:i]) / L[i, i], then backward x_i = y_i / L[i, i] and
 * y[:i] −= x_i·L[i, :i] (row prefixes again, so every loop is contiguous).
 */
export function choleskySolve(l: usize, n: i32, b: usize): void {
  const row = (<usize>n) << 3;
  for (let i = 0; i < n; i++) {
    const ri = l + (<usize>i) * row;
    const bi = b + ((<usize>i) << 3);
    store<f64>(bi, (load<f64>(bi) - dot(ri, b, i)) / load<f64>(ri + ((<usize>i) << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = l + (<usize>i) * row;
    const bi = b + ((<usize>i) << 3);
    const x = load<f64>(bi) / load<f64>(ri + ((<usize>i) << 3));
    store<f64>(bi, x);
    const xv = f64x2.splat(-x);
    let k = 0;
    for (; k + 1 < i; k += 2) {
      const o = (<usize>k) << 3;
      v128.store(b + o, madd(xv, v128.load(ri + o), v128.load(b + o)));
    }
    if (k < i) {
      const o = (<usize>k) << 3;
      store<f64>(b + o, load<f64>(b + o) - x * load<f64>(ri + o));
    }
  }
}
