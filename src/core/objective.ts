/**
 * The training objective of ALGORITHM.md §2 (the same scaling as jax-sysid, no ½):
 *
 *   V(z) = (1/N) Σ_j Σ_k ℓ(y_j[k], ŷ_j[k](z)) + ρ_θ ‖θ‖² + ρ_x0 Σ_j ‖x0_j‖²,   N = Σ_j N_j,
 *
 * z = (θ, x0_1, …, x0_E), ŷ the free-run simulation. A non-finite simulation gives V = +∞.
 */
import { NailsError } from './errors.js';
import { checkExperiments, totalSamples, type Experiment } from './data/experiment.js';
import type { Loss } from './losses/loss.js';
import type { Model } from './models/model.js';
import { simulateExperiments } from './simulate.js';

export interface Regularization {
  /** ρ_θ ≥ 0 */
  rhoTheta: number;
  /** ρ_x0 ≥ 0 */
  rhoX0: number;
}

export interface ObjectiveValue {
  /** V(z); +∞ when the simulation blew up. */
  value: number;
  /** (1/N) Σ ℓ */
  data: number;
  /** ρ_θ ‖θ‖² + ρ_x0 Σ ‖x0_j‖² */
  regularization: number;
  finite: boolean;
}

/** Checks ρ values: finite and non-negative. */
export function checkRegularization(r: Regularization): void {
  for (const [name, v] of [
    ['rhoTheta', r.rhoTheta],
    ['rhoX0', r.rhoX0],
  ] as const) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new NailsError(
        `${name} is ${String(v)}; it must be a finite number ≥ 0 (0 switches the term off)`,
        name,
      );
    }
  }
}

/** Σ_i v_i² */
export function sumSquares(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}

/** The data term (1/N) Σ ℓ over given outputs (one ŷ array per experiment). */
export function dataLoss(
  loss: Loss,
  experiments: readonly Experiment[],
  yhat: readonly Float64Array[],
): number {
  let s = 0;
  experiments.forEach((e, j) => {
    const h = yhat[j]!;
    for (let k = 0; k < e.N; k++) s += loss.evaluate(e.y, k * e.ny, h, k * e.ny, e.ny);
  });
  return s / totalSamples(experiments);
}

/** Evaluates V(z) with `x0s` = E × nx. */
export function objective(
  model: Model,
  theta: Float64Array,
  x0s: Float64Array,
  experiments: readonly Experiment[],
  loss: Loss,
  reg: Regularization,
): ObjectiveValue {
  checkExperiments(experiments);
  checkRegularization(reg);
  const sim = simulateExperiments(model, theta, experiments, x0s);
  const regularization = reg.rhoTheta * sumSquares(theta) + reg.rhoX0 * sumSquares(x0s);
  if (!sim.finite) return { value: Infinity, data: Infinity, regularization, finite: false };
  const data = dataLoss(loss, experiments, sim.y);
  const value = data + regularization;
  return {
    value: Number.isFinite(value) ? value : Infinity,
    data,
    regularization,
    finite: Number.isFinite(value),
  };
}
