/**
 * One training run from a serialisable description: the unit of work the worker, the command
 * line and the tests all execute, so they train exactly the same thing.
 */
import { NailsError } from './errors.js';
import type { Experiment } from './data/experiment.js';
import { makeLoss, type LossConfig } from './losses/index.js';
import type { ModelConfig } from './models/model.js';
import { createModel } from './models/model-factory.js';
import { dataLoss } from './objective.js';
import { Random } from './random.js';
import { simulate } from './simulate.js';
import { adam, type AdamOptions } from './solver/adam.js';
import { lbfgs, type LbfgsOptions } from './solver/lbfgs.js';
import { nailm, type NailmOptions } from './solver/nailm.js';
import { nails, type NailsOptions } from './solver/nails.js';
import { packZ, type Problem } from './solver/problem.js';
import type { IterationRecord, SolverResult } from './solver/types.js';
import { estimateX0LeastSquares } from './solver/x0-estimation.js';

export type Method = 'nails' | 'nailm' | 'adam' | 'lbfgs';
export const METHODS: readonly Method[] = ['nails', 'nailm', 'adam', 'lbfgs'];

/** Solver settings shared by the methods (each reads the ones it knows). */
export type MethodOptions = Omit<
  NailmOptions & NailsOptions & AdamOptions & LbfgsOptions,
  'shouldStop' | 'onIteration'
>;

export interface FitSpec {
  model: ModelConfig;
  /** Training experiments (scaled units). */
  train: Experiment[];
  /** Optional validation experiments: their loss (x0 by least squares, θ fixed) selects among starts. */
  validation?: Experiment[];
  loss: LossConfig;
  rhoTheta: number;
  rhoX0: number;
  trainX0: boolean;
  method: Method;
  options: MethodOptions;
  /** Seeded initialisation (θ from the model's initialiser, x0 = 0) or an explicit z. */
  init: { seed: number } | { z: Float64Array };
}

export interface FitOutcome {
  result: SolverResult;
  /** Validation loss (1/N Σ ℓ, x0 estimated on each validation record), when validation data were given. */
  validationLoss?: number;
  seed?: number;
}

/** Builds the problem and the starting z of a spec (checked). */
export function prepareFit(spec: FitSpec): { problem: Problem; z0: Float64Array } {
  if (!METHODS.includes(spec.method))
    throw new NailsError(
      `unknown method '${String(spec.method)}'; use one of ${METHODS.join(', ')}`,
      'method',
    );
  const model = createModel(spec.model);
  const problem: Problem = {
    model,
    experiments: spec.train,
    loss: makeLoss(spec.loss),
    rhoTheta: spec.rhoTheta,
    rhoX0: spec.rhoX0,
    trainX0: spec.trainX0,
  };
  let z0: Float64Array;
  if ('seed' in spec.init) {
    z0 = packZ(
      problem,
      model.init(new Random(spec.init.seed)),
      new Float64Array(spec.train.length * model.nx),
    );
  } else {
    z0 = Float64Array.from(spec.init.z);
    const expected = model.nTheta + (spec.trainX0 ? spec.train.length * model.nx : 0);
    if (z0.length !== expected)
      throw new NailsError(
        `the initial z has ${z0.length} entries, expected ${expected}`,
        'init.z',
      );
  }
  return { problem, z0 };
}

/** Runs the fit synchronously. */
export function runFit(
  spec: FitSpec,
  hooks: {
    shouldStop?: () => boolean;
    onIteration?: (r: IterationRecord, z: Float64Array) => void;
  } = {},
): FitOutcome {
  const { problem, z0 } = prepareFit(spec);
  const solvers = { nails, nailm, adam, lbfgs } as const;
  const result = solvers[spec.method](problem, z0, {
    ...spec.options,
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    ...(hooks.onIteration ? { onIteration: hooks.onIteration } : {}),
  });
  const outcome: FitOutcome = { result };
  if ('seed' in spec.init) outcome.seed = spec.init.seed;
  if (spec.validation && spec.validation.length > 0)
    outcome.validationLoss = validationLoss(problem, result.theta, spec.validation);
  return outcome;
}

/** (1/N) Σ ℓ on held-out experiments, each x0 estimated by least squares with θ fixed. */
export function validationLoss(
  problem: Problem,
  theta: Float64Array,
  experiments: Experiment[],
): number {
  const { model, loss } = problem;
  try {
    const yhat = experiments.map((e) => {
      const { x0 } = estimateX0LeastSquares(model, theta, e.u, e.y, { loss });
      const s = simulate(model, theta, e.u, e.N, x0);
      if (!s.finite) throw new NailsError('not finite');
      return s.y;
    });
    return dataLoss(loss, experiments, yhat);
  } catch {
    return Infinity;
  }
}
