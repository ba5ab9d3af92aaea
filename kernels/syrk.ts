// AssemblyScript (compiled to WebAssembly with SIMD by scripts/build-kernels.mjs; not TypeScript).
// M (n × n, row-major f64, upper triangle) += Aᵀ A for a chunk stored column-major as At
// (column i of A at At[i·ld .. i·ld + rows)): 2 × 4 register tiles of M, f64x2 lanes over the rows.

@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Σ_r At[a + r] · At[b + r] over `rows` rows (addresses in bytes). */
@inline
function dot(a: usize, b: usize, rows: i32): f64 {
  let s = f64x2.splat(0);
  const rows2 = rows & ~1;
  for (let r = 0; r < rows2; r += 2) {
    const o = (<usize>r) << 3;
    s = f64x2.add(s, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  let t = hsum(s);
  if (rows & 1) {
    const o = (<usize>rows2) << 3;
    t += load<f64>(a + o) * load<f64>(b + o);
  }
  return t;
}

@inline
function addTo(m: usize, n: i32, i: i32, j: i32, v: f64): void {
  const p = m + (((<usize>i) * <usize>n + <usize>j) << 3);
  store<f64>(p, load<f64>(p) + v);
}

export function syrk(at: usize, ld: i32, rows: i32, n: i32, m: usize): void {
  const ldb = (<usize>ld) << 3;
  const rows2 = rows & ~1;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = at + (<usize>i) * ldb;
    const a1 = a0 + ldb;
    let j = i;
    for (; j + 3 < n; j += 4) {
      const b0 = at + (<usize>j) * ldb;
      const b1 = b0 + ldb;
      const b2 = b1 + ldb;
      const b3 = b2 + ldb;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0), s03 = f64x2.splat(0);
      let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0), s13 = f64x2.splat(0);
      for (let r = 0; r < rows2; r += 2) {
        const o = (<usize>r) << 3;
        const x0 = v128.load(a0 + o);
        const x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o);
        const y1 = v128.load(b1 + o);
        const y2 = v128.load(b2 + o);
        const y3 = v128.load(b3 + o);
        s00 = f64x2.add(s00, f64x2.mul(x0, y0));
        s01 = f64x2.add(s01, f64x2.mul(x0, y1));
        s02 = f64x2.add(s02, f64x2.mul(x0, y2));
        s03 = f64x2.add(s03, f64x2.mul(x0, y3));
        s10 = f64x2.add(s10, f64x2.mul(x1, y0));
        s11 = f64x2.add(s11, f64x2.mul(x1, y1));
        s12 = f64x2.add(s12, f64x2.mul(x1, y2));
        s13 = f64x2.add(s13, f64x2.mul(x1, y3));
      }
      let t00 = hsum(s00), t01 = hsum(s01), t02 = hsum(s02), t03 = hsum(s03);
      let t10 = hsum(s10), t11 = hsum(s11), t12 = hsum(s12), t13 = hsum(s13);
      if (rows & 1) {
        const o = (<usize>rows2) << 3;
        const x0 = load<f64>(a0 + o);
        const x1 = load<f64>(a1 + o);
        const y0 = load<f64>(b0 + o);
        const y1 = load<f64>(b1 + o);
        const y2 = load<f64>(b2 + o);
        const y3 = load<f64>(b3 + o);
        t00 += x0 * y0; t01 += x0 * y1; t02 += x0 * y2; t03 += x0 * y3;
        t10 += x1 * y0; t11 += x1 * y1; t12 += x1 * y2; t13 += x1 * y3;
      }
      addTo(m, n, i, j, t00);
      addTo(m, n, i, j + 1, t01);
      addTo(m, n, i, j + 2, t02);
      addTo(m, n, i, j + 3, t03);
      // Row i + 1 takes columns ≥ i + 1 only (the diagonal tile starts at j = i).
      if (j > i) addTo(m, n, i + 1, j, t10);
      addTo(m, n, i + 1, j + 1, t11);
      addTo(m, n, i + 1, j + 2, t12);
      addTo(m, n, i + 1, j + 3, t13);
    }
    for (; j < n; j++) {
      const b = at + (<usize>j) * ldb;
      addTo(m, n, i, j, dot(a0, b, rows));
      if (j > i) addTo(m, n, i + 1, j, dot(a1, b, rows));
    }
  }
  if (i < n) {
    const a = at + (<usize>i) * ldb;
    for (let j = i; j < n; j++) addTo(m, n, i, j, dot(a, at + (<usize>j) * ldb, rows));
  }
}
