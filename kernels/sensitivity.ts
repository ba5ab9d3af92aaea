// AssemblyScript (compiled into the same module as syrk.ts; see gauss-newton.ts): one sample of the
// sensitivity recursion of src/core/solver/gauss-newton.ts, with f64x2 lanes over the columns.
// Arrays are row-major f64 at byte addresses; S holds the stored state-sensitivity columns
// (θ[0, nf) then the x0 columns, ns in all), J and the gradient have nl = nθ (+ nx) columns.

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
