/** What a training run takes (FitSpec) and what it reports (FitOutcome and its summaries). */
import type { Experiment } from '../data/experiment.js';
import type { LossConfig } from '../losses/index.js';
import type { ModelConfig } from '../models/model.js';
import type { AdamOptions } from '../solver/adam.js';
import type { LbfgsOptions } from '../solver/lbfgs.js';
import type { NailmOptions } from '../solver/nailm.js';
import type { NailsOptions } from '../solver/nails.js';
import type { AdmmOptions, AdmmResult } from '../admm/admm.js';
import type { SparsityReport } from '../admm/sparsity.js';
import type { TermConfig } from '../admm/terms.js';
import type { SolverResult } from '../solver/types.js';
import type { LinearStage } from '../linear/identify-linear.js';

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
