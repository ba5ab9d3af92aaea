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
import { evaluateV, packZ, unpackZ, type Problem } from './solver/problem.js';
import { admm, type AdmmOptions, type AdmmRecord, type AdmmResult } from './admm/admm.js';
import { sparsityReport, type SparsityReport } from './admm/sparsity.js';
import type { TermConfig } from './admm/terms.js';
import { solveWithRecovery } from './solver/recovery.js';
import {
  shootingProblem,
  shootingStart,
  shootingWindows,
  singleFromShooting,
} from './solver/shooting.js';
import type { IterationRecord, SolverOptions, SolverResult } from './solver/types.js';
import { estimateX0LeastSquares } from './solver/x0-estimation.js';
import { identifyLinear, type LinearStage } from './linear/identify-linear.js';
import type { LinearStateSpace } from './linear/state-space.js';
import {
  linearFeedthrough,
  linearInitTheta,
  linearInitUnsupported,
  linearPoint,
} from './linear/linear-init.js';

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
   * The linear stage (src/core/linear/identify-linear.ts): a linear model of order nx estimated
   * from the training data before the fit, reported as a baseline; with `init`, a seeded start
   * begins from it (linear-init.ts).
   */
  linear?: LinearStageSpec;
  /**
   * Non-smooth terms (ALGORITHM.md §5): when present, `method` (NAILS or NAILM) first runs
   * `options.maxIterations` smooth steps as a warm start, then ADMM with these terms.
   */
  regularize?: {
    terms: TermConfig[];
    admm: Omit<AdmmOptions, 'method' | 'shouldStop' | 'onIteration'>;
  };
  /**
   * Multiple shooting (solver/shooting.ts), NAILS and NAILM only: the fit first minimises the
   * shooting objective over windows of `window` samples (continuity weight `weight`), then refines
   * by single shooting for at most `refine` iterations, so the returned model is fitted and scored
   * by free-run simulation of the whole records.
   */
  shooting?: ShootingSpec;
  /**
   * Screening of seeded starts (NAILS and NAILM, seeded init only): `starts` starts from seeds
   * seed, seed+1, … each run `iterations` iterations; the one with the lowest V continues for the
   * rest of the budget (maxIterations − iterations). One run, one model, the same total budget
   * plus the screening of the others.
   */
  screen?: ScreenSpec;
}

export interface ScreenSpec {
  starts: number;
  iterations: number;
}

/** What the screening did (report.json `screen`). */
export interface ScreenSummary {
  seeds: number[];
  /** V of each start after the screening iterations. */
  values: number[];
  /** The seed that continued. */
  chosen: number;
  iterations: number;
}

export interface ShootingSpec {
  /** Samples per window. */
  window: number;
  /** ρ_c (default 1, in the scaled units of the fit). */
  weight?: number;
  /** Single-shooting iterations after the shooting phase (default max(10, iterations / 4)). */
  refine?: number;
}

export interface LinearStageSpec {
  /** Start the model from the linear estimate (seeded starts of models with linear parts). */
  init: boolean;
  /**
   * When the linear stage cannot run (data too short for nx, a model without linear parts asked
   * to start from it): throw (true, the spec said `init linear`) or note it and go on (false).
   */
  required: boolean;
  /** Subspace horizon (default: po-moesp.ts). */
  horizon?: number;
  /** NAILM iterations of the output-error refinement (default 100). */
  iterations?: number;
  /**
   * An estimate already made for these training data (e.g. by a first run, so that the starts of
   * a multi-start run do not each repeat it): used as it is.
   */
  estimate?: NonNullable<LinearStageSummary['estimate']>;
}

/** What the linear stage did, as reported with the result (plain arrays: it travels as JSON). */
export interface LinearStageSummary {
  /** Whether the fit started from the linear model. */
  used: boolean;
  /** Why it did not run or was not used. */
  note?: string;
  /** The estimate (absent when the stage could not run), in the scaled units of the fit. */
  estimate?: {
    nx: number;
    nu: number;
    ny: number;
    feedthrough: boolean;
    /** nx × nx, ny × nx, … row-major */
    A: number[];
    B: number[];
    C: number[];
    D: number[];
    /** E × nx, the training experiments' initial states */
    x0s: number[];
    /** The training objective V of the linear model (the fit's loss and ρ terms). */
    value: number;
    spectralRadius: number;
    subspace: LinearStage['subspace'];
    refinement: LinearStage['refinement'];
  };
  /** True when the nonlinear fit ended above the linear model's V and the linear point was returned. */
  fellBack?: boolean;
}

export interface FitOutcome {
  /** The final model (after ADMM and polishing when regularised). */
  result: SolverResult;
  /** ADMM summary when the spec had non-smooth terms. */
  admm?: AdmmSummary;
  /** Validation loss (1/N Σ ℓ, x0 estimated on each validation record), when validation data were given. */
  validationLoss?: number;
  seed?: number;
  linear?: LinearStageSummary;
  shooting?: ShootingSummary;
  screen?: ScreenSummary;
}

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
  const problem: Problem = {
    model,
    experiments: spec.train,
    loss: makeLoss(spec.loss),
    rhoTheta: spec.rhoTheta,
    rhoX0: spec.rhoX0,
    trainX0: spec.trainX0,
  };
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
    if (stage) stage.summary = { ...stage.summary, used: false, note: 'the spec gives the start' };
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

/** Runs the fit synchronously. */
export function runFit(
  spec: FitSpec,
  hooks: {
    shouldStop?: () => boolean;
    onIteration?: (r: IterationRecord, z: Float64Array) => void;
  } = {},
): FitOutcome {
  const { problem, z0: seeded, linear, linearZ } = prepareFit(spec, hooks.shouldStop);
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

/** NAILS or NAILM for a feature that needs a Gauss–Newton method; otherwise a clear error. */
function gaussNewtonMethod(spec: FitSpec, what: string, target: string): typeof nails {
  if (spec.method === 'nails') return nails;
  if (spec.method === 'nailm') return nailm;
  throw new NailsError(`${what} needs method nails or nailm, not ${spec.method}`, target);
}

/**
 * The shooting phase, then the single-shooting refinement (with recovery) from its θ and first
 * states; one history (shooting rows flagged `shooting`), the refinement's stop reason.
 */
function runShooting(
  problem: Problem,
  z0: Float64Array,
  spec: FitSpec,
  sh: ShootingSpec,
  options: SolverOptions,
): { result: SolverResult; summary: ShootingSummary } {
  const gn = gaussNewtonMethod(spec, 'multiple shooting', 'shooting');
  const w = shootingWindows(problem.experiments, sh.window);
  const ps = shootingProblem(problem, w, sh.weight ?? 1);
  const zw = shootingStart(problem, w, ps, z0);
  const onIteration = options.onIteration;
  const first = gn(ps, zw, {
    ...spec.options,
    ...options,
    ...(onIteration
      ? {
          onIteration: (r: IterationRecord, z: Float64Array) =>
            onIteration({ ...r, shooting: true }, singleFromShooting(problem, w, ps, z)),
        }
      : {}),
  });
  const history = first.history.map((r) => ({ ...r, shooting: true as const }));
  const zs = singleFromShooting(problem, w, ps, first.z);
  const summary = (singleValue: number): ShootingSummary => ({
    windows: w.experiments.length,
    window: sh.window,
    weight: ps.shooting!.weight,
    iterations: first.iterations,
    status: first.status,
    value: first.value,
    singleValue,
  });
  const windows = `multiple shooting over ${w.experiments.length} windows of about ${sh.window} samples (${first.iterations} iterations, ${first.status})`;
  if (first.status === 'cancelled') {
    const { theta, x0s } = unpackZ(problem, zs);
    const value = evaluateV(problem, zs);
    return {
      // The shooting start has the single-shooting V of z0 (states on the trajectory).
      result: {
        ...first,
        z: zs,
        theta,
        x0s,
        value,
        history,
        message: `${first.message} (${windows})`,
      },
      summary: summary(value),
    };
  }
  const refine = sh.refine ?? Math.max(10, Math.round((spec.options.maxIterations ?? 100) / 4));
  const maxSeconds = (options.maxSeconds ?? spec.options.maxSeconds ?? Infinity) - first.elapsed;
  const n0 = first.iterations;
  const second = solveWithRecovery(
    problem,
    zs,
    (z, o) => gn(problem, z, { ...spec.options, ...o }),
    {
      ...options,
      maxIterations: refine,
      maxSeconds: Math.max(maxSeconds, 0),
      ...(onIteration
        ? {
            onIteration: (r: IterationRecord, z: Float64Array) =>
              onIteration(
                { ...r, iteration: n0 + r.iteration, elapsed: first.elapsed + r.elapsed },
                z,
              ),
          }
        : {}),
    },
  );
  return {
    result: {
      ...chainResults({ ...first, history }, second),
      message: `${second.message} (after ${windows})`,
    },
    // The refinement starts at the shooting point: its initial value is that point's free-run V.
    summary: summary(second.initialValue),
  };
}

/**
 * Runs `screen.iterations` iterations from each of `screen.starts` seeded starts (the first is
 * `z0`; the others reuse this run's linear estimate) and returns the lowest-V one.
 */
function screenStarts(
  spec: FitSpec,
  screen: ScreenSpec,
  seed: number,
  problem: Problem,
  z0: Float64Array,
  linear: LinearStageSummary | undefined,
  hooks: { shouldStop?: () => boolean },
): { result: SolverResult; summary: ScreenSummary } {
  const gn = gaussNewtonMethod(spec, 'screening', 'screen');
  const seeds: number[] = [];
  const values: number[] = [];
  let best: SolverResult | undefined;
  let chosen = seed;
  let elapsed = 0;
  for (let i = 0; i < screen.starts; i++) {
    const s = seed + i;
    const zi =
      i === 0
        ? z0
        : prepareFit(
            {
              ...spec,
              init: { seed: s },
              ...(spec.linear
                ? {
                    linear: {
                      ...spec.linear,
                      ...(linear?.estimate ? { estimate: linear.estimate } : {}),
                    },
                  }
                : {}),
            },
            hooks.shouldStop,
          ).z0;
    const r = gn(problem, zi, {
      ...spec.options,
      maxIterations: screen.iterations,
      ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    });
    elapsed += r.elapsed;
    seeds.push(s);
    values.push(r.value);
    if (r.status === 'cancelled')
      return { result: r, summary: { seeds, values, chosen, iterations: 0 } };
    if (!best || r.value < best.value) {
      best = r;
      chosen = s;
    }
  }
  return {
    result: { ...best!, elapsed },
    summary: { seeds, values, chosen, iterations: best!.iterations },
  };
}

/**
 * Two phases of one run as one result (the screened start then its continuation; the shooting
 * phase then the refinement): one history numbered on, one count, the second phase's stop.
 */
function chainResults(first: SolverResult, second: SolverResult): SolverResult {
  const n0 = first.iterations;
  return {
    ...second,
    initialValue: first.initialValue,
    iterations: n0 + second.iterations,
    history: [
      ...first.history,
      ...second.history.map((r) => ({
        ...r,
        iteration: n0 + r.iteration,
        elapsed: first.elapsed + r.elapsed,
      })),
    ],
    simulations: first.simulations + second.simulations,
    sensitivities: first.sensitivities + second.sensitivities,
    elapsed: first.elapsed + second.elapsed,
  };
}

/** What the shooting phase of a run did (report.json `shooting`). */
export interface ShootingSummary {
  windows: number;
  window: number;
  weight: number;
  iterations: number;
  status: SolverResult['status'];
  /** The shooting objective at the end of the phase, and the single-shooting V of its point. */
  value: number;
  singleValue: number;
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
      status: r.status,
      stopTest: r.stopTest,
      message: r.message,
      firstOrder: NaN,
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
