/**
 * Solves the damped Gauss–Newton system (M + λ D) Δ = −∇V for the block-arrow M of
 * gauss-newton.ts by eliminating the initial-state blocks (Schur complement):
 *
 *   K_j = M_{x0_j x0_j} + λ D_j                                      (nx × nx, Cholesky)
 *   S   = M_θθ + λ D_θ − Σ_j M_{θ x0_j} K_j⁻¹ M_{x0_j θ}                (nθ × nθ, Cholesky)
 *   S Δθ = −(∇_θ V − Σ_j M_{θ x0_j} K_j⁻¹ ∇_{x0_j} V)
 *   Δx0_j = −K_j⁻¹ (∇_{x0_j} V + M_{x0_j θ} Δθ)
 *
 * so E experiments cost E small nx × nx factorisations and E rank-nx updates of S, instead of a
 * dense (nθ + E·nx)² factorisation. With multiple shooting the x0 part T is block tridiagonal
 * (coupling C_j = M_{x0_j x0_{j+1}}) and K_j⁻¹ becomes T⁻¹ by a block LDLᵀ along the windows;
 * the cost stays linear in E. D = I, or D = diag(M) (Marquardt's scaling, floored at
 * `diagFloor`). A matrix that is not positive definite returns false (the caller raises λ).
 * The nθ × nθ factorisation and solve run in WebAssembly where the engine has SIMD (else the
 * TypeScript oracle; linalg/cholesky-wasm.ts).
 */
import { choleskyInPlace, choleskySolveColumnsInPlace } from '../linalg/cholesky.js';
import { choleskySolver } from '../linalg/cholesky-wasm.js';
import type { GaussNewtonSystem } from './gauss-newton.js';

export type DampingScaling = 'identity' | 'diagonal';

/** Solves for Δ (z layout) into `delta`; returns false when a factorisation fails. */
export function solveDamped(
  sys: GaussNewtonSystem,
  lambda: number,
  scaling: DampingScaling,
  delta: Float64Array,
  diagFloor = 1e-12,
): boolean {
  const { nTheta: nt, nx } = sys;
  const E = sys.gX.length;
  // S and rhs live in the thread's dense kernel (WebAssembly memory): filled here, solved in place.
  const solver = choleskySolver();
  solver.begin(nt);
  const S = solver.S;
  S.set(sys.Mtt);
  for (let a = 0; a < nt; a++) {
    const d = scaling === 'identity' ? 1 : Math.max(sys.Mtt[a * nt + a]!, diagFloor);
    S[a * nt + a] = S[a * nt + a]! + lambda * d;
  }
  const rhs = solver.r;
  rhs.set(sys.gTheta);
  // Z_j = (T⁻¹ [M_{xθ} | ∇_x V])_j (nx × (nθ + 1)) for the block-tridiagonal x0 part T (block
  // diagonal K_j without shooting), by block LDLᵀ: forward K̃_j = K_j − C_{j−1}ᵀ K̃_{j−1}⁻¹ C_{j−1},
  // P_j = K̃_j⁻¹ (R_j − C_{j−1}ᵀ P_{j−1}); backward Z_j = P_j − K̃_j⁻¹ C_j Z_{j+1}.
  const w = nt + 1;
  const Ks: Float64Array[] = [];
  const Z: Float64Array[] = [];
  const W: (Float64Array | undefined)[] = [];
  for (let j = 0; j < E; j++) {
    const K = Float64Array.from(sys.Mxx[j]!);
    for (let i = 0; i < nx; i++) {
      const d = scaling === 'identity' ? 1 : Math.max(K[i * nx + i]!, diagFloor);
      K[i * nx + i] = K[i * nx + i]! + lambda * d;
    }
    const Mtx = sys.Mtx[j]!;
    const gX = sys.gX[j]!;
    // R_j = [M_{x θ} | ∇_x V] (nx × (nθ + 1))
    const P = new Float64Array(nx * w);
    for (let i = 0; i < nx; i++) {
      for (let b = 0; b < nt; b++) P[i * w + b] = Mtx[b * nx + i]!;
      P[i * w + nt] = gX[i]!;
    }
    const C = j > 0 ? sys.coupling?.[j - 1] : undefined;
    let Wj: Float64Array | undefined;
    if (C) {
      // Wj = K̃_{j−1}⁻¹ C_{j−1} (nx × nx); K −= Cᵀ Wj; R −= Cᵀ P_{j−1}
      Wj = Float64Array.from(C);
      choleskySolveColumnsInPlace(Ks[j - 1]!, nx, Wj, nx);
      const Pp = Z[j - 1]!;
      for (let i = 0; i < nx; i++)
        for (let m = 0; m < nx; m++) {
          const c = C[m * nx + i]!;
          if (c === 0) continue;
          for (let q = 0; q < nx; q++) K[i * nx + q] = K[i * nx + q]! - c * Wj[m * nx + q]!;
          for (let b = 0; b < w; b++) P[i * w + b] = P[i * w + b]! - c * Pp[m * w + b]!;
        }
    }
    W.push(Wj);
    if (!choleskyInPlace(K, nx)) return false;
    choleskySolveColumnsInPlace(K, nx, P, w);
    Ks.push(K);
    Z.push(P);
  }
  for (let j = E - 2; j >= 0; j--) {
    const Wn = W[j + 1];
    if (!Wn) continue;
    // Z_j −= W_{j+1} Z_{j+1}   (W_{j+1} = K̃_j⁻¹ C_j)
    const Zj = Z[j]!;
    const Zn = Z[j + 1]!;
    for (let i = 0; i < nx; i++)
      for (let m = 0; m < nx; m++) {
        const c = Wn[i * nx + m]!;
        if (c === 0) continue;
        for (let b = 0; b < w; b++) Zj[i * w + b] = Zj[i * w + b]! - c * Zn[m * w + b]!;
      }
  }
  // S −= Σ_j M_{θ x_j} Z_j[:, :nθ];  rhs −= Σ_j M_{θ x_j} Z_j[:, nθ]
  for (let j = 0; j < E; j++) {
    const Mtx = sys.Mtx[j]!;
    const Zj = Z[j]!;
    for (let a = 0; a < nt; a++) {
      const sa = a * nt;
      let r = 0;
      for (let i = 0; i < nx; i++) {
        const m = Mtx[a * nx + i]!;
        if (m === 0) continue;
        const zi = i * w;
        for (let b = 0; b < nt; b++) S[sa + b] = S[sa + b]! - m * Zj[zi + b]!;
        r += m * Zj[zi + nt]!;
      }
      rhs[a] = rhs[a]! - r;
    }
  }
  if (!solver.solve()) return false;
  for (let a = 0; a < nt; a++) delta[a] = -rhs[a]!;
  // Δx_j = −(Z_j[:, nθ] + Z_j[:, :nθ] Δθ)
  for (let j = 0; j < E; j++) {
    const Zj = Z[j]!;
    for (let i = 0; i < nx; i++) {
      const zi = i * w;
      let s = Zj[zi + nt]!;
      for (let a = 0; a < nt; a++) s += Zj[zi + a]! * delta[a]!;
      delta[nt + j * nx + i] = -s;
    }
  }
  for (let a = 0; a < delta.length; a++) if (!Number.isFinite(delta[a]!)) return false;
  return true;
}

/** The predicted decrease of the quadratic model, q(0) − q(Δ) = −∇Vᵀ Δ − ½ Δᵀ M Δ. */
export function predictedDecrease(sys: GaussNewtonSystem, delta: Float64Array): number {
  const { nTheta: nt, nx } = sys;
  let gd = 0;
  let quad = 0;
  for (let a = 0; a < nt; a++) {
    gd += sys.gTheta[a]! * delta[a]!;
    let s = 0;
    for (let b = 0; b < nt; b++) s += sys.Mtt[a * nt + b]! * delta[b]!;
    quad += delta[a]! * s;
  }
  for (let j = 0; j < sys.gX.length; j++) {
    const gX = sys.gX[j]!;
    const o = nt + j * nx;
    const Mtx = sys.Mtx[j]!;
    const Mxx = sys.Mxx[j]!;
    for (let i = 0; i < nx; i++) {
      const di = delta[o + i]!;
      gd += gX[i]! * di;
      let cross = 0;
      for (let a = 0; a < nt; a++) cross += Mtx[a * nx + i]! * delta[a]!;
      let s = 0;
      for (let m = 0; m < nx; m++) s += Mxx[i * nx + m]! * delta[o + m]!;
      quad += di * (2 * cross + s);
    }
    const C = sys.coupling?.[j];
    if (C)
      for (let i = 0; i < nx; i++)
        for (let m = 0; m < nx; m++)
          quad += 2 * delta[o + i]! * C[i * nx + m]! * delta[o + nx + m]!;
  }
  return -gd - 0.5 * quad;
}

/** ∇Vᵀ Δ */
export function directionalDerivative(sys: GaussNewtonSystem, delta: Float64Array): number {
  let s = 0;
  for (let a = 0; a < sys.nTheta; a++) s += sys.gTheta[a]! * delta[a]!;
  for (let j = 0; j < sys.gX.length; j++) {
    const gX = sys.gX[j]!;
    for (let i = 0; i < sys.nx; i++) s += gX[i]! * delta[sys.nTheta + j * sys.nx + i]!;
  }
  return s;
}
