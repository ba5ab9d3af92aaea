/**
 * The linear stage of an identification (issue #14): the best linear state-space model of order
 * nx for the training experiments, in two steps.
 *
 * 1. Subspace: A, C by PO-MOESP (Verhaegen 1994, po-moesp.ts), stabilised if needed, then B, D
 *    (when `feedthrough`) and every experiment's x0 by linear least squares
 *    (input-least-squares.ts). Consistent under noise, but not the minimiser of the simulation
 *    error.
 * 2. Output-error refinement: from there, NAILM (Levenberg–Marquardt on the free-run simulation
 *    error, ALGORITHM.md §3) on the linear model x⁺ = A x + B u, y = C x + D u with the training
 *    objective's loss and ρ terms
 *
 *      V(θ, x0) = (1/N) Σ_j Σ_k ℓ(y_j[k], ŷ_j[k]) + ρ_θ ‖(A, B, C, D)‖² + ρ_x0 Σ_j ‖x0_j‖²
 *
 *    The solver only accepts decreases, so the result is never worse than the subspace estimate;
 *    a refined A with ρ(A) ≥ 1 (possible on short records) is rejected and the subspace estimate
 *    kept, so the returned model is always stable.
 * 3. Optionally (`normalize`, off by default), a similarity transform that makes the simulated
 *    training states nearly white (normalize-states.ts). It does not change the simulated
 *    outputs; `value` is then V in the new coordinates (the ρ_θ term depends on them). Measured
 *    on 8 seeds of the cascaded-tanks and MR-damper examples started from the linear model, it
 *    did not improve the nets' test RMSE (MR damper: mean 4.72 whitened vs 4.30 as estimated),
 *    so the estimated coordinates are kept by default.
 *
 * Data: experiments `u: N_j × nu`, `y: N_j × ny` (row-major, in the units the model is trained in).
 */
import { checkExperiments, type Experiment } from '../data/experiment.js';
import { NailsError } from '../errors.js';
import { makeLoss, type LossConfig } from '../losses/index.js';
import { linearModel } from '../models/model-factory.js';
import { nailm } from '../solver/nailm.js';
import type { PieceRunner } from '../solver/parallel-pass.js';
import { evaluateV, makeProblem, packZ, type Problem } from '../solver/problem.js';
import type { StopReason } from '../solver/types.js';
import { estimateInputMatrices } from './input-least-squares.js';
import { poMoesp, type Stabilization } from './po-moesp.js';
import { normalizeStates } from './normalize-states.js';
import { spectralRadius } from './spectral-radius.js';
import type { LinearStateSpace } from './state-space.js';

export interface LinearStageOptions {
  nx: number;
  /** Estimate D (y depends on u[k] directly); D ≡ 0 otherwise. */
  feedthrough: boolean;
  /** Loss of the refinement (default mse). */
  loss?: LossConfig;
  /** ρ_θ on (A, B, C, D) (default 0). */
  rhoTheta?: number;
  /** ρ_x0 (default 0). */
  rhoX0?: number;
  /** Subspace horizon s (default: po-moesp.ts defaultHorizon). */
  horizon?: number;
  /** NAILM iterations of the output-error refinement (default 100; 0 = subspace estimate only). */
  iterations?: number;
  /** Whiten the simulated states (default false; see 3. above). */
  normalize?: boolean;
  shouldStop?: () => boolean;
  /**
   * The fit's pass helpers (src/worker/pass-pool.ts): the refinement's Gauss–Newton passes split
   * over them as the fit's own do (parallel-pass.ts; the same system to rounding).
   */
  parallel?: PieceRunner;
}

export interface LinearStage {
  model: LinearStateSpace;
  /** Initial state of each training experiment: E × nx. */
  x0s: Float64Array;
  /** The objective V above at the returned model. */
  value: number;
  spectralRadius: number;
  subspace: {
    singularValues: number[];
    horizon: number;
    columns: number;
    stabilization: Stabilization;
    /** V at the subspace estimate. */
    value: number;
  };
  /** Whether the states were whitened (normalize-states.ts). */
  normalized: boolean;
  refinement: {
    iterations: number;
    status: StopReason | 'skipped' | 'unstable';
    message: string;
  };
}

/** θ of `linearModel({nx, nu, ny, feedthrough})` (blocks A, B, C, D as present) for a model. */
export function linearTheta(problem: Problem, m: LinearStateSpace): Float64Array {
  const layout = problem.model.layout;
  const theta = new Float64Array(problem.model.nTheta);
  const put = (name: string, v: Float64Array) => {
    if (layout.has(name)) layout.view(theta, name).set(v);
  };
  put('A', m.A);
  put('B', m.B);
  put('C', m.C);
  if (m.feedthrough) put('D', m.D);
  return theta;
}

function fromTheta(
  problem: Problem,
  theta: Float64Array,
  base: LinearStateSpace,
): LinearStateSpace {
  const layout = problem.model.layout;
  const get = (name: string, fallback: Float64Array) =>
    layout.has(name) ? Float64Array.from(layout.view(theta, name)) : fallback;
  return {
    ...base,
    A: get('A', base.A),
    B: get('B', base.B),
    C: get('C', base.C),
    D: base.feedthrough ? get('D', base.D) : base.D,
  };
}

export function identifyLinear(
  experiments: readonly Experiment[],
  o: LinearStageOptions,
): LinearStage {
  const { nu, ny } = checkExperiments(experiments);
  const { nx, feedthrough } = o;
  if (!(Number.isInteger(nx) && nx >= 1))
    throw new NailsError(`the linear stage needs nx ≥ 1 states, got ${nx}`, 'nx');
  const sub = poMoesp(experiments, nx, o.horizon !== undefined ? { horizon: o.horizon } : {});
  const inp = estimateInputMatrices(experiments, sub.A, sub.C, nx, feedthrough);
  const start: LinearStateSpace = {
    nx,
    nu,
    ny,
    A: sub.A,
    B: inp.B,
    C: sub.C,
    D: inp.D,
    feedthrough,
  };
  const problem = makeProblem({
    model: linearModel({ nx, nu, ny, feedthrough }),
    experiments,
    loss: makeLoss(o.loss ?? { name: 'mse' }),
    rhoTheta: o.rhoTheta ?? 0,
    rhoX0: o.rhoX0 ?? 0,
    trainX0: true,
  });
  const z0 = packZ(problem, linearTheta(problem, start), inp.x0s);
  const v0 = evaluateV(problem, z0);
  if (!Number.isFinite(v0))
    throw new NailsError(
      'the subspace estimate does not simulate to finite values on the training data',
      'train',
    );
  const subspace = {
    singularValues: sub.singularValues,
    horizon: sub.horizon,
    columns: sub.columns,
    stabilization: sub.stabilization,
    value: v0,
  };
  const finish = (
    m: LinearStateSpace,
    x0s: Float64Array,
    fallbackValue: number,
    refinement: LinearStage['refinement'],
  ): LinearStage => {
    let model = m;
    let x0 = x0s;
    let value = fallbackValue;
    let normalized = false;
    if (o.normalize ?? false) {
      const n = normalizeStates(m, x0s, experiments);
      const v = n.transformed
        ? evaluateV(problem, packZ(problem, linearTheta(problem, n.model), n.x0s))
        : Infinity;
      if (Number.isFinite(v)) {
        ({ model, x0s: x0 } = n);
        value = v;
        normalized = true;
      }
    }
    return {
      model,
      x0s: x0,
      value,
      spectralRadius: spectralRadius(model.A, nx),
      subspace,
      refinement,
      normalized,
    };
  };
  const iterations = o.iterations ?? 100;
  if (iterations <= 0)
    return finish(start, inp.x0s, v0, {
      iterations: 0,
      status: 'skipped',
      message: 'no refinement asked',
    });
  const r = nailm(problem, z0, {
    maxIterations: iterations,
    ftol: 1e-10,
    ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
    ...(o.parallel ? { parallel: o.parallel } : {}),
  });
  const refined = fromTheta(problem, r.theta, start);
  const rho = spectralRadius(refined.A, nx);
  if (!(rho < 1) || !(r.value <= v0))
    return finish(start, inp.x0s, v0, {
      iterations: r.iterations,
      status: 'unstable',
      message: `the output-error refinement ended with ρ(A) = ${rho.toPrecision(4)} ≥ 1; the subspace estimate is kept`,
    });
  return finish(refined, Float64Array.from(r.x0s), r.value, {
    iterations: r.iterations,
    status: r.status,
    message: r.message,
  });
}
