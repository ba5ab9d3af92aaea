/**
 * One training run from a serialisable description: the unit of work the worker, the command
 * line and the tests all execute, so they train exactly the same thing.
 *
 * The run's loss — in progress, history, the result's `value` and the report — is one number:
 * the smooth objective V(z) of ALGORITHM.md §2 (data loss + ℓ2 terms, no ADMM penalty G) at the
 * point the run would return if it stopped there. Smooth-solver rows: the accepted z. ADMM rows:
 * z with z_I = ν (the exact pattern; G is in the ADMM summary). A polished ADMM run ends with one
 * more row, the polished point. So `value` is always the last history row.
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
import { packZ, unpackZ, type Problem } from './solver/problem.js';
import { admm, type AdmmOptions, type AdmmRecord, type AdmmResult } from './admm/admm.js';
import { sparsityReport, type SparsityReport } from './admm/sparsity.js';
import type { TermConfig } from './admm/terms.js';
import {
  STOP_MESSAGES,
  type IterationRecord,
  type SolverResult,
  type StopReason,
} from './solver/types.js';
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
  /**
   * Non-smooth terms (ALGORITHM.md §5): when present, `method` (NAILS or NAILM) first runs
   * `options.maxIterations` smooth steps as a warm start, then ADMM with these terms.
   */
  regularize?: {
    terms: TermConfig[];
    admm: Omit<AdmmOptions, 'method' | 'shouldStop' | 'onIteration'>;
  };
}

export interface FitOutcome {
  /** The final model (after ADMM and polishing when regularised). */
  result: SolverResult;
  /** ADMM summary when the spec had non-smooth terms. */
  admm?: AdmmSummary;
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
  let result = solvers[spec.method](problem, z0, {
    ...spec.options,
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    ...(hooks.onIteration ? { onIteration: hooks.onIteration } : {}),
  });
  let admmSummary: AdmmSummary | undefined;
  if (
    spec.regularize &&
    spec.regularize.terms.length > 0 &&
    result.status !== 'cancelled' &&
    result.status !== 'not-finite'
  ) {
    if (spec.method !== 'nails' && spec.method !== 'nailm') {
      throw new NailsError(`ADMM terms need method nails or nailm, not ${spec.method}`, 'method');
    }
    ({ result, admmSummary } = runAdmm(problem, result, spec, hooks));
  }
  result = { ...result, history: closeHistory(result) };
  const outcome: FitOutcome = { result };
  if (admmSummary) outcome.admm = admmSummary;
  if ('seed' in spec.init) outcome.seed = spec.init.seed;
  if (spec.validation && spec.validation.length > 0)
    outcome.validationLoss = validationLoss(problem, result.theta, spec.validation);
  return outcome;
}

export interface AdmmSummary {
  status: AdmmResult['status'];
  message: string;
  iterations: number;
  /** V and V + G at the ADMM point (exact pattern) and, when polished, after polishing. */
  value: number;
  objective: number;
  polishedValue?: number;
  polishedObjective?: number;
  report: SparsityReport;
}

function runAdmm(
  problem: Problem,
  warm: SolverResult,
  spec: FitSpec,
  hooks: {
    shouldStop?: () => boolean;
    onIteration?: (r: IterationRecord, z: Float64Array) => void;
  },
): { result: SolverResult; admmSummary: AdmmSummary } {
  const reg = spec.regularize!;
  let last = performance.now();
  // One ADMM iteration as an iteration record of the whole run (after the warm start).
  const asRecord = (a: AdmmRecord, seconds: number): IterationRecord => ({
    iteration: warm.iterations + a.iteration,
    value: a.valueAtNu,
    gradNorm: NaN,
    stepNorm: NaN,
    accepted: true,
    primal: a.primal,
    dual: a.dual,
    rhoA: a.rho,
    elapsed: warm.elapsed + a.elapsed,
    seconds,
    ...(a.lambda !== undefined ? { lambda: a.lambda } : {}),
  });
  const r = admm(problem, warm.z, reg.terms, {
    ...reg.admm,
    method: spec.method as 'nails' | 'nailm',
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    onIteration: (a) => {
      const now = performance.now();
      const rec = asRecord(a, (now - last) / 1000);
      last = now;
      // The live ADMM iterate is not exposed; progress carries the warm-start z.
      hooks.onIteration?.(rec, warm.z);
    },
  });
  const finalZ = r.polished?.z ?? r.z;
  const { theta, x0s } = unpackZ(problem, finalZ);
  const status: StopReason = r.status === 'converged' ? 'admm-converged' : r.status;
  const report = sparsityReport(problem.model, finalZ, problem.experiments.length, problem.trainX0);
  const history = [...warm.history, ...r.history.map((a) => asRecord(a, NaN))];
  if (r.polished)
    history.push({
      iteration: warm.iterations + r.iterations + Math.max(1, r.polished.iterations),
      value: r.polished.value,
      gradNorm: NaN,
      stepNorm: NaN,
      accepted: true,
      elapsed: warm.elapsed + r.elapsed,
      seconds: NaN,
    });
  return {
    result: {
      ...warm,
      method: r.method,
      z: finalZ,
      theta,
      x0s,
      value: r.polished?.value ?? r.value,
      status,
      message: STOP_MESSAGES[status],
      iterations: warm.iterations + r.iterations,
      history,
      elapsed: warm.elapsed + r.elapsed,
    },
    admmSummary: {
      status: r.status,
      message: r.message,
      iterations: r.iterations,
      value: r.value,
      objective: r.objective,
      ...(r.polished
        ? { polishedValue: r.polished.value, polishedObjective: r.polished.objective }
        : {}),
      report,
    },
  };
}

/**
 * The history with its last row at the returned point: a closing row is added when the solver's
 * last record is not it (e.g. cancelled after a step was accepted but before it was recorded).
 */
export function closeHistory(r: SolverResult): IterationRecord[] {
  const last = r.history[r.history.length - 1];
  if (last && sameValue(last.value, r.value)) return r.history;
  return [
    ...r.history,
    {
      iteration: Math.max(r.iterations, (last?.iteration ?? -1) + 1),
      value: r.value,
      gradNorm: NaN,
      stepNorm: NaN,
      accepted: true,
      elapsed: r.elapsed,
      seconds: NaN,
    },
  ];
}

/** Equal up to rounding (the value and its history row may be computed by different passes). */
export function sameValue(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
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
