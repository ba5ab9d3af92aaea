/**
 * A training problem (ALGORITHM.md §2): model, experiments, loss and the ρ terms, and the layout
 * of the decision vector
 *
 *   z = (θ, x0_1, …, x0_E)     (nθ + E·nx entries; only θ when the initial states are fixed).
 */
import { NailsError } from '../errors.js';
import { checkExperiments, totalSamples, type Experiment } from '../data/experiment.js';
import type { Loss } from '../losses/loss.js';
import type { Model } from '../models/model.js';
import { checkRegularization, dataLoss, sumSquares } from '../objective.js';
import { simulateExperiments } from '../simulate.js';
import type { ShouldStop } from './cancellation.js';

export interface Problem {
  model: Model;
  experiments: readonly Experiment[];
  loss: Loss;
  /** ρ_θ ≥ 0 */
  rhoTheta: number;
  /** ρ_x0 ≥ 0 */
  rhoX0: number;
  /** Train the initial states (default) or keep `fixedX0` (E × nx, zeros if absent). */
  trainX0: boolean;
  fixedX0?: Float64Array;
  /**
   * An extra quadratic (ADMM's augmented term): + (weight/2) Σ_{i ∈ index} (z_i − center_i)²,
   * `center` aligned with `index`.
   */
  quadratic?: { index: Int32Array; weight: number; center: Float64Array };
  /** Entries of z kept at their current value (polishing): 1 = fixed. */
  fixed?: Uint8Array;
}

/** (weight/2) Σ (z_i − c_i)² of the problem's extra quadratic (0 without one). */
export function quadraticTerm(p: Problem, z: Float64Array): number {
  const q = p.quadratic;
  if (!q) return 0;
  let s = 0;
  for (let k = 0; k < q.index.length; k++) s += (z[q.index[k]!]! - q.center[k]!) ** 2;
  return 0.5 * q.weight * s;
}

/** Checks a problem up front; errors name what is wrong. */
export function checkProblem(p: Problem): void {
  const { nu, ny } = checkExperiments(p.experiments);
  if (nu !== p.model.nu || ny !== p.model.ny) {
    throw new NailsError(
      `the data have nu=${nu}, ny=${ny} but the model has nu=${p.model.nu}, ny=${p.model.ny}`,
      'model',
    );
  }
  checkRegularization({ rhoTheta: p.rhoTheta, rhoX0: p.rhoX0 });
  if (p.fixedX0 && p.fixedX0.length !== p.experiments.length * p.model.nx) {
    throw new NailsError(
      `fixedX0 has ${p.fixedX0.length} entries, expected experiments × nx = ${p.experiments.length * p.model.nx}`,
      'fixedX0',
    );
  }
}

/** n_z */
export function zSize(p: Problem): number {
  return p.model.nTheta + (p.trainX0 ? p.experiments.length * p.model.nx : 0);
}

/** Builds z from θ and the initial states (E × nx). */
export function packZ(p: Problem, theta: Float64Array, x0s?: Float64Array): Float64Array {
  const z = new Float64Array(zSize(p));
  z.set(theta);
  if (p.trainX0 && x0s) z.set(x0s, p.model.nTheta);
  return z;
}

/** θ and the initial states (E × nx) as views into z (or the fixed ones). */
export function unpackZ(p: Problem, z: Float64Array): { theta: Float64Array; x0s: Float64Array } {
  const nTheta = p.model.nTheta;
  const theta = z.subarray(0, nTheta);
  const x0s = p.trainX0
    ? z.subarray(nTheta)
    : (p.fixedX0 ?? new Float64Array(p.experiments.length * p.model.nx));
  return { theta, x0s };
}

/** V(z) by simulation only; +∞ when the simulation is not finite. Throws Cancelled when `shouldStop` turns true (polled every 4096 steps). */
export function evaluateV(p: Problem, z: Float64Array, shouldStop?: ShouldStop): number {
  const { theta, x0s } = unpackZ(p, z);
  const sim = simulateExperiments(p.model, theta, p.experiments, x0s, shouldStop);
  if (!sim.finite) return Infinity;
  const v =
    dataLoss(p.loss, p.experiments, sim.y) +
    p.rhoTheta * sumSquares(theta) +
    p.rhoX0 * sumSquares(x0s);
  return Number.isFinite(v) ? v : Infinity;
}

/** N = Σ N_j */
export function samples(p: Problem): number {
  return totalSamples(p.experiments);
}
