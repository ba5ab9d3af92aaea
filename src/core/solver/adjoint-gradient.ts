/**
 * V(z) and ∇V(z) by reverse-mode differentiation through the rollout (the adjoint recursion),
 * for the first-order baselines (Adam, L-BFGS): the cost of two simulations, whatever n_z.
 *
 *   λ_N = 0,   λ_k = g_xᵀ e_k + f_xᵀ λ_{k+1},   e_k = ∇_ŷ ℓ(y_k, ŷ_k)
 *   ∇_θ V = (1/N) Σ_j Σ_k (g_θᵀ e_k + f_θᵀ λ_{k+1}) + 2ρ_θ θ,   ∇_{x0_j} V = (1/N) λ_0 + 2ρ_x0 x0_j
 */
import { allocJacobians } from '../models/model.js';
import { simulate } from '../simulate.js';
import { NailsError } from '../errors.js';
import { Cancelled, type ShouldStop } from './cancellation.js';
import { samples, unpackZ, type Problem } from './problem.js';

/** Writes ∇V into `grad` (z layout) and returns V (+∞ when the simulation is not finite). */
export function valueAndGradient(
  p: Problem,
  z: Float64Array,
  grad: Float64Array,
  shouldStop?: ShouldStop,
): number {
  if (p.shooting)
    throw new NailsError(
      'multiple shooting needs method nails or nailm, not adam or lbfgs',
      'shooting',
    );
  const { model } = p;
  const { nx, nu, ny, nTheta } = model;
  const { theta, x0s } = unpackZ(p, z);
  const N = samples(p);
  const jac = allocJacobians(model);
  const lam = new Float64Array(nx);
  const lamPrev = new Float64Array(nx);
  const e = new Float64Array(ny);
  grad.fill(0);
  let lossSum = 0;
  for (let j = 0; j < p.experiments.length; j++) {
    const ex = p.experiments[j]!;
    const sim = simulate(model, theta, ex.u, ex.N, x0s.subarray(j * nx, (j + 1) * nx), true);
    if (!sim.finite) {
      grad.fill(NaN);
      return Infinity;
    }
    const xs = sim.x!;
    lam.fill(0);
    for (let k = ex.N - 1; k >= 0; k--) {
      if ((k & 4095) === 0 && shouldStop?.()) throw new Cancelled();
      model.jacobians(theta, xs.subarray(k * nx, (k + 1) * nx), ex.u, k * nu, jac);
      lossSum += p.loss.evaluate(ex.y, k * ny, jac.y, 0, ny, e);
      for (let r = 0; r < ny; r++) {
        const er = e[r]!;
        // Stryker disable next-line ConditionalExpression: skipping a zero residual gradient only avoids adding zeros
        if (er === 0) continue;
        const row = r * nTheta;
        for (let c = 0; c < nTheta; c++) grad[c] = grad[c]! + er * jac.gtheta[row + c]!;
      }
      for (let i = 0; i < nx; i++) {
        const li = lam[i]!;
        // Stryker disable next-line ConditionalExpression: skipping a zero adjoint entry only avoids adding zeros
        if (li === 0) continue;
        const row = i * nTheta;
        for (let c = 0; c < nTheta; c++) grad[c] = grad[c]! + li * jac.ftheta[row + c]!;
      }
      // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
      for (let c = 0; c < nx; c++) {
        let s = 0;
        for (let r = 0; r < ny; r++) s += jac.gx[r * nx + c]! * e[r]!;
        for (let i = 0; i < nx; i++) s += jac.fx[i * nx + c]! * lam[i]!;
        lamPrev[c] = s;
      }
      lam.set(lamPrev);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: without trained x0 (or one past nx) these writes fall past the end of grad, or are overwritten by the next experiment's, and typed arrays ignore writes past their end
    if (p.trainX0) for (let i = 0; i < nx; i++) grad[nTheta + j * nx + i] = lam[i]!;
  }
  const invN = 1 / N;
  let reg = 0;
  for (let c = 0; c < nTheta; c++) {
    grad[c] = grad[c]! * invN + 2 * p.rhoTheta * theta[c]!;
    reg += theta[c]! * theta[c]!;
  }
  let regX = 0;
  for (let i = 0; i < x0s.length; i++) regX += x0s[i]! * x0s[i]!;
  // Stryker disable next-line ConditionalExpression: without trained x0, grad has nθ entries and the writes past its end are ignored
  if (p.trainX0)
    for (let i = 0; i < x0s.length; i++)
      grad[nTheta + i] = grad[nTheta + i]! * invN + 2 * p.rhoX0 * x0s[i]!;
  const v = lossSum * invN + p.rhoTheta * reg + p.rhoX0 * regX;
  return Number.isFinite(v) ? v : Infinity;
}
