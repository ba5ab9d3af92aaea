/**
 * The sensitivity engine (ALGORITHM.md §3): one forward pass through every experiment that
 * simulates, propagates the output sensitivities by forward-mode differentiation
 *
 *   S_0 = ∂x_0/∂z_j = [0 | I],   S_{k+1} = f_x S_k + [f_θ | 0],   J_k = g_x S_k + [g_θ | 0]
 *
 * (z_j = (θ, x0_j): nl = nθ + nx local columns; S_k: nx × nl) and accumulates, with the loss
 * gradient g_k = ∇_ŷ ℓ and diagonal Hessian H_k = ∇²_ŷ ℓ at ŷ_k,
 *
 *   ∇V = (1/N) Σ J_kᵀ g_k + 2 ρ z,     M = (1/N) Σ J_kᵀ H_k J_k + 2 ρ I,
 *
 * over chunks of time: rows √H_k J_k are written (column-major) into a chunk buffer of `chunk`
 * samples and added to M by one symmetric rank-k update per chunk, so memory is
 * O(nl² + chunk·ny·nl) whatever the record length. Both the per-sample step (J_k, its rows, the
 * gradient, S_{k+1}) and the update run in WebAssembly (kernels/, via SyrkAccumulator), with the
 * TypeScript functions below as fallback and reference.
 *
 * M is block-arrow shaped: x0_j only touches experiment j's rows, so it is kept as the dense
 * θ block, one θ–x0_j block and one x0_j block per experiment (see block-arrow.ts for the solve).
 *
 * Multiple shooting (problem.ts) adds, per continued window j, the residual
 * c_j = √ρ_c (x_{j−1}[N_{j−1}] − x0_j) with Jacobian [Σ_θ | Σ_x (block j−1) | −I (block j)]
 * (Σ = S at the end of window j−1), so the GN terms 2ρ_c JᵀJ and 2ρ_c Jᵀc add to the θ, x0_{j−1}
 * and x0_j blocks plus one coupling block M_{x0_{j−1} x0_j} = −2ρ_c Σ_xᵀ: M stays block-arrow
 * with a block-tridiagonal x0 part.
 */
import { allocJacobians, jacobianSizes, type StepJacobians } from '../models/model.js';
import { symmetrize } from '../linalg/syrk.js';
import { SyrkAccumulator, type KernelVariant } from '../linalg/syrk-wasm.js';
import { Cancelled, type ShouldStop } from './cancellation.js';
import {
  isContinued,
  quadraticTerm,
  samples,
  unpackZ,
  x0Regularization,
  type Problem,
} from './problem.js';

/** The local quadratic model of V at z, in block-arrow form. */
export interface GaussNewtonSystem {
  /** V(z) */
  value: number;
  /** false when the simulation was not finite (then nothing else is valid). */
  finite: boolean;
  nTheta: number;
  nx: number;
  /** ∇_θ V: nθ */
  gTheta: Float64Array;
  /** M_θθ: nθ × nθ (full, symmetric) */
  Mtt: Float64Array;
  /** Per experiment (empty when x0 is not trained): ∇_{x0_j} V: nx; M_{θ x0_j}: nθ × nx; M_{x0_j x0_j}: nx × nx. */
  gX: Float64Array[];
  Mtx: Float64Array[];
  Mxx: Float64Array[];
  /**
   * Multiple shooting only: coupling[j] = M_{x0_j x0_{j+1}} (nx × nx) when window j + 1 continues
   * window j, else undefined.
   */
  coupling?: (Float64Array | undefined)[];
}

/** The end of window j − 1 for its continuity residual: d = x[N] − x0_j, S = ∂x[N]/∂(θ_f, x0). */
interface Link {
  j: number;
  d: Float64Array;
  S: Float64Array;
}

export interface AccumulateOptions {
  /** Samples per chunk (default 512). */
  chunk?: number;
  shouldStop?: ShouldStop;
}

/** Reusable buffers for one problem size. */
export class GaussNewtonWorkspace {
  readonly nl: number;
  readonly cap: number;
  /** Leading dimension of At: cap padded so that columns do not alias in the L1 cache (4 KiB strides). */
  readonly ld: number;
  /** M_loc accumulated in the kernel's memory; `At` is its chunk (nl × ld, column-major). */
  readonly acc: SyrkAccumulator;
  readonly At: Float64Array;
  readonly Mloc: Float64Array;
  readonly gloc: Float64Array;
  /** θ columns that enter f: [0, nf) (the model's nThetaState, else nθ). */
  readonly nf: number;
  /** Stored state-sensitivity columns: θ[0, nf) then the x0 columns (ns = nf + nx when x0 is trained). */
  readonly ns: number;
  /** S_k, Snext: nx × ns (the columns θ[nf, nθ) of ∂x_k/∂z are identically zero and not stored). */
  readonly S: Float64Array;
  readonly Snext: Float64Array;
  readonly Jk: Float64Array;
  readonly jac: StepJacobians;
  readonly x: Float64Array;
  readonly lg: Float64Array;
  readonly lh: Float64Array;

  /**
   * The per-sample arrays live in the kernel's memory with the chunk, so that one WebAssembly
   * call does formJ, pushRows and propagateS (`acc.step`); `variant` forces a kernel (tests).
   */
  constructor(
    p: Problem,
    readonly chunk: number,
    variant?: KernelVariant,
  ) {
    const { nx, ny, nTheta } = p.model;
    this.nl = nTheta + (p.trainX0 ? nx : 0);
    this.cap = chunk * ny;
    this.ld = this.cap + 8;
    this.nf = Math.min(p.model.nThetaState ?? nTheta, nTheta);
    this.ns = this.nf + (p.trainX0 ? nx : 0);
    const nl = this.nl;
    const lengths = [nl, nx * this.ns, nx * this.ns, ny * nl, ny, ny];
    const jacSizes = Object.values(jacobianSizes(p.model));
    this.acc = new SyrkAccumulator(nl, this.ld, variant, [...lengths, ...jacSizes]);
    const [gloc, S, Snext, Jk, lg, lh, ...jacArrays] = this.acc.extra;
    this.At = this.acc.At;
    this.Mloc = new Float64Array(nl * nl);
    this.gloc = gloc!;
    this.S = S!;
    this.Snext = Snext!;
    this.Jk = Jk!;
    this.lg = lg!;
    this.lh = lh!;
    // The same order as jacobianSizes: hand its arrays out one after another.
    let next = 0;
    this.jac = allocJacobians(p.model, () => jacArrays[next++]!);
    this.x = new Float64Array(nx);
  }
}

/**
 * Accumulates the Gauss–Newton system at z. Throws Cancelled (checked once per chunk) when
 * `shouldStop()` turns true.
 */
export function accumulateGaussNewton(
  p: Problem,
  z: Float64Array,
  opts: AccumulateOptions = {},
  ws?: GaussNewtonWorkspace,
): GaussNewtonSystem {
  const chunk = opts.chunk ?? 512;
  const w = ws && ws.chunk === chunk ? ws : new GaussNewtonWorkspace(p, chunk);
  const { model } = p;
  const { nx, nu, ny, nTheta } = model;
  const { theta, x0s } = unpackZ(p, z);
  const E = p.experiments.length;
  const N = samples(p);
  const nl = w.nl;
  const { nf, ns } = w;
  const cap = w.cap;
  const ld = w.ld;
  const { acc, At, Mloc, gloc, Jk, jac, lg, lh } = w;
  const step = acc.step;
  let S = w.S;
  let Snext = w.Snext;
  const x = w.x;

  const sys: GaussNewtonSystem = {
    value: NaN,
    finite: true,
    nTheta,
    nx,
    gTheta: new Float64Array(nTheta),
    Mtt: new Float64Array(nTheta * nTheta),
    gX: [],
    Mtx: [],
    Mxx: [],
  };
  let lossSum = 0;
  const links: Link[] = [];

  for (let j = 0; j < E; j++) {
    const e = p.experiments[j]!;
    acc.reset();
    gloc.fill(0);
    x.set(x0s.subarray(j * nx, (j + 1) * nx));
    S.fill(0);
    if (p.trainX0) for (let i = 0; i < nx; i++) S[i * ns + nf + i] = 1;
    let rows = 0;
    for (let k = 0; k < e.N; k++) {
      model.jacobians(theta, x, e.u, k * nu, jac);
      const l = p.loss.evaluate(e.y, k * ny, jac.y, 0, ny, lg, lh);
      if (!Number.isFinite(l)) return notFinite(sys);
      lossSum += l;
      // J_k; its rows √h_r J_k[r,:] into the chunk (column-major) and Σ g_r J_k[r,:] into the
      // gradient; S_{k+1} = f_x S_k + [f_θ | 0]. One WebAssembly call, or the same in TypeScript.
      if (step) {
        step(
          jac.ftheta.byteOffset,
          jac.fx.byteOffset,
          jac.gtheta.byteOffset,
          jac.gx.byteOffset,
          S.byteOffset,
          Snext.byteOffset,
          Jk.byteOffset,
          lg.byteOffset,
          lh.byteOffset,
          At.byteOffset,
          gloc.byteOffset,
          ld,
          rows,
          nx,
          ny,
          nTheta,
          nf,
          ns,
          nl,
        );
      } else {
        formJ(jac.gtheta, jac.gx, S, Jk, ny, nx, nTheta, nf, ns, nl);
        pushRows(Jk, lg, lh, At, ld, rows, gloc, ny, nl);
        propagateS(jac.ftheta, jac.fx, S, Snext, nx, nTheta, nf, ns);
      }
      rows += ny;
      if (rows === cap) {
        acc.add(rows);
        rows = 0;
        if (opts.shouldStop?.()) throw new Cancelled();
      }
      let finite = true;
      for (let i = 0; i < nx; i++) {
        const v = jac.xNext[i]!;
        if (!Number.isFinite(v)) finite = false;
        x[i] = v;
      }
      if (!finite) return notFinite(sys);
      const t = S;
      S = Snext;
      Snext = t;
    }
    acc.add(rows);
    acc.read(Mloc);
    symmetrize(Mloc, nl);
    // Scatter the local system into the block-arrow blocks.
    for (let a = 0; a < nTheta; a++) {
      sys.gTheta[a] = sys.gTheta[a]! + gloc[a]!;
      const ra = a * nl;
      const ma = a * nTheta;
      for (let b = 0; b < nTheta; b++) sys.Mtt[ma + b] = sys.Mtt[ma + b]! + Mloc[ra + b]!;
    }
    if (p.trainX0) {
      const Mtx = new Float64Array(nTheta * nx);
      const Mxx = new Float64Array(nx * nx);
      const gX = new Float64Array(nx);
      for (let a = 0; a < nTheta; a++)
        for (let i = 0; i < nx; i++) Mtx[a * nx + i] = Mloc[a * nl + nTheta + i]!;
      for (let i = 0; i < nx; i++) {
        gX[i] = gloc[nTheta + i]!;
        for (let m = 0; m < nx; m++) Mxx[i * nx + m] = Mloc[(nTheta + i) * nl + nTheta + m]!;
      }
      sys.Mtx.push(Mtx);
      sys.Mxx.push(Mxx);
      sys.gX.push(gX);
    }
    if (j + 1 < E && isContinued(p, j + 1)) {
      const d = new Float64Array(nx);
      for (let i = 0; i < nx; i++) d[i] = x[i]! - x0s[(j + 1) * nx + i]!;
      links.push({ j: j + 1, d, S: Float64Array.from(S) });
    }
  }
  // Scale by 1/N and add the ρ terms: ∇(ρ‖v‖²) = 2ρ v, ∇²(ρ‖v‖²) = 2ρ I.
  const invN = 1 / N;
  for (let a = 0; a < nTheta * nTheta; a++) sys.Mtt[a] = sys.Mtt[a]! * invN;
  for (let a = 0; a < nTheta; a++) {
    sys.gTheta[a] = sys.gTheta[a]! * invN + 2 * p.rhoTheta * theta[a]!;
    sys.Mtt[a * nTheta + a] = sys.Mtt[a * nTheta + a]! + 2 * p.rhoTheta;
  }
  for (let j = 0; j < sys.gX.length; j++) {
    const gX = sys.gX[j]!;
    const Mxx = sys.Mxx[j]!;
    const Mtx = sys.Mtx[j]!;
    for (let a = 0; a < Mtx.length; a++) Mtx[a] = Mtx[a]! * invN;
    const rho = isContinued(p, j) ? 0 : p.rhoX0;
    for (let i = 0; i < nx; i++) {
      gX[i] = gX[i]! * invN + 2 * rho * x0s[j * nx + i]!;
      for (let m = 0; m < nx; m++) Mxx[i * nx + m] = Mxx[i * nx + m]! * invN;
      Mxx[i * nx + i] = Mxx[i * nx + i]! + 2 * rho;
    }
  }
  let reg = 0;
  for (let a = 0; a < nTheta; a++) reg += theta[a]! * theta[a]!;
  const continuity = p.shooting ? addContinuity(sys, links, p.shooting.weight, nf, ns) : 0;
  sys.value =
    lossSum * invN + p.rhoTheta * reg + x0Regularization(p, x0s) + continuity + quadraticTerm(p, z);
  if (!Number.isFinite(sys.value)) return notFinite(sys);
  if (p.quadratic) addQuadratic(sys, p.quadratic, z);
  if (p.fixed) fixEntries(sys, p.fixed);
  return sys;
}

/**
 * Adds the continuity terms ρ_c ‖d‖² of multiple shooting, d = x_{j−1}[N] − x0_j with
 * ∂d/∂(θ_f, x0_{j−1}, x0_j) = [Σ_θ | Σ_x | −I] (Σ: nx × ns, θ columns [0, nf) then x0):
 *
 *   ∇ += 2ρ_c Jᵀd,   M += 2ρ_c JᵀJ   (θθ, θx, xx blocks of j−1 and j, and the coupling block);
 *
 * returns Σ ρ_c ‖d‖².
 */
function addContinuity(
  sys: GaussNewtonSystem,
  links: readonly Link[],
  rho: number,
  nf: number,
  ns: number,
): number {
  const { nTheta: nt, nx } = sys;
  const w = 2 * rho;
  const coupling: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(
    sys.gX.length,
  ).fill(undefined);
  let value = 0;
  for (const { j, d, S } of links) {
    const prev = j - 1;
    const gP = sys.gX[prev]!;
    const gJ = sys.gX[j]!;
    const MtxP = sys.Mtx[prev]!;
    const MtxJ = sys.Mtx[j]!;
    const MxxP = sys.Mxx[prev]!;
    const MxxJ = sys.Mxx[j]!;
    const C = new Float64Array(nx * nx);
    for (let i = 0; i < nx; i++) {
      const di = d[i]!;
      value += rho * di * di;
      const si = i * ns;
      // θ rows: Σ_θ[i, a] for a < nf.
      for (let a = 0; a < nf; a++) {
        const sa = S[si + a]!;
        if (sa === 0) continue;
        sys.gTheta[a] = sys.gTheta[a]! + w * sa * di;
        for (let b = 0; b < nf; b++)
          sys.Mtt[a * nt + b] = sys.Mtt[a * nt + b]! + w * sa * S[si + b]!;
        for (let m = 0; m < nx; m++)
          MtxP[a * nx + m] = MtxP[a * nx + m]! + w * sa * S[si + nf + m]!;
        MtxJ[a * nx + i] = MtxJ[a * nx + i]! - w * sa;
      }
      for (let m = 0; m < nx; m++) {
        const sm = S[si + nf + m]!;
        gP[m] = gP[m]! + w * sm * di;
        for (let q = 0; q < nx; q++)
          MxxP[m * nx + q] = MxxP[m * nx + q]! + w * sm * S[si + nf + q]!;
        // M_{x0_{j−1} x0_j}[m, i] = −2ρ Σ_x[i, m]
        C[m * nx + i] = -w * sm;
      }
      gJ[i] = gJ[i]! - w * di;
      MxxJ[i * nx + i] = MxxJ[i * nx + i]! + w;
    }
    coupling[prev] = C;
  }
  sys.coupling = coupling;
  return value;
}

/** Adds (w/2) Σ (z_i − c_i)²: ∇ += w (z_i − c_i), M_ii += w. */
function addQuadratic(
  sys: GaussNewtonSystem,
  q: NonNullable<Problem['quadratic']>,
  z: Float64Array,
): void {
  const { nTheta: nt, nx } = sys;
  for (let k = 0; k < q.index.length; k++) {
    const i = q.index[k]!;
    const d = q.weight * (z[i]! - q.center[k]!);
    if (i < nt) {
      sys.gTheta[i] = sys.gTheta[i]! + d;
      sys.Mtt[i * nt + i] = sys.Mtt[i * nt + i]! + q.weight;
    } else {
      const j = Math.floor((i - nt) / nx);
      const a = (i - nt) % nx;
      sys.gX[j]![a] = sys.gX[j]![a]! + d;
      sys.Mxx[j]![a * nx + a] = sys.Mxx[j]![a * nx + a]! + q.weight;
    }
  }
}

/**
 * Decouples the fixed entries: their gradient and their rows and columns of M become 0 and
 * their diagonal 1, so every damped solve gives Δ_i = 0 exactly for them.
 */
function fixEntries(sys: GaussNewtonSystem, fixed: Uint8Array): void {
  const { nTheta: nt, nx } = sys;
  for (let i = 0; i < nt; i++) {
    if (!fixed[i]) continue;
    sys.gTheta[i] = 0;
    for (let b = 0; b < nt; b++) {
      sys.Mtt[i * nt + b] = 0;
      sys.Mtt[b * nt + i] = 0;
    }
    sys.Mtt[i * nt + i] = 1;
    for (const Mtx of sys.Mtx) for (let a = 0; a < nx; a++) Mtx[i * nx + a] = 0;
  }
  sys.gX.forEach((gX, j) => {
    const Mxx = sys.Mxx[j]!;
    const Mtx = sys.Mtx[j]!;
    for (let a = 0; a < nx; a++) {
      if (!fixed[nt + j * nx + a]) continue;
      gX[a] = 0;
      for (let b = 0; b < nx; b++) {
        Mxx[a * nx + b] = 0;
        Mxx[b * nx + a] = 0;
      }
      Mxx[a * nx + a] = 1;
      for (let t = 0; t < nt; t++) Mtx[t * nx + a] = 0;
      // The coupling blocks with the neighbouring windows: row a of C_j, column a of C_{j−1}.
      const next = sys.coupling?.[j];
      if (next) for (let b = 0; b < nx; b++) next[a * nx + b] = 0;
      const before = j > 0 ? sys.coupling?.[j - 1] : undefined;
      if (before) for (let b = 0; b < nx; b++) before[b * nx + a] = 0;
    }
  });
}

/**
 * J_k = g_x S_k + [g_θ | 0]   (ny × nl), from the stored S (nx × ns: θ[0, nf) then the x0
 * columns): columns [0, nf) are g_θ + g_x S, [nf, nθ) are g_θ alone, the x0 columns g_x S.
 */
function formJ(
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
function pushRows(
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
function propagateS(
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

function notFinite(sys: GaussNewtonSystem): GaussNewtonSystem {
  sys.finite = false;
  sys.value = Infinity;
  return sys;
}

/** The gradient ∇V as one vector in z's layout. */
export function gradientVector(sys: GaussNewtonSystem): Float64Array {
  const g = new Float64Array(sys.nTheta + sys.gX.length * sys.nx);
  g.set(sys.gTheta);
  sys.gX.forEach((gx, j) => g.set(gx, sys.nTheta + j * sys.nx));
  return g;
}

/** M as one dense n_z × n_z matrix (for tests and small problems). */
export function denseMatrix(sys: GaussNewtonSystem): Float64Array {
  const { nTheta, nx } = sys;
  const n = nTheta + sys.gX.length * nx;
  const M = new Float64Array(n * n);
  for (let a = 0; a < nTheta; a++)
    for (let b = 0; b < nTheta; b++) M[a * n + b] = sys.Mtt[a * nTheta + b]!;
  sys.Mtx.forEach((Mtx, j) => {
    const o = nTheta + j * nx;
    for (let a = 0; a < nTheta; a++)
      for (let i = 0; i < nx; i++) {
        M[a * n + o + i] = Mtx[a * nx + i]!;
        M[(o + i) * n + a] = Mtx[a * nx + i]!;
      }
    const Mxx = sys.Mxx[j]!;
    for (let i = 0; i < nx; i++)
      for (let m = 0; m < nx; m++) M[(o + i) * n + o + m] = Mxx[i * nx + m]!;
    const C = sys.coupling?.[j];
    if (C)
      for (let i = 0; i < nx; i++)
        for (let m = 0; m < nx; m++) {
          M[(o + i) * n + o + nx + m] = C[i * nx + m]!;
          M[(o + nx + m) * n + o + i] = C[i * nx + m]!;
        }
  });
  return M;
}
