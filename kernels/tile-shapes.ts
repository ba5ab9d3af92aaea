// AssemblyScript, compiled by bench/tile-shapes.ts at run time (a benchmark probe, not shipped):
// the register tiles an accumulation M += AᵀA could use, each over the same packed panels and the
// same sums (every entry of M is one chain of multiply-adds over the rows, in row order, so all
// shapes give M bit for bit). They differ only in how many accumulators a tile keeps in vector
// registers; V8 gives WebAssembly 15 of them on x64, and schedules every load of a loop body
// before its multiply-adds, so a tile needs accumulators + loads ≤ 15 to run without spills.
//
//   tile44: 4 rows × 4 columns of M (syrk.ts's plain-SIMD tile): 8 accumulators, 2 + 4 loads = 14.
//   tile63: 6 × 3 (syrk.ts's relaxed-SIMD tile): 9 accumulators, 3 + 3 loads = 15 (the most that fit).
//   tile46: 4 × 6: 12 accumulators, 2 + 6 loads = 20 (spills).
//   chains(8) / chains(12): independent multiply-add chains with no loads at all (fma-peak.ts's
//   loop with 8 or 12 accumulators): what 8 and 12 chains allow on this core.
//
// Panels: A (rows × n) packed w columns per panel, sample-major: pk[p·rows·w + r·w + c] =
// A[r, w·p + c], zero past column n (w = 4 for tile44/tile46's rows, 6 for tile63 and tile46's
// columns). Addresses in bytes; M row-major n × n, upper triangle, accumulated (+=).

import { put2, tiles44, tiles63 } from './syrk';

@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  return f64x2.relaxed_madd(a, b, acc);
}

/** 4 × 4 tiles over 4-column panels (pk4): kernels/syrk.ts's plain-SIMD tile. */
export function tile44(rows: i32, n: i32, m: usize, pk4: usize): void {
  tiles44(rows, n, m, pk4);
}

/** 6 × 3 tiles over 6-column panels (pk6): kernels/syrk.ts's relaxed-SIMD tile. */
export function tile63(rows: i32, n: i32, m: usize, pk6: usize): void {
  tiles63(rows, n, m, pk6);
}

/** 4 × 6 tiles: rows from a 4-column panel (pk4), columns from a whole 6-column panel (pk6). */
export function tile46(rows: i32, n: i32, m: usize, pk4: usize, pk6: usize): void {
  const np4 = (n + 3) >> 2;
  const np6 = (n + 5) / 6;
  const panel4 = (<usize>rows) << 5;
  const panel6 = (<usize>rows) * 48;
  for (let pi = 0; pi < np4; pi++) {
    for (let q = (pi << 2) / 6; q < np6; q++) {
      let a = pk4 + (<usize>pi) * panel4;
      let b = pk6 + (<usize>q) * panel6;
      const end = a + panel4;
      let s00 = f64x2.splat(0), s01 = f64x2.splat(0), s02 = f64x2.splat(0);
      let s03 = f64x2.splat(0), s04 = f64x2.splat(0), s05 = f64x2.splat(0);
      let s10 = f64x2.splat(0), s11 = f64x2.splat(0), s12 = f64x2.splat(0);
      let s13 = f64x2.splat(0), s14 = f64x2.splat(0), s15 = f64x2.splat(0);
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
        y = v128.load64_splat(b, 32);
        s04 = madd(x0, y, s04);
        s14 = madd(x1, y, s14);
        y = v128.load64_splat(b, 40);
        s05 = madd(x0, y, s05);
        s15 = madd(x1, y, s15);
        a += 32;
        b += 48;
      }
      const i = pi << 2;
      const j = q * 6;
      put2(m, n, i, j, s00);
      put2(m, n, i + 2, j, s10);
      put2(m, n, i, j + 1, s01);
      put2(m, n, i + 2, j + 1, s11);
      put2(m, n, i, j + 2, s02);
      put2(m, n, i + 2, j + 2, s12);
      put2(m, n, i, j + 3, s03);
      put2(m, n, i + 2, j + 3, s13);
      put2(m, n, i, j + 4, s04);
      put2(m, n, i + 2, j + 4, s14);
      put2(m, n, i, j + 5, s05);
      put2(m, n, i + 2, j + 5, s15);
    }
  }
}

/** `iters` rounds of 8 independent f64x2 multiply-add chains (no memory traffic). */
export function chains8(iters: i32): f64 {
  const a = f64x2.splat(1.0000001);
  const b = f64x2.splat(1e-9);
  let s0 = f64x2.splat(0.0), s1 = f64x2.splat(0.1), s2 = f64x2.splat(0.2), s3 = f64x2.splat(0.3);
  let s4 = f64x2.splat(0.4), s5 = f64x2.splat(0.5), s6 = f64x2.splat(0.6), s7 = f64x2.splat(0.7);
  for (let i = 0; i < iters; i++) {
    s0 = madd(s0, a, b);
    s1 = madd(s1, a, b);
    s2 = madd(s2, a, b);
    s3 = madd(s3, a, b);
    s4 = madd(s4, a, b);
    s5 = madd(s5, a, b);
    s6 = madd(s6, a, b);
    s7 = madd(s7, a, b);
  }
  const t = f64x2.add(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)), f64x2.add(f64x2.add(s4, s5), f64x2.add(s6, s7)));
  return f64x2.extract_lane(t, 0);
}

export { peak as chains12 } from './fma-peak';
