// AssemblyScript (compiled into the same module as syrk.ts; see gauss-newton.ts): one sample of the
// sensitivity recursion of src/core/solver/gauss-newton.ts, with f64x2 lanes over the columns.
// Arrays are row-major f64 at byte addresses; S holds the stored state-sensitivity columns
// (θ[0, nf) then the x0 columns, ns in all), J and the gradient have nl = nθ (+ nx) columns.

/**
 * out[i·os + o0 + c] = (withB ? B[i·bs + o0 + c] : 0) + Σ_m A[i·nx + m] · S[m·ss + s0 + c]
 * for i < rows, c < count.
 */
function combine(
  B: usize, bs: i32, A: usize, nx: i32, S: usize, ss: i32, s0: i32,
  out: usize, os: i32, o0: i32, count: i32, rows: i32, withB: bool,
): void {
  const c2 = count & ~1;
  for (let i = 0; i < rows; i++) {
    const o = out + (((<usize>i) * <usize>os + <usize>o0) << 3);
    const b = B + (((<usize>i) * <usize>bs + <usize>o0) << 3);
    const a = A + (((<usize>i) * <usize>nx) << 3);
    for (let c = 0; c < c2; c += 2) {
      const off = (<usize>c) << 3;
      let v = withB ? v128.load(b + off) : f64x2.splat(0);
      for (let m = 0; m < nx; m++) {
        const s = S + (((<usize>m) * <usize>ss + <usize>s0) << 3);
        v = f64x2.add(v, f64x2.mul(v128.load64_splat(a + ((<usize>m) << 3)), v128.load(s + off)));
      }
      v128.store(o + off, v);
    }
    if (count & 1) {
      const off = (<usize>c2) << 3;
      let v: f64 = withB ? load<f64>(b + off) : 0.0;
      for (let m = 0; m < nx; m++) {
        const s = S + (((<usize>m) * <usize>ss + <usize>s0) << 3);
        v += load<f64>(a + ((<usize>m) << 3)) * load<f64>(s + off);
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
