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
import { adam } from './solver/adam.js';
import { lbfgs } from './solver/lbfgs.js';
import { nailm } from './solver/nailm.js';
import { nails } from './solver/nails.js';
import { evaluateV, unpackZ } from './solver/problem.js';
import { solveWithRecovery } from './solver/recovery.js';
import type { IterationRecord, SolverOptions, SolverResult } from './solver/types.js';
import type {
  FitOutcome,
  AdmmSummary,
  FitSpec,
  LinearStageSummary,
  ScreenSummary,
  ShootingSummary,
} from './fit/types.js';
import { prepareFit } from './fit/prepare.js';
import { chainResults, screenStarts, runShooting } from './fit/phases.js';
import { runAdmm } from './fit/admm-phase.js';
import { closeHistory, validationLoss } from './fit/history.js';

export type {
  AdmmSummary,
  FitOutcome,
  FitSpec,
  LinearStageSpec,
  LinearStageSummary,
  Method,
  MethodOptions,
  ScreenSpec,
  ScreenSummary,
  ShootingSpec,
  ShootingSummary,
} from './fit/types.js';
export { METHODS } from './fit/types.js';
export { givenLinearStageSummary, prepareFit } from './fit/prepare.js';
export { closeHistory, sameValue, validationLoss } from './fit/history.js';

/** Runs the fit synchronously. */
export function runFit(
  spec: FitSpec,
  hooks: {
    shouldStop?: () => boolean;
    onIteration?: (r: IterationRecord, z: Float64Array) => void;
    /** Called once the linear stage has run (before the solver starts), when the spec has one. */
    onLinearStage?: (summary: LinearStageSummary) => void;
  } = {},
): FitOutcome {
  const { problem, z0: seeded, linear, linearZ } = prepareFit(spec, hooks.shouldStop);
  if (linear) hooks.onLinearStage?.(linear);
  let options: SolverOptions = {
    ...spec.options,
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    ...(hooks.onIteration ? { onIteration: hooks.onIteration } : {}),
  };
  let z0 = seeded;
  let screened: { result: SolverResult; summary: ScreenSummary } | undefined;
  if (spec.screen && spec.screen.starts > 1 && 'seed' in spec.init) {
    screened = screenStarts(spec, spec.screen, spec.init.seed, problem, seeded, linear, hooks);
    z0 = screened.result.z;
    options = {
      ...options,
      maxIterations: Math.max(1, (spec.options.maxIterations ?? 100) - screened.result.iterations),
    };
  }
  let result: SolverResult;
  let shooting: ShootingSummary | undefined;
  if (screened?.result.status === 'cancelled') {
    result = screened.result;
  } else if (spec.shooting) {
    ({ result, summary: shooting } = runShooting(problem, z0, spec, spec.shooting, options));
  } else if (spec.method === 'nails' || spec.method === 'nailm') {
    // The Gauss–Newton methods leave degenerate points by the recovery (solver/recovery.ts).
    const gn = spec.method === 'nails' ? nails : nailm;
    result = solveWithRecovery(
      problem,
      z0,
      (z, o) => gn(problem, z, { ...spec.options, ...o }),
      options,
    );
  } else result = (spec.method === 'adam' ? adam : lbfgs)(problem, z0, options);
  if (screened && screened.result.status !== 'cancelled')
    result = chainResults(screened.result, result);
  let admmSummary: AdmmSummary | undefined;
  if (
    spec.regularize &&
    spec.regularize.terms.length > 0 &&
    result.status !== 'cancelled' &&
    result.status !== 'diverged'
  ) {
    if (spec.method !== 'nails' && spec.method !== 'nailm') {
      throw new NailsError(`ADMM terms need method nails or nailm, not ${spec.method}`, 'method');
    }
    ({ result, admmSummary } = runAdmm(problem, result, spec, hooks));
  }
  // Never worse than the linear model: its point in the net's parameter space has the linear
  // model's objective value; a fit that ended above it (e.g. after ADMM) returns that point.
  let linearSummary = linear;
  if (linearZ && linearSummary && result.status !== 'cancelled') {
    const vLin = evaluateV(problem, linearZ);
    if (!(result.value <= vLin)) {
      const { theta, x0s } = unpackZ(problem, linearZ);
      result = {
        ...result,
        z: linearZ,
        theta,
        x0s,
        value: vLin,
        message: `${result.message}; the fit ended above the linear model's loss, so the linear model is returned`,
      };
      linearSummary = { ...linearSummary, fellBack: true };
    }
  }
  result = { ...result, history: closeHistory(result) };
  const outcome: FitOutcome = { result };
  if (linearSummary) outcome.linear = linearSummary;
  if (admmSummary) outcome.admm = admmSummary;
  if (shooting) outcome.shooting = shooting;
  if (screened) outcome.screen = screened.summary;
  if ('seed' in spec.init) outcome.seed = spec.init.seed;
  // Not after a cancel: that would simulate every validation record again before answering.
  if (spec.validation && spec.validation.length > 0 && result.status !== 'cancelled')
    outcome.validationLoss = validationLoss(problem, result.theta, spec.validation);
  return outcome;
}
