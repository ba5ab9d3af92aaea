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
 * TypeScript functions of sensitivity-step.ts as fallback and reference. For the state-space net
 * the model's derivatives run there too, a block of samples per call (rnn-pass.ts), unless
 * `derivatives: 'typescript'` asks for `Model.jacobians` (the oracle; custom models always).
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
import { allocJacobians, jacobianSizes, type Model, type StepJacobians } from '../models/model.js';
import { symmetrize } from '../linalg/syrk.js';
import { SyrkAccumulator, type KernelVariant } from '../linalg/syrk-wasm.js';
import { Cancelled, type ShouldStop } from './cancellation.js';
import {
  isContinued,
  localColumns,
  quadraticTerm,
  samples,
  unpackZ,
  x0Regularization,
  type Problem,
} from './problem.js';
import {
  type Link,
  emptySystem,
  fixEntries,
  notFinite,
  type GaussNewtonSystem,
  addContinuity,
  addQuadratic,
} from './gauss-newton-system.js';
import { pushRows, formJ, propagateS } from './sensitivity-step.js';
import {
  defaultDerivativeEngine,
  RnnKernel,
  rnnBufferLengths,
  rnnKernelApplies,
  type DerivativeEngine,
} from './rnn-kernel.js';
import { rnnExperimentPass } from './rnn-pass.js';
import { defaultChunk } from './chunk.js';

export type { GaussNewtonSystem } from './gauss-newton-system.js';
export { denseMatrix, gradientVector } from './gauss-newton-system.js';

export interface AccumulateOptions {
  /** Samples per chunk (default: defaultChunk(p), chunk.ts). */
  chunk?: number;
  shouldStop?: ShouldStop;
  /** The model's step derivatives: WebAssembly (default, state-space nets) or TypeScript. */
  derivatives?: DerivativeEngine;
  /**
   * Return the sums over the samples only: no 1/N, no ρ terms (for the pieces of a parallel
   * pass, parallel-pass.ts). Default false.
   */
  sumsOnly?: boolean;
  /** Called after each experiment with its last state x_N (nx) and S_N (nx × ns); copy to keep. */
  onExperimentEnd?: (j: number, x: Float64Array, S: Float64Array) => void;
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
  /** The model's derivatives in WebAssembly (null: `Model.jacobians` per sample). */
  readonly rnn: RnnKernel | null;
  /** The problem shape the buffers were laid out for (`takeWorkspace` matches on it). */
  readonly model: Model;
  readonly trainX0: boolean;

  /**
   * The per-sample arrays live in the kernel's memory with the chunk, so that one WebAssembly
   * call does formJ, pushRows and propagateS (`acc.step`); `variant` forces a kernel (tests).
   */
  constructor(
    p: Problem,
    readonly chunk: number,
    variant?: KernelVariant,
    readonly derivatives: DerivativeEngine = defaultDerivativeEngine(),
  ) {
    const { nx, ny, nTheta } = p.model;
    this.model = p.model;
    this.trainX0 = Boolean(p.trainX0);
    this.nl = localColumns(p);
    this.cap = chunk * ny;
    this.ld = this.cap + 8;
    this.nf = Math.min(p.model.nThetaState ?? nTheta, nTheta);
    this.ns = this.nf + (p.trainX0 ? nx : 0);
    const nl = this.nl;
    const lengths = [nl, nx * this.ns, nx * this.ns, ny * nl, ny, ny];
    const jacSizes = Object.values(jacobianSizes(p.model));
    const model = p.model;
    const rnnLengths =
      derivatives === 'wasm' && variant !== 'typescript' && rnnKernelApplies(model)
        ? rnnBufferLengths(model, chunk)
        : [];
    this.acc = new SyrkAccumulator(nl, this.ld, variant, [...lengths, ...jacSizes, ...rnnLengths]);
    const [gloc, S, Snext, Jk, lg, lh, ...rest] = this.acc.extra;
    const jacArrays = rest.slice(0, jacSizes.length);
    this.At = this.acc.At;
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
    const kernels = this.acc.rnn;
    this.rnn =
      kernels && rnnLengths.length > 0 && rnnKernelApplies(model)
        ? new RnnKernel(model, kernels, rest.slice(jacSizes.length), this.jac)
        : null;
  }

  /**
   * Gives the kernel's memory back for the next workspace of this thread (SyrkAccumulator.release):
   * the arrays above that live there must not be used again, nor systems that view them.
   */
  release(): void {
    this.acc.release();
  }
}

/**
 * The workspace the last search of this thread handed back (`parkWorkspace`), kept for the next
 * search of the same model: ADMM runs one search per inner solve, a hundred or more per fit, and
 * laying a workspace out again (the kernel's table, the model's Jacobian views, the zeroed kernel
 * memory) cost a sweep of small fits about 13 ms per fit, and each new solver thread the
 * optimizing compiler's time on that code. The next search sees the buffers as the last pass
 * left them, as a search's later passes do: every pass writes what it reads.
 */
let parked: GaussNewtonWorkspace | undefined;

/** A workspace for a search on `p`: the parked one when it was laid out for the same shape. */
export function takeWorkspace(
  p: Problem,
  chunk: number,
  derivatives: DerivativeEngine = defaultDerivativeEngine(),
): GaussNewtonWorkspace {
  const w = parked;
  parked = undefined;
  if (
    w &&
    w.model === p.model &&
    w.trainX0 === Boolean(p.trainX0) &&
    w.chunk === chunk &&
    w.derivatives === derivatives
  )
    return w;
  w?.release();
  return new GaussNewtonWorkspace(p, chunk, undefined, derivatives);
}

/** The parked workspace (tests). */
export function parkedWorkspace(): GaussNewtonWorkspace | undefined {
  return parked;
}

/**
 * Hands a search's workspace back: parked for the next `takeWorkspace` (the one parked before goes
 * back to the thread's kernels). Nothing may use `w`, nor a system that views it, afterwards.
 */
export function parkWorkspace(w: GaussNewtonWorkspace): void {
  if (parked === w) return;
  parked?.release();
  parked = w;
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
  const chunk = opts.chunk ?? defaultChunk(p);
  const derivatives = opts.derivatives ?? ws?.derivatives ?? defaultDerivativeEngine();
  const w =
    ws && ws.chunk === chunk && ws.derivatives === derivatives
      ? ws
      : new GaussNewtonWorkspace(p, chunk, undefined, derivatives);
  const { model } = p;
  const { nx, nu, ny, nTheta } = model;
  const { theta, x0s } = unpackZ(p, z);
  const E = p.experiments.length;
  const nl = w.nl;
  const { nf, ns } = w;
  const cap = w.cap;
  const ld = w.ld;
  const { acc, At, gloc, Jk, jac, lg, lh } = w;
  const step = acc.step;
  let S = w.S;
  let Snext = w.Snext;
  const x = w.x;

  const sys = emptySystem(nTheta, nx);
  let lossSum = 0;
  const links: Link[] = [];
  w.rnn?.theta.set(theta);

  for (let j = 0; j < E; j++) {
    const e = p.experiments[j]!;
    acc.reset();
    gloc.fill(0);
    x.set(x0s.subarray(j * nx, (j + 1) * nx));
    S.fill(0);
    if (p.trainX0) for (let i = 0; i < nx; i++) S[i * ns + nf + i] = 1;
    let rows = 0;
    if (w.rnn) {
      const l = rnnExperimentPass({ ...w, kernel: w.rnn }, e, p.loss, x, opts.shouldStop);
      if (Number.isNaN(l)) return notFinite(sys);
      lossSum += l;
    }
    for (let k = 0; k < (w.rnn ? 0 : e.N); k++) {
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
    // Scatter the local system (its upper triangle: M_loc is read in place) into the
    // block-arrow blocks; Mtt's lower triangle is copied once after the last experiment.
    const Mloc = acc.upper();
    for (let a = 0; a < nTheta; a++) sys.gTheta[a] = sys.gTheta[a]! + gloc[a]!;
    addUpperRows(sys.Mtt, nTheta, Mloc, nl);
    if (p.trainX0) {
      const Mtx = new Float64Array(nTheta * nx);
      const Mxx = new Float64Array(nx * nx);
      const gX = new Float64Array(nx);
      for (let a = 0; a < nTheta; a++)
        for (let i = 0; i < nx; i++) Mtx[a * nx + i] = Mloc[a * nl + nTheta + i]!;
      for (let i = 0; i < nx; i++) {
        gX[i] = gloc[nTheta + i]!;
        for (let m = i; m < nx; m++) {
          const v = Mloc[(nTheta + i) * nl + nTheta + m]!;
          Mxx[i * nx + m] = v;
          Mxx[m * nx + i] = v;
        }
      }
      sys.Mtx.push(Mtx);
      sys.Mxx.push(Mxx);
      sys.gX.push(gX);
    }
    opts.onExperimentEnd?.(j, x, S);
    if (j + 1 < E && isContinued(p, j + 1)) {
      const d = new Float64Array(nx);
      for (let i = 0; i < nx; i++) d[i] = x[i]! - x0s[(j + 1) * nx + i]!;
      links.push({ j: j + 1, d, S: Float64Array.from(S) });
    }
  }
  symmetrize(sys.Mtt, nTheta);
  if (opts.sumsOnly) {
    sys.value = lossSum;
    return sys;
  }
  return finishSystem(p, z, sys, lossSum, links, nf, ns);
}

/**
 * Mtt[a, b] += M[a, b] for a ≤ b < nθ (the upper triangle of the θθ block of M: nl × nl,
 * row-major, upper triangle valid; Mtt: nθ × nθ). Index loops, not `set(subarray)`: a subarray is
 * an object per row and pass, which a small fit's many short passes pay in allocation and
 * collection.
 */
function addUpperRows(Mtt: Float64Array, nTheta: number, M: Float64Array, nl: number): void {
  for (let a = 0; a < nTheta; a++) {
    const ra = a * nl;
    const ma = a * nTheta;
    for (let b = a; b < nTheta; b++) Mtt[ma + b] = Mtt[ma + b]! + M[ra + b]!;
  }
}

/**
 * The system from the sums over the samples (sys's blocks, lossSum): scales by 1/N, adds the ρ
 * terms, the continuity of multiple shooting (links), the extra quadratic and the fixed entries.
 */
export function finishSystem(
  p: Problem,
  z: Float64Array,
  sys: GaussNewtonSystem,
  lossSum: number,
  links: Link[],
  nf: number,
  ns: number,
): GaussNewtonSystem {
  const { nx, nTheta } = p.model;
  const { theta, x0s } = unpackZ(p, z);
  const N = samples(p);
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
