/**
 * One sample of the sensitivity pass in TypeScript (the fallback and reference of the WebAssembly
 * step in kernels/gauss-newton.ts): J_k, its weighted rows and gradient, and S_{k+1}.
 */

/**
 * J_k = g_x S_k + [g_θ | 0]   (ny × nl), from the stored S (nx × ns: θ[0, nf) then the x0
 * columns): columns [0, nf) are g_θ + g_x S, [nf, nθ) are g_θ alone, the x0 columns g_x S.
 */
export function formJ(
  gtheta: Float64Array,
  gx: Float64Array,
  S: Float64Array,
  Jk: Float64Array,
  ny: number,
  nx: number,
  nTheta: number,
  nf: number,
  ns: number,
  nl: number,
): void {
  combine(gtheta, nTheta, gx, nx, S, ns, 0, Jk, nl, 0, nf, ny, true);
  for (let r = 0; r < ny; r++)
    for (let c = nf; c < nTheta; c++) Jk[r * nl + c] = gtheta[r * nTheta + c]!;
  if (ns > nf) combine(gtheta, nTheta, gx, nx, S, ns, nf, Jk, nl, nTheta, ns - nf, ny, false);
}

/** Writes the rows √h_r J_k[r,:] into column-major At at row `row`, and adds Σ_r g_r J_k[r,:] to g. */
export function pushRows(
  Jk: Float64Array,
  lg: Float64Array,
  lh: Float64Array,
  At: Float64Array,
  ld: number,
  row: number,
  g: Float64Array,
  ny: number,
  nl: number,
): void {
  for (let r = 0; r < ny; r++) {
    const jr = r * nl;
    const sh = Math.sqrt(lh[r]!);
    const gr = lg[r]!;
    const at = row + r;
    for (let c = 0; c < nl; c++) {
      const v = Jk[jr + c]!;
      At[c * ld + at] = sh * v;
      g[c] = g[c]! + gr * v;
    }
  }
}

/** S_{k+1} = f_x S_k + [f_θ | 0] on the stored columns (nx × ns; f_θ: nx × nθ, read up to nf). */
export function propagateS(
  ftheta: Float64Array,
  fx: Float64Array,
  S: Float64Array,
  Snext: Float64Array,
  nx: number,
  nTheta: number,
  nf: number,
  ns: number,
): void {
  combine(ftheta, nTheta, fx, nx, S, ns, 0, Snext, ns, 0, nf, nx, true);
  if (ns > nf) combine(ftheta, nTheta, fx, nx, S, ns, nf, Snext, ns, nf, ns - nf, nx, false);
}

/**
 * For i < rows and c < count:
 *
 *   out[i·outStride + o0 + c] = (withB ? B[i·bStride + o0 + c] : 0) + Σ_m A[i·nx + m] · S[m·sStride + s0 + c]
 *
 * A: rows × nx, S: nx × sStride, B: rows × bStride (row-major). The shared step of formJ and
 * propagateS. For nx ≤ 4 every entry is summed in a register and written once; larger state
 * dimensions are added four (then two, then one) per pass over the row.
 */
function combine(
  B: Float64Array,
  bStride: number,
  A: Float64Array,
  nx: number,
  S: Float64Array,
  sStride: number,
  s0: number,
  out: Float64Array,
  outStride: number,
  o0: number,
  count: number,
  rows: number,
  withB: boolean,
): void {
  for (let i = 0; i < rows; i++) {
    const oi = i * outStride + o0;
    const bi = i * bStride + o0;
    const ai = i * nx;
    if (nx === 1) {
      const a0 = A[ai]!;
      if (withB) for (let c = 0; c < count; c++) out[oi + c] = B[bi + c]! + a0 * S[s0 + c]!;
      else for (let c = 0; c < count; c++) out[oi + c] = a0 * S[s0 + c]!;
    } else if (nx === 2) {
      const a0 = A[ai]!;
      const a1 = A[ai + 1]!;
      const t1 = sStride + s0;
      if (withB)
        for (let c = 0; c < count; c++)
          out[oi + c] = B[bi + c]! + a0 * S[s0 + c]! + a1 * S[t1 + c]!;
      else for (let c = 0; c < count; c++) out[oi + c] = a0 * S[s0 + c]! + a1 * S[t1 + c]!;
    } else if (nx === 3) {
      const a0 = A[ai]!;
      const a1 = A[ai + 1]!;
      const a2 = A[ai + 2]!;
      const t1 = sStride + s0;
      const t2 = t1 + sStride;
      if (withB)
        for (let c = 0; c < count; c++)
          out[oi + c] = B[bi + c]! + a0 * S[s0 + c]! + a1 * S[t1 + c]! + a2 * S[t2 + c]!;
      else
        for (let c = 0; c < count; c++)
          out[oi + c] = a0 * S[s0 + c]! + a1 * S[t1 + c]! + a2 * S[t2 + c]!;
    } else if (nx === 4) {
      const a0 = A[ai]!;
      const a1 = A[ai + 1]!;
      const a2 = A[ai + 2]!;
      const a3 = A[ai + 3]!;
      const t1 = sStride + s0;
      const t2 = t1 + sStride;
      const t3 = t2 + sStride;
      if (withB)
        for (let c = 0; c < count; c++)
          out[oi + c] =
            B[bi + c]! + a0 * S[s0 + c]! + a1 * S[t1 + c]! + a2 * S[t2 + c]! + a3 * S[t3 + c]!;
      else
        for (let c = 0; c < count; c++)
          out[oi + c] = a0 * S[s0 + c]! + a1 * S[t1 + c]! + a2 * S[t2 + c]! + a3 * S[t3 + c]!;
    } else {
      if (withB) for (let c = 0; c < count; c++) out[oi + c] = B[bi + c]!;
      else for (let c = 0; c < count; c++) out[oi + c] = 0;
      let m = 0;
      for (; m + 3 < nx; m += 4) {
        const a0 = A[ai + m]!;
        const a1 = A[ai + m + 1]!;
        const a2 = A[ai + m + 2]!;
        const a3 = A[ai + m + 3]!;
        const t0 = m * sStride + s0;
        const t1 = t0 + sStride;
        const t2 = t1 + sStride;
        const t3 = t2 + sStride;
        for (let c = 0; c < count; c++)
          out[oi + c] =
            out[oi + c]! + a0 * S[t0 + c]! + a1 * S[t1 + c]! + a2 * S[t2 + c]! + a3 * S[t3 + c]!;
      }
      for (; m + 1 < nx; m += 2) {
        const a0 = A[ai + m]!;
        const a1 = A[ai + m + 1]!;
        const t0 = m * sStride + s0;
        const t1 = t0 + sStride;
        for (let c = 0; c < count; c++)
          out[oi + c] = out[oi + c]! + a0 * S[t0 + c]! + a1 * S[t1 + c]!;
      }
      if (m < nx) {
        const a0 = A[ai + m]!;
        const t0 = m * sStride + s0;
        for (let c = 0; c < count; c++) out[oi + c] = out[oi + c]! + a0 * S[t0 + c]!;
      }
    }
  }
}
