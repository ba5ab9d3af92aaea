// AssemblyScript (compiled to WebAssembly with SIMD by scripts/build-kernels.mjs; not TypeScript).
//
//   M (n × n, row-major f64, upper triangle) += Aᵀ A
//
// for a chunk A (rows × n) stored column-major as At (column i of A at At[i·ld .. i·ld + rows)).
// GEMM-style: A is first packed into panels of W columns, sample-major
// (pk[p·rows·W + r·W + c] = A[r, W·p + c], zero past column n), then every register tile of M on
// or above the diagonal is the sum over r of outer products of panel rows. The relaxed-SIMD build
// (fused multiply-add: one instruction per accumulator update) uses W = 6 and 6 × 3 tiles in nine
// f64x2 accumulators (3 loads and 3 broadcasts per 18 multiply-adds): nine accumulators and six
// loaded values fill V8's 15 vector registers, and the ninth chain hides more of the multiply-add
// latency than the 4 × 4 tile's eight. The plain-SIMD build (Node 20: a multiply and an add, so
// one more register per update) keeps W = 4 and 4 × 4 tiles in eight accumulators, which fit;
// 6 × 3 would spill there (bench/kernel-rate.ts: 9 GFLOP/s against 22). Each entry of M is one
// chain of multiply-adds over the rows in order, whatever the tile.

/** Panel width: 6 in the relaxed-SIMD build, 4 in the plain one (see above). */
const W: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;

/** acc + a·b, fused when the relaxed-SIMD build runs on an FMA machine. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * Panels of W columns, sample-major, zero-padded to a multiple of W columns. Two columns at a
 * time: a pair of rows from each, transposed in registers into two rows of the panel.
 */
function pack(at: usize, ld: i32, rows: i32, n: i32, pk: usize): void {
  const np = (n + W - 1) / W;
  const rowBytes = (<usize>W) << 3;
  const panel = (<usize>rows) * rowBytes;
  const colBytes = (<usize>ld) << 3;
  const r2 = rows & ~1;
  for (let c0 = 0; c0 < np * W; c0 += 2) {
    const dst = pk + (<usize>(c0 / W)) * panel + ((<usize>(c0 % W)) << 3);
    const s0 = at + (<usize>c0) * colBytes;
    const s1 = s0 + colBytes;
    if (c0 + 1 < n) {
      for (let r = 0; r < r2; r += 2) {
        const a = v128.load(s0 + ((<usize>r) << 3)); // A[r, c0], A[r + 1, c0]
        const b = v128.load(s1 + ((<usize>r) << 3)); // A[r, c0 + 1], A[r + 1, c0 + 1]
        const d = dst + (<usize>r) * rowBytes;
        v128.store(d, v128.shuffle<f64>(a, b, 0, 2));
        v128.store(d + rowBytes, v128.shuffle<f64>(a, b, 1, 3));
      }
      if (rows & 1) {
        const o = (<usize>r2) << 3;
        const d = dst + (<usize>r2) * rowBytes;
        store<f64>(d, load<f64>(s0 + o));
        store<f64>(d, load<f64>(s1 + o), 8);
      }
    } else if (c0 < n) {
      for (let r = 0; r < rows; r++) {
        const d = dst + (<usize>r) * rowBytes;
        store<f64>(d, load<f64>(s0 + ((<usize>r) << 3)));
        store<f64>(d, 0.0, 8);
      }
    } else {
      for (let r = 0; r < rows; r++) v128.store(dst + (<usize>r) * rowBytes, f64x2.splat(0));
    }
  }
}

/** M[i, j] += v for an entry of the upper triangle inside n × n (padding and the lower half skipped). */
@inline
function put(m: usize, n: i32, i: i32, j: i32, v: f64): void {
  if (j < n && i <= j) {
    const p = m + (((<usize>i) * <usize>n + <usize>j) << 3);
    store<f64>(p, load<f64>(p) + v);
  }
}

/** Adds an accumulator (rows i, i + 1 of column j) to M. */
@inline
export function put2(m: usize, n: i32, i: i32, j: i32, v: v128): void {
  put(m, n, i, j, f64x2.extract_lane(v, 0));
  put(m, n, i + 1, j, f64x2.extract_lane(v, 1));
}

/**
 * `pack` for the rows of J not yet scaled, stored row-major (jr: rows × n, the state-space net's
 * block pass): pk = sh_r · J[r, col] (0 past column n) and g[col] += gr_r · J[r, col] (r in order:
 * the rounding of the per-sample step), a panel of W columns at a time (W / 2 f64x2 per row; the
 * panels are written in order).
 */
function packScaled(jr: usize, rows: i32, n: i32, pk: usize, gr: usize, sh: usize, g: usize): void {
  const full = n / W;
  const rowBytes = (<usize>W) << 3;
  const panel = (<usize>rows) * rowBytes;
  const rowStride = (<usize>n) << 3;
  for (let p = 0; p < full; p++) {
    const c0 = (<usize>p) * rowBytes;
    let a = jr + c0;
    let d = pk + (<usize>p) * panel;
    const gp = g + c0;
    let g01 = v128.load(gp);
    let g23 = v128.load(gp, 16);
    let g45 = W == 6 ? v128.load(gp, 32) : f64x2.splat(0);
    for (let r = 0; r < rows; r++) {
      const o = (<usize>r) << 3;
      const s = v128.load64_splat(sh + o);
      const q = v128.load64_splat(gr + o);
      const v0 = v128.load(a);
      const v1 = v128.load(a, 16);
      v128.store(d, f64x2.mul(s, v0));
      v128.store(d, f64x2.mul(s, v1), 16);
      g01 = f64x2.add(g01, f64x2.mul(q, v0));
      g23 = f64x2.add(g23, f64x2.mul(q, v1));
      if (W == 6) {
        const v2 = v128.load(a, 32);
        v128.store(d, f64x2.mul(s, v2), 32);
        g45 = f64x2.add(g45, f64x2.mul(q, v2));
      }
      a += rowStride;
      d += rowBytes;
    }
    v128.store(gp, g01);
    v128.store(gp, g23, 16);
    if (W == 6) v128.store(gp, g45, 32);
  }
  if (n % W) {
    const d0 = pk + (<usize>full) * panel;
    for (let c = 0; c < W; c++) {
      const col = full * W + c;
      const dc = d0 + ((<usize>c) << 3);
      if (col < n) {
        const gq = g + ((<usize>col) << 3);
        let gc = load<f64>(gq);
        for (let r = 0; r < rows; r++) {
          const v = load<f64>(jr + (<usize>r) * rowStride + ((<usize>col) << 3));
          store<f64>(dc + (<usize>r) * rowBytes, load<f64>(sh + ((<usize>r) << 3)) * v);
          gc += load<f64>(gr + ((<usize>r) << 3)) * v;
        }
        store<f64>(gq, gc);
      } else {
        for (let r = 0; r < rows; r++) store<f64>(dc + (<usize>r) * rowBytes, 0.0);
      }
    }
  }
}

/**
 * Every 6 × 3 tile of M on or above the diagonal from 6-column panels (also compiled into
 * kernels/tile-shapes.ts, the benchmark of the tile shapes).
 */
@inline
export function tiles63(rows: i32, n: i32, m: usize, pk: usize): void {
  const np = (n + 5) / 6;
  const panel = (<usize>rows) * 48;
  for (let pi = 0; pi < np; pi++) {
    const i = pi * 6;
    for (let j = i; j < n; j += 3) {
      let a = pk + (<usize>pi) * panel;
      let b = pk + (<usize>(j / 6)) * panel + ((<usize>(j % 6)) << 3);
      const end = a + panel;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0);
      let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0);
      let s20 = f64x2.splat(0), s21 = f64x2.splat(0), s22 = f64x2.splat(0);
      while (a < end) {
        const x0 = v128.load(a);
        const x1 = v128.load(a, 16);
        const x2 = v128.load(a, 32);
        let y = v128.load64_splat(b);
        s00 = madd(x0, y, s00);
        s10 = madd(x1, y, s10);
        s20 = madd(x2, y, s20);
        y = v128.load64_splat(b, 8);
        s01 = madd(x0, y, s01);
        s11 = madd(x1, y, s11);
        s21 = madd(x2, y, s21);
        y = v128.load64_splat(b, 16);
        s02 = madd(x0, y, s02);
        s12 = madd(x1, y, s12);
        s22 = madd(x2, y, s22);
        a += 48;
        b += 48;
      }
      put2(m, n, i, j, s00);
      put2(m, n, i + 2, j, s10);
      put2(m, n, i + 4, j, s20);
      put2(m, n, i, j + 1, s01);
      put2(m, n, i + 2, j + 1, s11);
      put2(m, n, i + 4, j + 1, s21);
      put2(m, n, i, j + 2, s02);
      put2(m, n, i + 2, j + 2, s12);
      put2(m, n, i + 4, j + 2, s22);
    }
  }
}

/** Every 4 × 4 tile of M on or above the diagonal from 4-column panels (also in tile-shapes.ts). */
@inline
export function tiles44(rows: i32, n: i32, m: usize, pk: usize): void {
  const np = (n + 3) >> 2;
  const panel = (<usize>rows) << 5;
  for (let pi = 0; pi < np; pi++) {
    for (let pj = pi; pj < np; pj++) {
      let a = pk + (<usize>pi) * panel;
      let b = pk + (<usize>pj) * panel;
      const end = a + panel;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0), s03 = f64x2.splat(0);
      let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0), s13 = f64x2.splat(0);
      while (a < end) {
        const x0 = v128.load(a);
        const x1 = v128.load(a, 16);
        let y = v128.load64_splat(b);
        s00 = madd(x0, y, s00);
        s10 = madd(x1, y, s10);
        y = v128.load64_splat(b, 8);
        s01 = madd(x0, y, s01);
        s11 = madd(x1, y, s11);
        y = v128.load64_splat(b, 16);
        s02 = madd(x0, y, s02);
        s12 = madd(x1, y, s12);
        y = v128.load64_splat(b, 24);
        s03 = madd(x0, y, s03);
        s13 = madd(x1, y, s13);
        a += 32;
        b += 32;
      }
      const i = pi << 2;
      const j = pj << 2;
      put2(m, n, i, j, s00);
      put2(m, n, i + 2, j, s10);
      put2(m, n, i, j + 1, s01);
      put2(m, n, i + 2, j + 1, s11);
      put2(m, n, i, j + 2, s02);
      put2(m, n, i + 2, j + 2, s12);
      put2(m, n, i, j + 3, s03);
      put2(m, n, i + 2, j + 3, s13);
    }
  }
}

/** This build's tiles over the W-column panels (see the top of the file). */
@inline
function tiles(rows: i32, n: i32, m: usize, pk: usize): void {
  if (W == 6) tiles63(rows, n, m, pk);
  else tiles44(rows, n, m, pk);
}

/** M += AᵀA (upper triangle); pk: scratch of W·⌈n/W⌉·rows f64. Addresses in bytes. */
export function syrk(at: usize, ld: i32, rows: i32, n: i32, m: usize, pk: usize): void {
  pack(at, ld, rows, n, pk);
  tiles(rows, n, m, pk);
}

/**
 * M += AᵀA for A = diag(√h) J with the rows of J unscaled in jr (row-major, rows × n), and
 * g += Jᵀ gr (the state-space net's block pass: the rows are written before the loss derivatives
 * are known). h (rows) is overwritten with √h.
 */
export function syrkScaled(
  jr: usize, rows: i32, n: i32, m: usize, pk: usize, gr: usize, h: usize, g: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const q = h + ((<usize>r) << 3);
    store<f64>(q, Math.sqrt(load<f64>(q)));
  }
  packScaled(jr, rows, n, pk, gr, h, g);
  tiles(rows, n, m, pk);
}
