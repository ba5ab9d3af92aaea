/** The problem and starting point of a fit, with the linear stage that may give the start. */
import { NailsError } from '../errors.js';
import { makeLoss } from '../losses/index.js';
import { createModel } from '../models/model-factory.js';
import { Random } from '../random.js';
import { makeProblem, packZ, type Problem } from '../solver/problem.js';
import { identifyLinear, type LinearStage } from '../linear/identify-linear.js';
import type { LinearStateSpace } from '../linear/state-space.js';
import {
  linearFeedthrough,
  linearInitTheta,
  linearInitUnsupported,
  linearPoint,
} from '../linear/linear-init.js';
import { METHODS, type LinearStageSpec, type FitSpec, type LinearStageSummary } from './types.js';

/**
 * Builds the problem and the starting z of a spec (checked), running the linear stage first when
 * the spec asks for it.
 */
export function prepareFit(
  spec: FitSpec,
  shouldStop?: () => boolean,
): { problem: Problem; z0: Float64Array; linear?: LinearStageSummary; linearZ?: Float64Array } {
  if (!METHODS.includes(spec.method))
    throw new NailsError(
      `unknown method '${String(spec.method)}'; use one of ${METHODS.join(', ')}`,
      'method',
    );
  const model = createModel(spec.model);
  const problem = makeProblem({
    model,
    experiments: spec.train,
    loss: makeLoss(spec.loss),
    rhoTheta: spec.rhoTheta,
    rhoX0: spec.rhoX0,
    trainX0: spec.trainX0,
  });
  const stage = spec.linear ? runLinearStage(spec, spec.linear, shouldStop) : undefined;
  let z0: Float64Array;
  let linearZ: Float64Array | undefined;
  if ('seed' in spec.init) {
    const rng = new Random(spec.init.seed);
    if (stage?.summary.used && stage.fit) {
      const lin = stage.fit.model;
      z0 = packZ(problem, linearInitTheta(model, lin, rng), stage.fit.x0s);
      linearZ = packZ(problem, linearPoint(model, lin), stage.fit.x0s);
    } else {
      z0 = packZ(problem, model.init(rng), new Float64Array(spec.train.length * model.nx));
    }
  } else {
    if (stage) stage.summary = givenStart(stage.summary);
    z0 = Float64Array.from(spec.init.z);
    const expected = model.nTheta + (spec.trainX0 ? spec.train.length * model.nx : 0);
    if (z0.length !== expected)
      throw new NailsError(
        `the initial z has ${z0.length} entries, expected ${expected}`,
        'init.z',
      );
  }
  return {
    problem,
    z0,
    ...(stage ? { linear: stage.summary } : {}),
    ...(linearZ ? { linearZ } : {}),
  };
}

/**
 * The summary the linear stage of `spec` reports when it is given `estimate` (made by another
 * fit on the same data: run/linear-estimates.ts): what the worker would report, without running
 * anything. Throws as the stage does when the estimate does not fit the model and data.
 */
export function givenLinearStageSummary(
  spec: FitSpec & { linear: LinearStageSpec },
  estimate: NonNullable<LinearStageSummary['estimate']>,
): LinearStageSummary {
  const { summary } = runLinearStage(spec, { ...spec.linear, estimate });
  return 'seed' in spec.init ? summary : givenStart(summary);
}

/** A stage's summary when the spec gives the start point (`init from`): not used. */
function givenStart(summary: LinearStageSummary): LinearStageSummary {
  return { ...summary, used: false, note: 'the spec gives the start' };
}

/** The linear stage of a spec; errors become a note unless the spec requires the stage. */
function runLinearStage(
  spec: FitSpec,
  o: LinearStageSpec,
  shouldStop?: () => boolean,
): { summary: LinearStageSummary; fit?: { model: LinearStateSpace; x0s: Float64Array } } {
  const cfg = spec.model;
  const unsupported = linearInitUnsupported(cfg);
  if (o.init && unsupported && o.required)
    throw new NailsError(`init linear: ${unsupported}; use \`init random\``, 'init');
  if (cfg.nx === 0) return { summary: { used: false, note: 'the model has no states' } };
  const used = o.init && !unsupported;
  const note = used
    ? {}
    : { note: o.init ? `random start: ${unsupported}` : 'random start (init random)' };
  if (o.estimate) {
    const e = o.estimate;
    const nu = spec.train[0]?.nu ?? 0;
    const ny = spec.train[0]?.ny ?? 0;
    if (e.nx !== cfg.nx || e.nu !== nu || e.ny !== ny || e.x0s.length !== spec.train.length * e.nx)
      throw new NailsError(
        `the given linear estimate (nx ${e.nx}, nu ${e.nu}, ny ${e.ny}, ${e.x0s.length / Math.max(e.nx, 1)} experiments) does not match the model and data (nx ${cfg.nx}, nu ${nu}, ny ${ny}, ${spec.train.length})`,
        'linear.estimate',
      );
    const model: LinearStateSpace = {
      nx: e.nx,
      nu: e.nu,
      ny: e.ny,
      feedthrough: e.feedthrough,
      A: Float64Array.from(e.A),
      B: Float64Array.from(e.B),
      C: Float64Array.from(e.C),
      D: Float64Array.from(e.D),
    };
    return {
      fit: { model, x0s: Float64Array.from(e.x0s) },
      summary: { used, ...note, estimate: e },
    };
  }
  let fit: LinearStage;
  try {
    fit = identifyLinear(spec.train, {
      nx: cfg.nx,
      feedthrough:
        cfg.kind === 'custom'
          ? false
          : unsupported
            ? cfg.output.feedthrough
            : linearFeedthrough(createModel(cfg)),
      loss: spec.loss,
      rhoTheta: spec.rhoTheta,
      rhoX0: spec.rhoX0,
      ...(o.horizon !== undefined ? { horizon: o.horizon } : {}),
      ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
      ...(shouldStop ? { shouldStop } : {}),
      ...(spec.options.parallel ? { parallel: spec.options.parallel } : {}),
    });
  } catch (e) {
    if (o.required || !(e instanceof NailsError)) throw e;
    return { summary: { used: false, note: `linear stage skipped: ${e.message}` } };
  }
  const m = fit.model;
  return {
    fit,
    summary: {
      used,
      ...note,
      estimate: {
        nx: m.nx,
        nu: m.nu,
        ny: m.ny,
        feedthrough: m.feedthrough,
        A: [...m.A],
        B: [...m.B],
        C: [...m.C],
        D: [...m.D],
        x0s: [...fit.x0s],
        value: fit.value,
        spectralRadius: fit.spectralRadius,
        subspace: fit.subspace,
        refinement: fit.refinement,
      },
    },
  };
}
