/**
 * A training problem (ALGORITHM.md §2): model, experiments, loss and the ρ terms, and the layout
 * of the decision vector
 *
 *   z = (θ, x0_1, …, x0_E)     (nθ + E·nx entries; only θ when the initial states are fixed).
 *
 * With multiple shooting (`shooting`), the experiments are consecutive windows of longer records
 * and x0_j of a window that continues window j−1 is a free "shooting state" s_j, tied to the
 * simulated state at the end of window j−1 by a continuity penalty instead of by the simulation:
 *
 *   V(z) = (1/N) Σ_j Σ_k ℓ(y_jk, ŷ_jk) + ρ_θ‖θ‖² + ρ_x0 Σ_{j first} ‖x0_j‖²
 *          + ρ_c Σ_{j continued} ‖x_{j−1}[N_{j−1}] − x0_j‖²
 *
 * (ρ_x0 only on the first window of each record). When every s_j equals the simulated state,
 * V is the single-shooting objective of the whole records.
 */
import { NailsError } from '../errors.js';
import { checkExperiments, totalSamples, type Experiment } from '../data/experiment.js';
import type { Loss } from '../losses/loss.js';
import type { Model } from '../models/model.js';
import { checkRegularization, sumSquares } from '../objective.js';
import { simulateLoss } from '../simulate-loss.js';
import type { ShouldStop } from './cancellation.js';
import type { RnnKernel } from './rnn-kernel.js';
import { simulateLossKernel } from './rnn-simulate-loss.js';
import { simulationKernel } from './simulation-kernel.js';

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
  fixedX0?: Float64Array | undefined;
  /**
   * An extra quadratic (ADMM's augmented term): + (weight/2) Σ_{i ∈ index} (z_i − center_i)²,
   * `center` aligned with `index`.
   */
  quadratic?: { index: Int32Array; weight: number; center: Float64Array } | undefined;
  /** Entries of z kept at their current value (polishing): 1 = fixed. */
  fixed?: Uint8Array | undefined;
  /** Multiple shooting (needs trainX0): which experiments continue their predecessor, and ρ_c. */
  shooting?: Shooting | undefined;
}

/** The experiment as one object literal (the arrays shared). */
const sameShape = (e: Experiment): Experiment => ({
  name: e.name,
  N: e.N,
  nu: e.nu,
  ny: e.ny,
  u: e.u,
  y: e.y,
});

/**
 * The experiments as literals of one shape, the same array for the same input (and for its own
 * output), so that a problem rebuilt from another keeps its experiments' identity (the pass
 * pool re-sends data only when it changes).
 */
const reshaped = new WeakMap<readonly Experiment[], readonly Experiment[]>();
function oneShape(experiments: readonly Experiment[]): readonly Experiment[] {
  let out = reshaped.get(experiments);
  if (!out) {
    out = experiments.map(sameShape);
    reshaped.set(experiments, out);
    reshaped.set(out, out);
  }
  return out;
}

/**
 * A problem with every field present, in one order (absent ones undefined): `p` with the fields
 * of `change` in place of its own. The solver builds its problems through this, so that they all
 * share one shape in the engine: the hot functions that read them (the pass, finishSystem,
 * evaluateV) then see a single map instead of one per variant (ADMM's augmented problem,
 * polishing, shooting, the linear stage), and a thread optimizes them once instead of
 * deoptimizing and recompiling as each variant appears. The experiments get one shape too (views
 * of the same arrays): a worker's come from a message, the linear stage's from literals, and the
 * pass and the simulation read both.
 *
 * Pass a variant's fields as `change`, not as `{ ...p, quadratic }`: that spread copies `p` with
 * its map and then stores over a field it already set, which tells V8 the field is not constant
 * after all and deoptimizes, on every thread, each function compiled on the assumption.
 */
export function makeProblem(p: Problem, change: Partial<Problem> = {}): Problem {
  const pick = <K extends keyof Problem>(k: K): Problem[K] =>
    (k in change ? change[k] : p[k]) as Problem[K];
  return {
    model: pick('model'),
    experiments: oneShape(pick('experiments')),
    loss: pick('loss'),
    rhoTheta: pick('rhoTheta'),
    rhoX0: pick('rhoX0'),
    trainX0: pick('trainX0'),
    fixedX0: pick('fixedX0'),
    quadratic: pick('quadratic'),
    fixed: pick('fixed'),
    shooting: pick('shooting'),
  };
}

/** Multiple shooting: the windows and the continuity weight. */
export interface Shooting {
  /** E flags: 1 when experiment j is the continuation of experiment j − 1 (then j ≥ 1). */
  continues: Uint8Array;
  /** ρ_c > 0 */
  weight: number;
}

/** 1 when x0_j is a shooting state (continues window j − 1), else 0. */
export function isContinued(p: Problem, j: number): boolean {
  return p.shooting !== undefined && p.shooting.continues[j] === 1;
}

/** ρ_x0 Σ_{j first} ‖x0_j‖²: the initial-state regularisation (not on shooting states). */
export function x0Regularization(p: Problem, x0s: Float64Array): number {
  const nx = p.model.nx;
  let s = 0;
  for (let j = 0; j < p.experiments.length; j++) {
    if (isContinued(p, j)) continue;
    for (let i = j * nx; i < (j + 1) * nx; i++) s += x0s[i]! * x0s[i]!;
  }
  return p.rhoX0 * s;
}

/**
 * ρ_c Σ_{j continued} ‖x_{j−1}[N_{j−1}] − x0_j‖², from the final states of the windows
 * (`xEnd[j]`: nx each); 0 without shooting.
 */
export function continuityPenalty(
  p: Problem,
  x0s: Float64Array,
  xEnd: readonly Float64Array[],
): number {
  if (!p.shooting) return 0;
  const nx = p.model.nx;
  let s = 0;
  for (let j = 1; j < p.experiments.length; j++) {
    if (!isContinued(p, j)) continue;
    const prev = xEnd[j - 1]!;
    for (let i = 0; i < nx; i++) s += (prev[i]! - x0s[j * nx + i]!) ** 2;
  }
  return p.shooting.weight * s;
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
  if (p.shooting) {
    const c = p.shooting.continues;
    if (!p.trainX0)
      throw new NailsError('multiple shooting needs trained initial states', 'shooting');
    if (c.length !== p.experiments.length || c[0] === 1)
      throw new NailsError(
        `shooting flags: ${c.length} for ${p.experiments.length} experiments (the first cannot continue another)`,
        'shooting',
      );
    if (!(p.shooting.weight > 0) || !Number.isFinite(p.shooting.weight))
      throw new NailsError(
        `the continuity weight must be positive and finite, got ${p.shooting.weight}`,
        'shooting',
      );
  }
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

/**
 * n_l: the columns of one experiment's local system in the Gauss–Newton pass — θ, and that
 * experiment's initial state when it is trained (gauss-newton.ts, chunk.ts).
 */
export function localColumns(p: Problem): number {
  return p.model.nTheta + (p.trainX0 ? p.model.nx : 0);
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

/**
 * V(z) by simulation only, with the problem's extra quadratic (ADMM's augmented term) when it has
 * one, the value the Gauss–Newton system reports (to rounding); +∞ when the simulation is not
 * finite. Throws Cancelled when `shouldStop` turns true (polled every 4096 steps, or once per
 * kernel call of a block of samples). The simulation runs in WebAssembly for the state-space net
 * (rnn-simulate-loss.ts; the TypeScript model's value to rounding): on `kernel` (a search passes
 * its workspace's), else on the model's simulation kernel (simulation-kernel.ts); `kernel: null`
 * asks for the TypeScript model (the oracle).
 */
export function evaluateV(
  p: Problem,
  z: Float64Array,
  shouldStop?: ShouldStop,
  kernel?: RnnKernel | null,
): number {
  const { theta, x0s } = unpackZ(p, z);
  // Summed while simulating: no N × ny array per trial point.
  const k = kernel === undefined ? simulationKernel(p.model) : kernel;
  if (k && k.model !== p.model) throw new Error("evaluateV: a kernel of another problem's model");
  const sim = k
    ? simulateLossKernel(k, theta, p.experiments, x0s, p.loss, shouldStop)
    : simulateLoss(p.model, theta, p.experiments, x0s, p.loss, shouldStop);
  if (!sim.finite) return Infinity;
  const v =
    sim.sum / totalSamples(p.experiments) +
    p.rhoTheta * sumSquares(theta) +
    x0Regularization(p, x0s) +
    continuityPenalty(p, x0s, sim.xEnd) +
    quadraticTerm(p, z);
  return Number.isFinite(v) ? v : Infinity;
}

/** N = Σ N_j */
export function samples(p: Problem): number {
  return totalSamples(p.experiments);
}
