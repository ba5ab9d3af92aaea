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
 * dense (nθ + E·nx)² factorisation. D = I, or D = diag(M) (Marquardt's scaling, floored at
 * `diagFloor`). A matrix that is not positive definite returns false (the caller raises λ).
 */
import {
  choleskyInPlace,
  choleskySolveColumnsInPlace,
  choleskySolveInPlace,
} from '../linalg/cholesky.js';
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
  const S = Float64Array.from(sys.Mtt);
  for (let a = 0; a < nt; a++) {
    const d = scaling === 'identity' ? 1 : Math.max(sys.Mtt[a * nt + a]!, diagFloor);
    S[a * nt + a] = S[a * nt + a]! + lambda * d;
  }
  const rhs = Float64Array.from(sys.gTheta);
  const Ks: Float64Array[] = [];
  const Y = new Float64Array(nx * nt);
  const gk = new Float64Array(nx);
  for (let j = 0; j < E; j++) {
    const K = Float64Array.from(sys.Mxx[j]!);
    for (let i = 0; i < nx; i++) {
      const d = scaling === 'identity' ? 1 : Math.max(K[i * nx + i]!, diagFloor);
      K[i * nx + i] = K[i * nx + i]! + lambda * d;
    }
    if (!choleskyInPlace(K, nx)) return false;
    Ks.push(K);
    const Mtx = sys.Mtx[j]!;
    // Y = K⁻¹ M_{x θ} (nx × nθ)
    for (let i = 0; i < nx; i++) for (let b = 0; b < nt; b++) Y[i * nt + b] = Mtx[b * nx + i]!;
    choleskySolveColumnsInPlace(K, nx, Y, nt);
    // S −= M_{θ x} Y
    for (let a = 0; a < nt; a++) {
      const sa = a * nt;
      for (let i = 0; i < nx; i++) {
        const m = Mtx[a * nx + i]!;
        if (m === 0) continue;
        const yi = i * nt;
        for (let b = 0; b < nt; b++) S[sa + b] = S[sa + b]! - m * Y[yi + b]!;
      }
    }
    gk.set(sys.gX[j]!);
    choleskySolveInPlace(K, nx, gk);
    for (let a = 0; a < nt; a++) {
      let s = 0;
      for (let i = 0; i < nx; i++) s += Mtx[a * nx + i]! * gk[i]!;
      rhs[a] = rhs[a]! - s;
    }
  }
  if (!choleskyInPlace(S, nt)) return false;
  choleskySolveInPlace(S, nt, rhs);
  for (let a = 0; a < nt; a++) delta[a] = -rhs[a]!;
  for (let j = 0; j < E; j++) {
    const Mtx = sys.Mtx[j]!;
    const gX = sys.gX[j]!;
    for (let i = 0; i < nx; i++) {
      let s = gX[i]!;
      for (let a = 0; a < nt; a++) s += Mtx[a * nx + i]! * delta[a]!;
      gk[i] = s;
    }
    choleskySolveInPlace(Ks[j]!, nx, gk);
    for (let i = 0; i < nx; i++) delta[nt + j * nx + i] = -gk[i]!;
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
  sys.gX.forEach((gX, j) => {
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
  });
  return -gd - 0.5 * quad;
}

/** ∇Vᵀ Δ */
export function directionalDerivative(sys: GaussNewtonSystem, delta: Float64Array): number {
  let s = 0;
  for (let a = 0; a < sys.nTheta; a++) s += sys.gTheta[a]! * delta[a]!;
  sys.gX.forEach((gX, j) => {
    for (let i = 0; i < sys.nx; i++) s += gX[i]! * delta[sys.nTheta + j * sys.nx + i]!;
  });
  return s;
}
