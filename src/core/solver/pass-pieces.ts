/**
 * The Gauss–Newton pass cut into pieces of consecutive samples, for threads (parallel-pass.ts).
 *
 * The records are laid end to end and cut into equal runs of samples; a piece is a list of
 * segments (experiment j, samples [k0, k1)). A segment that starts inside its record (k0 > 0)
 * starts from the simulated state x_b = x_j[k0] and treats it as a free initial state: its pass
 * yields the sums over its samples in the local columns (θ, x_b), with
 *
 *   J_k = J_k^loc [I 0; T_θ T_x],   T = ∂x_b/∂(θ, x0_j) = S at the end of the segment before,
 *
 * so that its exact contribution in the columns (θ, x0_j) is Tᵀ M_loc T and Tᵀ g_loc (T_θ: nx × nθ,
 * zero beyond nf; combinePieces). This is the chain rule, not an approximation: the pieces'
 * systems equal the serial pass's up to the rounding of the different order of the sums
 * (test/core/parallel-pass.test.ts: 1e-10 relative).
 */
import type { Experiment } from '../data/experiment.js';
import { emptySystem, notFinite, type GaussNewtonSystem } from './gauss-newton-system.js';
import { accumulateGaussNewton, finishSystem, GaussNewtonWorkspace } from './gauss-newton.js';
import { makeProblem, packZ, samples, unpackZ, type Problem } from './problem.js';
import type { DerivativeEngine } from './rnn-kernel.js';
import type { ShouldStop } from './cancellation.js';

/** Samples [k0, k1) of experiment j. */
export interface Segment {
  j: number;
  k0: number;
  k1: number;
}

/** What a piece returns (structured-clone friendly): sums over its samples, no 1/N, no ρ. */
export interface PieceResult {
  finite: boolean;
  /** Σ ℓ over the piece's samples. */
  lossSum: number;
  /** Σ J_θᵀ H J_θ (nθ × nθ) and Σ J_θᵀ g (nθ), in each segment's local columns. */
  Mtt: Float64Array;
  gTheta: Float64Array;
  segments: (Segment & {
    /** θ–x_b block (nθ × nx), x_b block (nx × nx), ∇ in x_b (nx), S at the end (nx × (nf + nx)). */
    Mtx: Float64Array;
    Mxx: Float64Array;
    gX: Float64Array;
    Send: Float64Array;
  })[];
}

/** Settings of a piece's pass. */
export interface PieceOptions {
  chunk: number;
  derivatives: DerivativeEngine;
  shouldStop?: ShouldStop;
}

/**
 * Fewest samples per piece when a pass is split: below this a thread's hand-over (z out, an
 * nθ × nθ block back, the chain-rule combination, O(nθ²·nx)) costs about as much as the samples
 * it takes off this thread, so short records keep the serial pass — and its exact rounding.
 */
export const MIN_PIECE_SAMPLES = 4096;

/**
 * Cuts the records into `parts` pieces of about equal numbers of samples, fewer when pieces would
 * have less than `minPiece` samples (one piece: the serial pass).
 */
export function planPieces(p: Problem, parts: number, minPiece = MIN_PIECE_SAMPLES): Segment[][] {
  const N = samples(p);
  parts = Math.max(1, Math.min(parts, Math.floor(N / Math.max(minPiece, 1))));
  const pieces: Segment[][] = [];
  let j = 0;
  let k = 0;
  for (let i = 0; i < parts; i++) {
    const end = Math.round(((i + 1) * N) / parts);
    let at = Math.round((i * N) / parts);
    const piece: Segment[] = [];
    while (at < end && j < p.experiments.length) {
      const e = p.experiments[j]!;
      const k1 = Math.min(e.N, k + (end - at));
      if (k1 > k) piece.push({ j, k0: k, k1 });
      at += k1 - k;
      k = k1;
      if (k === e.N) {
        j++;
        k = 0;
      }
    }
    if (piece.length > 0) pieces.push(piece);
  }
  return pieces;
}

/** The problem a piece solves: its segments as experiments, x0 trained, no ρ terms. */
export function pieceProblem(p: Problem, piece: readonly Segment[]): Problem {
  const experiments = piece.map(({ j, k0, k1 }): Experiment => {
    const e = p.experiments[j]!;
    return {
      name: `${e.name}[${k0}:${k1}]`,
      N: k1 - k0,
      nu: e.nu,
      ny: e.ny,
      u: e.u.subarray(k0 * e.nu, k1 * e.nu),
      y: e.y.subarray(k0 * e.ny, k1 * e.ny),
    };
  });
  return makeProblem({
    model: p.model,
    experiments,
    loss: p.loss,
    rhoTheta: 0,
    rhoX0: 0,
    trainX0: true,
  });
}

/** x_j[k0] by simulation from x (nx, overwritten), with the kernel of `ws` when it has one. */
function simulateTo(
  p: Problem,
  theta: Float64Array,
  e: Experiment,
  k0: number,
  x: Float64Array,
  ws: GaussNewtonWorkspace,
): void {
  const { model } = p;
  const rnn = ws.rnn;
  if (rnn) {
    rnn.theta.set(theta);
    rnn.x.set(x);
    const block = rnn.lgRows.length;
    for (let k = 0; k < k0; k += block) {
      const n = Math.min(block, k0 - k);
      rnn.u.set(e.u.subarray(k * e.nu, (k + n) * e.nu));
      if (rnn.simulate(n) < n) break;
    }
    x.set(rnn.x);
    return;
  }
  const xn = new Float64Array(model.nx);
  const y = new Float64Array(model.ny);
  for (let k = 0; k < k0; k++) {
    model.step(theta, x, e.u, k * e.nu, xn, y, 0);
    x.set(xn);
  }
}

/**
 * The sums of one piece at z (any thread): its segments' starting states by simulation, then one
 * pass over them. `ws` must be a workspace of `pieceProblem(p, ·)`'s shape (see pieceWorkspace).
 */
export function runPiece(
  p: Problem,
  z: Float64Array,
  piece: readonly Segment[],
  o: PieceOptions,
  ws: GaussNewtonWorkspace,
): PieceResult {
  const { nx } = p.model;
  const { theta, x0s } = unpackZ(p, z);
  const sub = pieceProblem(p, piece);
  const x0loc = new Float64Array(piece.length * nx);
  piece.forEach(({ j, k0 }, i) => {
    const x = Float64Array.from(x0s.subarray(j * nx, (j + 1) * nx));
    if (k0 > 0) simulateTo(p, theta, p.experiments[j]!, k0, x, ws);
    x0loc.set(x, i * nx);
  });
  const ends: Float64Array[] = [];
  const sys = accumulateGaussNewton(
    sub,
    packZ(sub, theta, x0loc),
    {
      chunk: o.chunk,
      derivatives: o.derivatives,
      sumsOnly: true,
      onExperimentEnd: (_j, _x, S) => ends.push(Float64Array.from(S)),
      ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
    },
    ws,
  );
  return {
    finite: sys.finite,
    lossSum: sys.value,
    Mtt: sys.Mtt,
    gTheta: sys.gTheta,
    segments: sys.finite
      ? piece.map((s, i) => ({
          ...s,
          Mtx: sys.Mtx[i]!,
          Mxx: sys.Mxx[i]!,
          gX: sys.gX[i]!,
          Send: ends[i]!,
        }))
      : [],
  };
}

/** A workspace for the pieces of p (x0 columns always present). */
export function pieceWorkspace(p: Problem, o: PieceOptions): GaussNewtonWorkspace {
  return new GaussNewtonWorkspace(pieceProblem(p, []), o.chunk, undefined, o.derivatives);
}

/** The system of the whole pass from the pieces' sums (in any order), as accumulateGaussNewton. */
export function combinePieces(
  p: Problem,
  z: Float64Array,
  results: readonly PieceResult[],
): GaussNewtonSystem {
  const { nx, nTheta } = p.model;
  const nf = Math.min(p.model.nThetaState ?? nTheta, nTheta);
  const ns = nf + nx;
  const E = p.experiments.length;
  const sys = emptySystem(nTheta, nx);
  if (results.some((r) => !r.finite)) return notFinite(sys);
  let lossSum = 0;
  for (const r of results) {
    lossSum += r.lossSum;
    for (let a = 0; a < nTheta * nTheta; a++) sys.Mtt[a] = sys.Mtt[a]! + r.Mtt[a]!;
    for (let a = 0; a < nTheta; a++) sys.gTheta[a] = sys.gTheta[a]! + r.gTheta[a]!;
  }
  const segments = results.flatMap((r) => r.segments).sort((a, b) => a.j - b.j || a.k0 - b.k0);
  const Mtx = Array.from({ length: E }, () => new Float64Array(nTheta * nx));
  const Mxx = Array.from({ length: E }, () => new Float64Array(nx * nx));
  const gX = Array.from({ length: E }, () => new Float64Array(nx));
  // T = ∂x_b/∂(θ[0, nf), x0_j) (nx × ns) at the start of the segment being added.
  let T: Float64Array = new Float64Array(nx * ns);
  for (const s of segments) {
    const j = s.j;
    if (s.k0 === 0) {
      add(Mtx[j]!, s.Mtx);
      add(Mxx[j]!, s.Mxx);
      add(gX[j]!, s.gX);
      T = Float64Array.from(s.Send);
      continue;
    }
    addTransformed(sys, Mtx[j]!, Mxx[j]!, gX[j]!, s, T, nf, ns);
    T = chain(s.Send, T, nx, nf, ns);
  }
  if (p.trainX0) {
    sys.Mtx.push(...Mtx);
    sys.Mxx.push(...Mxx);
    sys.gX.push(...gX);
  }
  return finishSystem(p, z, sys, lossSum, [], nf, ns);
}

function add(into: Float64Array, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) into[i] = into[i]! + v[i]!;
}

/**
 * Adds Tᵀ M_loc T and Tᵀ g_loc of a segment in the local columns (θ, x_b) to the blocks of
 * (θ, x0_j); the θθ part of M_loc is already in sys.Mtt.
 */
function addTransformed(
  sys: GaussNewtonSystem,
  Mtx: Float64Array,
  Mxx: Float64Array,
  gX: Float64Array,
  s: { Mtx: Float64Array; Mxx: Float64Array; gX: Float64Array },
  T: Float64Array,
  nf: number,
  ns: number,
): void {
  const { nTheta, nx } = sys;
  const B = s.Mtx; // M_{θ b}: nθ × nx
  const Mbb = s.Mxx;
  // W = M_bb T (nx × ns)
  const W = new Float64Array(nx * ns);
  for (let i = 0; i < nx; i++)
    for (let m = 0; m < nx; m++) {
      const v = Mbb[i * nx + m]!;
      for (let c = 0; c < ns; c++) W[i * ns + c] = W[i * ns + c]! + v * T[m * ns + c]!;
    }
  // θ rows: M_tt[a, c<nf] += (B T_θ)[a, c] + (T_θᵀ Bᵀ)[a, c] + (T_θᵀ W_θ)[a, c]; M_tx[a, q] += (B T_x)[a, q] + (T_θᵀ W_x)[a, q]
  const BT = new Float64Array(nTheta * ns);
  for (let a = 0; a < nTheta; a++)
    for (let i = 0; i < nx; i++) {
      const v = B[a * nx + i]!;
      if (v === 0) continue;
      for (let c = 0; c < ns; c++) BT[a * ns + c] = BT[a * ns + c]! + v * T[i * ns + c]!;
    }
  const Mtt = sys.Mtt;
  for (let a = 0; a < nTheta; a++) {
    for (let c = 0; c < nf; c++) Mtt[a * nTheta + c] = Mtt[a * nTheta + c]! + BT[a * ns + c]!;
    for (let q = 0; q < nx; q++) Mtx[a * nx + q] = Mtx[a * nx + q]! + BT[a * ns + nf + q]!;
  }
  for (let a = 0; a < nf; a++) {
    for (let c = 0; c < nTheta; c++) Mtt[a * nTheta + c] = Mtt[a * nTheta + c]! + BT[c * ns + a]!;
    for (let c = 0; c < ns; c++) {
      let v = 0;
      for (let i = 0; i < nx; i++) v += T[i * ns + a]! * W[i * ns + c]!;
      if (c < nf) Mtt[a * nTheta + c] = Mtt[a * nTheta + c]! + v;
      else Mtx[a * nx + c - nf] = Mtx[a * nx + c - nf]! + v;
    }
    let g = 0;
    for (let i = 0; i < nx; i++) g += T[i * ns + a]! * s.gX[i]!;
    sys.gTheta[a] = sys.gTheta[a]! + g;
  }
  for (let q = 0; q < nx; q++) {
    for (let r = 0; r < nx; r++) {
      let v = 0;
      for (let i = 0; i < nx; i++) v += T[i * ns + nf + q]! * W[i * ns + nf + r]!;
      Mxx[q * nx + r] = Mxx[q * nx + r]! + v;
    }
    let g = 0;
    for (let i = 0; i < nx; i++) g += T[i * ns + nf + q]! * s.gX[i]!;
    gX[q] = gX[q]! + g;
  }
}

/** S at the end of a segment in (θ, x0_j): [S_θ + S_b T_θ | S_b T_x] from its local S (nx × ns). */
function chain(
  Send: Float64Array,
  T: Float64Array,
  nx: number,
  nf: number,
  ns: number,
): Float64Array {
  const out = new Float64Array(nx * ns);
  for (let i = 0; i < nx; i++) {
    for (let c = 0; c < nf; c++) out[i * ns + c] = Send[i * ns + c]!;
    for (let m = 0; m < nx; m++) {
      const v = Send[i * ns + nf + m]!;
      for (let c = 0; c < ns; c++) out[i * ns + c] = out[i * ns + c]! + v * T[m * ns + c]!;
    }
  }
  return out;
}
