// AssemblyScript (compiled into the same module as syrk.ts; see gauss-newton.ts): one sample of the
// sensitivity recursion of src/core/solver/gauss-newton.ts, with f64x2 lanes over the columns.
// Arrays are row-major f64 at byte addresses; S holds the stored state-sensitivity columns
// (θ[0, nf) then the x0 columns, ns in all), J and the gradient have nl = nθ (+ nx) columns.

import { copy } from './copy';

/** acc + a·b, fused when the relaxed-SIMD build runs on an FMA machine. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, acc);
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * out[i·os + o0 + c] = (withB ? B[i·bs + o0 + c] : 0) + Σ_m A[i·nx + m] · S[m·ss + s0 + c]
 * for i < rows, c < count. Per output row, the state dimensions m are taken four at a time with
 * their A entries held in registers, so that each multiply-add loads one S pair (a fifth, the
 * running sum, per four).
 */
function combine(
  B: usize, bs: i32, A: usize, nx: i32, S: usize, ss: i32, s0: i32,
  out: usize, os: i32, o0: i32, count: i32, rows: i32, withB: bool,
): void {
  const c2 = count & ~1;
  const sStride = (<usize>ss) << 3;
  for (let i = 0; i < rows; i++) {
    const o = out + (((<usize>i) * <usize>os + <usize>o0) << 3);
    const b = B + (((<usize>i) * <usize>bs + <usize>o0) << 3);
    const a = A + (((<usize>i) * <usize>nx) << 3);
    // Start: B or 0 (also the odd last column, in scalar arithmetic).
    if (withB) memory.copy(o, b, (<usize>count) << 3);
    else memory.fill(o, 0, (<usize>count) << 3);
    let m = 0;
    for (; m + 3 < nx; m += 4) {
      const a0 = v128.load64_splat(a + ((<usize>m) << 3));
      const a1 = v128.load64_splat(a + ((<usize>(m + 1)) << 3));
      const a2 = v128.load64_splat(a + ((<usize>(m + 2)) << 3));
      const a3 = v128.load64_splat(a + ((<usize>(m + 3)) << 3));
      const p0 = S + (((<usize>m) * <usize>ss + <usize>s0) << 3);
      const p1 = p0 + sStride;
      const p2 = p1 + sStride;
      const p3 = p2 + sStride;
      for (let c = 0; c < c2; c += 2) {
        const off = (<usize>c) << 3;
        let v = v128.load(o + off);
        v = madd(a0, v128.load(p0 + off), v);
        v = madd(a1, v128.load(p1 + off), v);
        v = madd(a2, v128.load(p2 + off), v);
        v = madd(a3, v128.load(p3 + off), v);
        v128.store(o + off, v);
      }
    }
    for (; m + 1 < nx; m += 2) {
      const a0 = v128.load64_splat(a + ((<usize>m) << 3));
      const a1 = v128.load64_splat(a + ((<usize>(m + 1)) << 3));
      const p0 = S + (((<usize>m) * <usize>ss + <usize>s0) << 3);
      const p1 = p0 + sStride;
      for (let c = 0; c < c2; c += 2) {
        const off = (<usize>c) << 3;
        let v = v128.load(o + off);
        v = madd(a0, v128.load(p0 + off), v);
        v = madd(a1, v128.load(p1 + off), v);
        v128.store(o + off, v);
      }
    }
    if (m < nx) {
      const a0 = v128.load64_splat(a + ((<usize>m) << 3));
      const p0 = S + (((<usize>m) * <usize>ss + <usize>s0) << 3);
      for (let c = 0; c < c2; c += 2) {
        const off = (<usize>c) << 3;
        v128.store(o + off, madd(a0, v128.load(p0 + off), v128.load(o + off)));
      }
    }
    if (count & 1) {
      const off = (<usize>c2) << 3;
      let v = load<f64>(o + off);
      for (let k = 0; k < nx; k++) {
        const sp = S + (((<usize>k) * <usize>ss + <usize>s0) << 3);
        v += load<f64>(a + ((<usize>k) << 3)) * load<f64>(sp + off);
      }
      store<f64>(o + off, v);
    }
  }
}

/**
 * One sample k:
 *   J_k = g_x S_k + [g_θ | 0]                      (ny × nl; columns [nf, nθ) are g_θ alone)
 *   At[c·ld + row + r] = √h_r J_k[r, c],  g[c] += g_r J_k[r, c]
 *   S_{k+1} = f_x S_k + [f_θ | 0]                  (nx × ns, written to Snext)
 */
export function step(
  ftheta: usize, fx: usize, gtheta: usize, gx: usize, S: usize, Snext: usize, J: usize,
  lg: usize, lh: usize, At: usize, g: usize,
  ld: i32, row: i32, nx: i32, ny: i32, nTheta: i32, nf: i32, ns: i32, nl: i32,
): void {
  combine(gtheta, nTheta, gx, nx, S, ns, 0, J, nl, 0, nf, ny, true);
  for (let r = 0; r < ny; r++)
    for (let c = nf; c < nTheta; c++)
      store<f64>(J + (((<usize>r) * <usize>nl + <usize>c) << 3), load<f64>(gtheta + (((<usize>r) * <usize>nTheta + <usize>c) << 3)));
  if (ns > nf) combine(gtheta, nTheta, gx, nx, S, ns, nf, J, nl, nTheta, ns - nf, ny, false);
  for (let r = 0; r < ny; r++) {
    const sh = Math.sqrt(load<f64>(lh + ((<usize>r) << 3)));
    const gr = load<f64>(lg + ((<usize>r) << 3));
    const jr = J + (((<usize>r) * <usize>nl) << 3);
    const at = At + ((<usize>(row + r)) << 3);
    const ldb = (<usize>ld) << 3;
    for (let c = 0; c < nl; c++) {
      const v = load<f64>(jr + ((<usize>c) << 3));
      store<f64>(at + (<usize>c) * ldb, sh * v);
      const gp = g + ((<usize>c) << 3);
      store<f64>(gp, load<f64>(gp) + gr * v);
    }
  }
  if (nx > 0) {
    combine(ftheta, nTheta, fx, nx, S, ns, 0, Snext, ns, 0, nf, nx, true);
    if (ns > nf) combine(ftheta, nTheta, fx, nx, S, ns, nf, Snext, ns, nf, ns - nf, nx, false);
  }
}

/**
 * out[i·os + o0 + c] = (withB ? B[i·bs + o0 + c] : 0) + Σ_m A[i·nx + m] · S[m·ss + s0 + c], as
 * `combine` (the same sums in the same order), but a column pair at a time for all rows: four
 * rows share each S pair they load, and nothing is read back from `out`.
 */
function combineByColumns(
  B: usize, bs: i32, A: usize, nx: i32, S: usize, ss: i32, s0: i32,
  out: usize, os: i32, o0: i32, count: i32, rows: i32, withB: bool,
): void {
  const c2 = count & ~1;
  const sStride = (<usize>ss) << 3;
  const oStride = (<usize>os) << 3;
  const bStride = (<usize>bs) << 3;
  const aStride = (<usize>nx) << 3;
  const sBase = S + ((<usize>s0) << 3);
  const oBase = out + ((<usize>o0) << 3);
  const bBase = B + ((<usize>o0) << 3);
  const c4 = count & ~3;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const a = A + (<usize>i) * aStride;
    const o = oBase + (<usize>i) * oStride;
    const b = bBase + (<usize>i) * bStride;
    // Four columns (two pairs) by four rows: eight independent sums.
    for (let c = 0; c < c4; c += 4) {
      const off = (<usize>c) << 3;
      let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), v3 = f64x2.splat(0);
      let w0 = f64x2.splat(0), w1 = f64x2.splat(0), w2 = f64x2.splat(0), w3 = f64x2.splat(0);
      if (withB) {
        v0 = v128.load(b + off);
        v1 = v128.load(b + bStride + off);
        v2 = v128.load(b + 2 * bStride + off);
        v3 = v128.load(b + 3 * bStride + off);
        w0 = v128.load(b + off, 16);
        w1 = v128.load(b + bStride + off, 16);
        w2 = v128.load(b + 2 * bStride + off, 16);
        w3 = v128.load(b + 3 * bStride + off, 16);
      }
      let p = sBase + off;
      let am = a;
      for (let m = 0; m < nx; m++) {
        const s = v128.load(p);
        const t = v128.load(p, 16);
        let x = v128.load64_splat(am);
        v0 = madd(x, s, v0);
        w0 = madd(x, t, w0);
        x = v128.load64_splat(am + aStride);
        v1 = madd(x, s, v1);
        w1 = madd(x, t, w1);
        x = v128.load64_splat(am + 2 * aStride);
        v2 = madd(x, s, v2);
        w2 = madd(x, t, w2);
        x = v128.load64_splat(am + 3 * aStride);
        v3 = madd(x, s, v3);
        w3 = madd(x, t, w3);
        p += sStride;
        am += 8;
      }
      v128.store(o + off, v0);
      v128.store(o + oStride + off, v1);
      v128.store(o + 2 * oStride + off, v2);
      v128.store(o + 3 * oStride + off, v3);
      v128.store(o + off, w0, 16);
      v128.store(o + oStride + off, w1, 16);
      v128.store(o + 2 * oStride + off, w2, 16);
      v128.store(o + 3 * oStride + off, w3, 16);
    }
    for (let c = c4; c < c2; c += 2) {
      const off = (<usize>c) << 3;
      let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), v3 = f64x2.splat(0);
      if (withB) {
        v0 = v128.load(b + off);
        v1 = v128.load(b + bStride + off);
        v2 = v128.load(b + 2 * bStride + off);
        v3 = v128.load(b + 3 * bStride + off);
      }
      let p = sBase + off;
      let am = a;
      for (let m = 0; m < nx; m++) {
        const s = v128.load(p);
        v0 = madd(v128.load64_splat(am), s, v0);
        v1 = madd(v128.load64_splat(am + aStride), s, v1);
        v2 = madd(v128.load64_splat(am + 2 * aStride), s, v2);
        v3 = madd(v128.load64_splat(am + 3 * aStride), s, v3);
        p += sStride;
        am += 8;
      }
      v128.store(o + off, v0);
      v128.store(o + oStride + off, v1);
      v128.store(o + 2 * oStride + off, v2);
      v128.store(o + 3 * oStride + off, v3);
    }
  }
  for (; i + 1 < rows; i += 2) {
    const a = A + (<usize>i) * aStride;
    const o = oBase + (<usize>i) * oStride;
    const b = bBase + (<usize>i) * bStride;
    for (let c = 0; c < c4; c += 4) {
      const off = (<usize>c) << 3;
      let v0 = f64x2.splat(0), v1 = f64x2.splat(0), w0 = f64x2.splat(0), w1 = f64x2.splat(0);
      if (withB) {
        v0 = v128.load(b + off);
        v1 = v128.load(b + bStride + off);
        w0 = v128.load(b + off, 16);
        w1 = v128.load(b + bStride + off, 16);
      }
      let p = sBase + off;
      let am = a;
      for (let m = 0; m < nx; m++) {
        const s = v128.load(p);
        const t = v128.load(p, 16);
        let x = v128.load64_splat(am);
        v0 = madd(x, s, v0);
        w0 = madd(x, t, w0);
        x = v128.load64_splat(am + aStride);
        v1 = madd(x, s, v1);
        w1 = madd(x, t, w1);
        p += sStride;
        am += 8;
      }
      v128.store(o + off, v0);
      v128.store(o + oStride + off, v1);
      v128.store(o + off, w0, 16);
      v128.store(o + oStride + off, w1, 16);
    }
    for (let c = c4; c < c2; c += 2) {
      const off = (<usize>c) << 3;
      let v0 = f64x2.splat(0), v1 = f64x2.splat(0);
      if (withB) {
        v0 = v128.load(b + off);
        v1 = v128.load(b + bStride + off);
      }
      let p = sBase + off;
      let am = a;
      for (let m = 0; m < nx; m++) {
        const s = v128.load(p);
        v0 = madd(v128.load64_splat(am), s, v0);
        v1 = madd(v128.load64_splat(am + aStride), s, v1);
        p += sStride;
        am += 8;
      }
      v128.store(o + off, v0);
      v128.store(o + oStride + off, v1);
    }
  }
  if (i < rows) {
    const a = A + (<usize>i) * aStride;
    const o = oBase + (<usize>i) * oStride;
    const b = bBase + (<usize>i) * bStride;
    for (let c = 0; c < c2; c += 2) {
      const off = (<usize>c) << 3;
      let v0 = withB ? v128.load(b + off) : f64x2.splat(0);
      let p = sBase + off;
      let am = a;
      for (let m = 0; m < nx; m++) {
        v0 = madd(v128.load64_splat(am), v128.load(p), v0);
        p += sStride;
        am += 8;
      }
      v128.store(o + off, v0);
    }
  }
  if (count & 1) {
    const off = (<usize>c2) << 3;
    for (let r = 0; r < rows; r++) {
      const a = A + (<usize>r) * aStride;
      let v = withB ? load<f64>(bBase + (<usize>r) * bStride + off) : 0.0;
      for (let k = 0; k < nx; k++) v += load<f64>(a + ((<usize>k) << 3)) * load<f64>(sBase + (<usize>k) * sStride + off);
      store<f64>(oBase + (<usize>r) * oStride + off, v);
    }
  }
}

/**
 * The rows of J_k, not yet scaled, into the chunk Jr (row-major, nl columns): for output r < ny,
 * Jr[(row + r)·nl + o0 + c] = (withB ? gθ[r, o0 + c] : 0) + Σ_m gx[r, m] S[m, s0 + c] (c < count).
 */
function jRows(
  gtheta: usize, nTheta: i32, gx: usize, nx: i32, S: usize, ss: i32, s0: i32, o0: i32, count: i32,
  ny: i32, withB: bool, Jr: usize, nl: i32, row: i32,
): void {
  const c2 = count & ~1;
  const sStride = (<usize>ss) << 3;
  const sBase = S + ((<usize>s0) << 3);
  for (let r = 0; r < ny; r++) {
    const a = gx + (((<usize>r) * <usize>nx) << 3);
    const b = gtheta + (((<usize>r) * <usize>nTheta + <usize>o0) << 3);
    const jr = Jr + (((<usize>(row + r)) * <usize>nl + <usize>o0) << 3);
    for (let c = 0; c < c2; c += 2) {
      const off = (<usize>c) << 3;
      let v = withB ? v128.load(b + off) : f64x2.splat(0);
      let p = sBase + off;
      for (let m = 0; m < nx; m++) {
        v = madd(v128.load64_splat(a + ((<usize>m) << 3)), v128.load(p), v);
        p += sStride;
      }
      v128.store(jr + off, v);
    }
    if (count & 1) {
      const off = (<usize>c2) << 3;
      let v = withB ? load<f64>(b + off) : 0.0;
      for (let k = 0; k < nx; k++) v += load<f64>(a + ((<usize>k) << 3)) * load<f64>(sBase + (<usize>k) * sStride + off);
      store<f64>(jr + off, v);
    }
  }
}

/**
 * Rows i0 and i0 + 1 of S_{k+1} (as combineByColumns) and the one row of J_k (as jRows, ny = 1)
 * together, four columns at a time: six independent sums that share each S pair they load.
 * S columns [s0, s0 + count) go to the same columns of Snext and to columns [oj, oj + count) of
 * J's row `row` in Jr (row-major, nl columns).
 */
function twoRowsAndJ(
  ftheta: usize, fx: usize, gtheta: usize, gx: usize, nTheta: i32, nx: i32, i0: i32,
  S: usize, ss: i32, s0: i32, Snext: usize, oj: i32, count: i32, withB: bool,
  Jr: usize, nl: i32, row: i32,
): void {
  const c4 = count & ~3;
  const c2 = count & ~1;
  const sStride = (<usize>ss) << 3;
  const aStride = (<usize>nx) << 3;
  const bStride = (<usize>nTheta) << 3;
  const sBase = S + ((<usize>s0) << 3);
  const oBase = Snext + (((<usize>i0) * <usize>ss + <usize>s0) << 3);
  const bBase = ftheta + (((<usize>i0) * <usize>nTheta + <usize>s0) << 3);
  const jb = gtheta + ((<usize>oj) << 3);
  const a = fx + (<usize>i0) * aStride;
  const jr = Jr + (((<usize>row) * <usize>nl + <usize>oj) << 3);
  let c = 0;
  for (; c < c4; c += 4) {
    const off = (<usize>c) << 3;
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0), vj = f64x2.splat(0);
    let w0 = f64x2.splat(0), w1 = f64x2.splat(0), wj = f64x2.splat(0);
    if (withB) {
      v0 = v128.load(bBase + off);
      w0 = v128.load(bBase + off, 16);
      v1 = v128.load(bBase + bStride + off);
      w1 = v128.load(bBase + bStride + off, 16);
      vj = v128.load(jb + off);
      wj = v128.load(jb + off, 16);
    }
    let p = sBase + off;
    let am = a;
    let gm = gx;
    for (let m = 0; m < nx; m++) {
      const s = v128.load(p);
      const t = v128.load(p, 16);
      let x = v128.load64_splat(am);
      v0 = madd(x, s, v0);
      w0 = madd(x, t, w0);
      x = v128.load64_splat(am + aStride);
      v1 = madd(x, s, v1);
      w1 = madd(x, t, w1);
      x = v128.load64_splat(gm);
      vj = madd(x, s, vj);
      wj = madd(x, t, wj);
      p += sStride;
      am += 8;
      gm += 8;
    }
    const o = oBase + off;
    v128.store(o, v0);
    v128.store(o, w0, 16);
    v128.store(o + sStride, v1);
    v128.store(o + sStride, w1, 16);
    v128.store(jr + off, vj);
    v128.store(jr + off, wj, 16);
  }
  for (; c < c2; c += 2) {
    const off = (<usize>c) << 3;
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0), vj = f64x2.splat(0);
    if (withB) {
      v0 = v128.load(bBase + off);
      v1 = v128.load(bBase + bStride + off);
      vj = v128.load(jb + off);
    }
    let p = sBase + off;
    for (let m = 0; m < nx; m++) {
      const s = v128.load(p);
      const mo = (<usize>m) << 3;
      v0 = madd(v128.load64_splat(a + mo), s, v0);
      v1 = madd(v128.load64_splat(a + aStride + mo), s, v1);
      vj = madd(v128.load64_splat(gx + mo), s, vj);
      p += sStride;
    }
    const o = oBase + off;
    v128.store(o, v0);
    v128.store(o + sStride, v1);
    v128.store(jr + off, vj);
  }
  if (c < count) {
    const off = (<usize>c) << 3;
    let v0 = withB ? load<f64>(bBase + off) : 0.0;
    let v1 = withB ? load<f64>(bBase + bStride + off) : 0.0;
    let vj = withB ? load<f64>(jb + off) : 0.0;
    for (let m = 0; m < nx; m++) {
      const sv = load<f64>(sBase + (<usize>m) * sStride + off);
      const mo = (<usize>m) << 3;
      v0 += load<f64>(a + mo) * sv;
      v1 += load<f64>(a + aStride + mo) * sv;
      vj += load<f64>(gx + mo) * sv;
    }
    store<f64>(oBase + off, v0);
    store<f64>(oBase + sStride + off, v1);
    store<f64>(jr + off, vj);
  }
}

/**
 * Rows i0 .. i0 + 2 of S_{k+1} (as combineByColumns: the same sums in the same order), six
 * columns at a time: nine independent sums, each S load shared by three rows (13 of V8's 15
 * vector registers), against eight sums of four rows by four columns there.
 */
function threeRows(
  B: usize, bs: i32, A: usize, nx: i32, S: usize, ss: i32, s0: i32,
  out: usize, os: i32, o0: i32, count: i32, i0: i32, withB: bool,
): void {
  const c6 = count - count % 6;
  const c2 = count & ~1;
  const sStride = (<usize>ss) << 3;
  const oStride = (<usize>os) << 3;
  const bStride = (<usize>bs) << 3;
  const aStride = (<usize>nx) << 3;
  const sBase = S + ((<usize>s0) << 3);
  const a = A + (<usize>i0) * aStride;
  const o = out + (((<usize>i0) * <usize>os + <usize>o0) << 3);
  const b = B + (((<usize>i0) * <usize>bs + <usize>o0) << 3);
  let c = 0;
  for (; c < c6; c += 6) {
    const off = (<usize>c) << 3;
    let u0 = f64x2.splat(0), v0 = f64x2.splat(0), w0 = f64x2.splat(0);
    let u1 = f64x2.splat(0), v1 = f64x2.splat(0), w1 = f64x2.splat(0);
    let u2 = f64x2.splat(0), v2 = f64x2.splat(0), w2 = f64x2.splat(0);
    if (withB) {
      const b0 = b + off;
      u0 = v128.load(b0);
      v0 = v128.load(b0, 16);
      w0 = v128.load(b0, 32);
      u1 = v128.load(b0 + bStride);
      v1 = v128.load(b0 + bStride, 16);
      w1 = v128.load(b0 + bStride, 32);
      u2 = v128.load(b0 + 2 * bStride);
      v2 = v128.load(b0 + 2 * bStride, 16);
      w2 = v128.load(b0 + 2 * bStride, 32);
    }
    let p = sBase + off;
    let am = a;
    for (let m = 0; m < nx; m++) {
      const s = v128.load(p);
      const t = v128.load(p, 16);
      const q = v128.load(p, 32);
      let x = v128.load64_splat(am);
      u0 = madd(x, s, u0);
      v0 = madd(x, t, v0);
      w0 = madd(x, q, w0);
      x = v128.load64_splat(am + aStride);
      u1 = madd(x, s, u1);
      v1 = madd(x, t, v1);
      w1 = madd(x, q, w1);
      x = v128.load64_splat(am + 2 * aStride);
      u2 = madd(x, s, u2);
      v2 = madd(x, t, v2);
      w2 = madd(x, q, w2);
      p += sStride;
      am += 8;
    }
    const o0 = o + off;
    v128.store(o0, u0);
    v128.store(o0, v0, 16);
    v128.store(o0, w0, 32);
    v128.store(o0 + oStride, u1);
    v128.store(o0 + oStride, v1, 16);
    v128.store(o0 + oStride, w1, 32);
    v128.store(o0 + 2 * oStride, u2);
    v128.store(o0 + 2 * oStride, v2, 16);
    v128.store(o0 + 2 * oStride, w2, 32);
  }
  for (; c < c2; c += 2) {
    const off = (<usize>c) << 3;
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0);
    if (withB) {
      v0 = v128.load(b + off);
      v1 = v128.load(b + bStride + off);
      v2 = v128.load(b + 2 * bStride + off);
    }
    let p = sBase + off;
    let am = a;
    for (let m = 0; m < nx; m++) {
      const s = v128.load(p);
      v0 = madd(v128.load64_splat(am), s, v0);
      v1 = madd(v128.load64_splat(am + aStride), s, v1);
      v2 = madd(v128.load64_splat(am + 2 * aStride), s, v2);
      p += sStride;
      am += 8;
    }
    v128.store(o + off, v0);
    v128.store(o + oStride + off, v1);
    v128.store(o + 2 * oStride + off, v2);
  }
  if (c < count) {
    const off = (<usize>c) << 3;
    for (let r = 0; r < 3; r++) {
      const ar = a + (<usize>r) * aStride;
      let v = withB ? load<f64>(b + (<usize>r) * bStride + off) : 0.0;
      for (let k = 0; k < nx; k++) v += load<f64>(ar + ((<usize>k) << 3)) * load<f64>(sBase + (<usize>k) * sStride + off);
      store<f64>(o + (<usize>r) * oStride + off, v);
    }
  }
}

/**
 * Rows i0 .. i0 + 2 of S_{k+1} and the one row of J_k (as twoRowsAndJ, with a third row), four
 * columns at a time: eight independent sums (twoRowsAndJ's six leave the multiply-add units
 * waiting on their latency).
 */
function threeRowsAndJ(
  ftheta: usize, fx: usize, gtheta: usize, gx: usize, nTheta: i32, nx: i32, i0: i32,
  S: usize, ss: i32, s0: i32, Snext: usize, oj: i32, count: i32, withB: bool,
  Jr: usize, nl: i32, row: i32,
): void {
  const c4 = count & ~3;
  const c2 = count & ~1;
  const sStride = (<usize>ss) << 3;
  const aStride = (<usize>nx) << 3;
  const bStride = (<usize>nTheta) << 3;
  const sBase = S + ((<usize>s0) << 3);
  const oBase = Snext + (((<usize>i0) * <usize>ss + <usize>s0) << 3);
  const bBase = ftheta + (((<usize>i0) * <usize>nTheta + <usize>s0) << 3);
  const jb = gtheta + ((<usize>oj) << 3);
  const a = fx + (<usize>i0) * aStride;
  const jr = Jr + (((<usize>row) * <usize>nl + <usize>oj) << 3);
  let c = 0;
  for (; c < c4; c += 4) {
    const off = (<usize>c) << 3;
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), vj = f64x2.splat(0);
    let w0 = f64x2.splat(0), w1 = f64x2.splat(0), w2 = f64x2.splat(0), wj = f64x2.splat(0);
    if (withB) {
      v0 = v128.load(bBase + off);
      w0 = v128.load(bBase + off, 16);
      v1 = v128.load(bBase + bStride + off);
      w1 = v128.load(bBase + bStride + off, 16);
      v2 = v128.load(bBase + 2 * bStride + off);
      w2 = v128.load(bBase + 2 * bStride + off, 16);
      vj = v128.load(jb + off);
      wj = v128.load(jb + off, 16);
    }
    let p = sBase + off;
    let am = a;
    let gm = gx;
    for (let m = 0; m < nx; m++) {
      const s = v128.load(p);
      const t = v128.load(p, 16);
      let x = v128.load64_splat(am);
      v0 = madd(x, s, v0);
      w0 = madd(x, t, w0);
      x = v128.load64_splat(am + aStride);
      v1 = madd(x, s, v1);
      w1 = madd(x, t, w1);
      x = v128.load64_splat(am + 2 * aStride);
      v2 = madd(x, s, v2);
      w2 = madd(x, t, w2);
      x = v128.load64_splat(gm);
      vj = madd(x, s, vj);
      wj = madd(x, t, wj);
      p += sStride;
      am += 8;
      gm += 8;
    }
    const o = oBase + off;
    v128.store(o, v0);
    v128.store(o, w0, 16);
    v128.store(o + sStride, v1);
    v128.store(o + sStride, w1, 16);
    v128.store(o + 2 * sStride, v2);
    v128.store(o + 2 * sStride, w2, 16);
    v128.store(jr + off, vj);
    v128.store(jr + off, wj, 16);
  }
  for (; c < c2; c += 2) {
    const off = (<usize>c) << 3;
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0), v2 = f64x2.splat(0), vj = f64x2.splat(0);
    if (withB) {
      v0 = v128.load(bBase + off);
      v1 = v128.load(bBase + bStride + off);
      v2 = v128.load(bBase + 2 * bStride + off);
      vj = v128.load(jb + off);
    }
    let p = sBase + off;
    for (let m = 0; m < nx; m++) {
      const s = v128.load(p);
      const mo = (<usize>m) << 3;
      v0 = madd(v128.load64_splat(a + mo), s, v0);
      v1 = madd(v128.load64_splat(a + aStride + mo), s, v1);
      v2 = madd(v128.load64_splat(a + 2 * aStride + mo), s, v2);
      vj = madd(v128.load64_splat(gx + mo), s, vj);
      p += sStride;
    }
    const o = oBase + off;
    v128.store(o, v0);
    v128.store(o + sStride, v1);
    v128.store(o + 2 * sStride, v2);
    v128.store(jr + off, vj);
  }
  if (c < count) {
    const off = (<usize>c) << 3;
    let v0 = withB ? load<f64>(bBase + off) : 0.0;
    let v1 = withB ? load<f64>(bBase + bStride + off) : 0.0;
    let v2 = withB ? load<f64>(bBase + 2 * bStride + off) : 0.0;
    let vj = withB ? load<f64>(jb + off) : 0.0;
    for (let m = 0; m < nx; m++) {
      const sv = load<f64>(sBase + (<usize>m) * sStride + off);
      const mo = (<usize>m) << 3;
      v0 += load<f64>(a + mo) * sv;
      v1 += load<f64>(a + aStride + mo) * sv;
      v2 += load<f64>(a + 2 * aStride + mo) * sv;
      vj += load<f64>(gx + mo) * sv;
    }
    store<f64>(oBase + off, v0);
    store<f64>(oBase + sStride + off, v1);
    store<f64>(oBase + 2 * sStride + off, v2);
    store<f64>(jr + off, vj);
  }
}

/**
 * `step` for the state-space net's block pass (kernels/rnn-pass.ts), before the loss derivatives
 * are known: the rows of J_k unscaled into row `row` on of Jr (row-major, nl columns; no J
 * buffer: syrk.ts's syrkScaled scales them and adds the gradient), and S_{k+1} with the
 * column-pair-major products. The same sums in the same order as `step`, so the same rounding.
 */
export function stepRows(
  ftheta: usize, fx: usize, gtheta: usize, gx: usize, S: usize, Snext: usize,
  Jr: usize, nl: i32, row: i32, nx: i32, ny: i32, nTheta: i32, nf: i32, ns: i32,
): void {
  // One output and nx = 3q: S_{k+1} three rows at a time, the last three with J_k's row.
  const fused3 = ny == 1 && nx >= 3 && nx % 3 == 0;
  // One output and nx = 4q + 2 otherwise: the last two rows of S_{k+1} with J_k's row.
  const fused = !fused3 && ny == 1 && (nx & 3) == 2;
  if (fused3) {
    for (let i0 = 0; i0 + 3 < nx; i0 += 3) {
      threeRows(ftheta, nTheta, fx, nx, S, ns, 0, Snext, ns, 0, nf, i0, true);
      if (ns > nf) threeRows(ftheta, nTheta, fx, nx, S, ns, nf, Snext, ns, nf, ns - nf, i0, false);
    }
    threeRowsAndJ(ftheta, fx, gtheta, gx, nTheta, nx, nx - 3, S, ns, 0, Snext, 0, nf, true, Jr, nl, row);
    if (ns > nf) threeRowsAndJ(ftheta, fx, gtheta, gx, nTheta, nx, nx - 3, S, ns, nf, Snext, nTheta, ns - nf, false, Jr, nl, row);
  } else if (fused) {
    if (nx > 2) {
      combineByColumns(ftheta, nTheta, fx, nx, S, ns, 0, Snext, ns, 0, nf, nx - 2, true);
      if (ns > nf) combineByColumns(ftheta, nTheta, fx, nx, S, ns, nf, Snext, ns, nf, ns - nf, nx - 2, false);
    }
    twoRowsAndJ(ftheta, fx, gtheta, gx, nTheta, nx, nx - 2, S, ns, 0, Snext, 0, nf, true, Jr, nl, row);
    if (ns > nf) twoRowsAndJ(ftheta, fx, gtheta, gx, nTheta, nx, nx - 2, S, ns, nf, Snext, nTheta, ns - nf, false, Jr, nl, row);
  } else jRows(gtheta, nTheta, gx, nx, S, ns, 0, 0, nf, ny, true, Jr, nl, row);
  // Columns [nf, nθ): g_θ alone.
  for (let r = 0; r < ny; r++) {
    const b = gtheta + (((<usize>r) * <usize>nTheta + <usize>nf) << 3);
    copy(Jr + (((<usize>(row + r)) * <usize>nl + <usize>nf) << 3), b, nTheta - nf);
  }
  if (fused || fused3) return;
  if (ns > nf) jRows(gtheta, nTheta, gx, nx, S, ns, nf, nTheta, ns - nf, ny, false, Jr, nl, row);
  if (nx > 0) {
    combineByColumns(ftheta, nTheta, fx, nx, S, ns, 0, Snext, ns, 0, nf, nx, true);
    if (ns > nf) combineByColumns(ftheta, nTheta, fx, nx, S, ns, nf, Snext, ns, nf, ns - nf, nx, false);
  }
}
