/**
 * The Gauss–Newton system in block-arrow form (what accumulateGaussNewton returns) and the terms
 * added to it after the pass over the data: continuity of multiple shooting, the quadratic term,
 * fixed entries; its gradient and dense form.
 */
import type { Problem } from './problem.js';

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

/** An empty system (V not yet known, zero gradient and M θθ, no x0 blocks) to accumulate into. */
export function emptySystem(nTheta: number, nx: number): GaussNewtonSystem {
  return {
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
}

/** The end of window j − 1 for its continuity residual: d = x[N] − x0_j, S = ∂x[N]/∂(θ_f, x0). */
export interface Link {
  j: number;
  d: Float64Array;
  S: Float64Array;
}

/**
 * Adds the continuity terms ρ_c ‖d‖² of multiple shooting, d = x_{j−1}[N] − x0_j with
 * ∂d/∂(θ_f, x0_{j−1}, x0_j) = [Σ_θ | Σ_x | −I] (Σ: nx × ns, θ columns [0, nf) then x0):
 *
 *   ∇ += 2ρ_c Jᵀd,   M += 2ρ_c JᵀJ   (θθ, θx, xx blocks of j−1 and j, and the coupling block);
 *
 * returns Σ ρ_c ‖d‖².
 */
export function addContinuity(
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
export function addQuadratic(
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
export function fixEntries(sys: GaussNewtonSystem, fixed: Uint8Array): void {
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
  // A loop, not gX.forEach: a closure made per call and run once per experiment never collects
  // type feedback, and the optimized caller that inlined it deoptimized on every polishing pass.
  for (let j = 0; j < sys.gX.length; j++) {
    const gX = sys.gX[j]!;
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
  }
}

export function notFinite(sys: GaussNewtonSystem): GaussNewtonSystem {
  sys.finite = false;
  sys.value = Infinity;
  return sys;
}

/** The gradient ∇V as one vector in z's layout. */
export function gradientVector(sys: GaussNewtonSystem): Float64Array {
  const g = new Float64Array(sys.nTheta + sys.gX.length * sys.nx);
  g.set(sys.gTheta);
  for (let j = 0; j < sys.gX.length; j++) g.set(sys.gX[j]!, sys.nTheta + j * sys.nx);
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
