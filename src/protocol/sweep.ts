/**
 * The types of a sweep, declared once: `sweep.json` (one row per fit), the grid it came from, and
 * the job and result a distributed worker exchanges through the queue (BullMQ on Redis).
 */

/** The version tag of `sweep.json`; a reader refuses other versions. */
export const SWEEP_FORMAT = 'nails-sweep/1';

/** One `--set KEY=…` axis of the grid: the values in the order given (as spec text). */
export interface SweepAxis {
  key: string;
  values: string[];
}

/** The settings of one fit: key → value as written into the spec. */
export type SweepSettings = Record<string, string>;

/** Time-series cross-validation of a fit (rolling origin on the training record). */
export interface SweepFold {
  /** 1-based fold number. */
  fold: number;
  of: number;
  /** Training window `[start, end)` in samples of the training record. */
  train: [number, number];
  /** Validation window `[start, end)`; always after the training window. */
  validation: [number, number];
}

/** What a fit scored (NaN-free: absent when not scored). */
export interface SweepMetrics {
  /** RMSE per part kind, the mean over output channels (engineering units). */
  trainRmse?: number;
  validationRmse?: number;
  testRmse?: number;
  /** The run's loss V(z). */
  loss?: number;
  /** Non-zeros of θ after ADMM (present when the spec regularises). */
  nonzeros?: number;
  parameters?: number;
  /** Model states nx. */
  states?: number;
}

export type SweepStatus = 'done' | 'failed';

export interface SweepRow {
  /** Stable id of the fit: settings and seed (and fold), e.g. `model.states=2,seed=1`. */
  id: string;
  seed: number;
  settings: SweepSettings;
  fold?: SweepFold;
  status: SweepStatus;
  /** One line: why the fit failed (the checker's message, or the solver's). */
  error?: string;
  /** The run folder, relative to the sweep folder. */
  run?: string;
  /** The solver's stop status (converged, budget, …). */
  stop?: string;
  metrics: SweepMetrics;
  /** Wall-clock seconds of the fit. */
  wall: number;
  /** Which executor ran it: `local` or the queue worker's name. */
  worker?: string;
}

/** Complexity of a row: non-zeros of θ, else states (undefined when neither is known). */
export const complexity = (r: SweepRow) => r.metrics.nonzeros ?? r.metrics.states;

/** `sweep.json` in the sweep's folder. */
export interface SweepFile {
  format: typeof SWEEP_FORMAT;
  /** The spec file as given on the command line. */
  spec: string;
  grid: { axes: SweepAxis[]; seeds: number[]; iterations?: number; folds?: number };
  /** The metric the table sorts and selects by. */
  selectBy: 'validationRmse' | 'testRmse' | 'trainRmse';
  rows: SweepRow[];
  /** Ids of the rows on the Pareto front (selection metric vs non-zeros, else states). */
  pareto: string[];
  /** The best row by the selection metric (for --folds: the best settings by mean over folds). */
  best?: { id: string; settings: SweepSettings; metric: number };
  started: string;
  updated: string;
}

/** One fit to run: what the local pool and a queue worker both take. */
export interface FitTask {
  id: string;
  seed: number;
  settings: SweepSettings;
  fold?: SweepFold;
  iterations?: number;
  /** The modified spec text (settings applied, checked by the worker). */
  specText: string;
  /** The spec's name, for file names (`cascaded-tanks.nails`). */
  specName: string;
}

/**
 * A data file a queued fit reads, at its path relative to the spec's folder. Its bytes are stored
 * once per sweep in Redis under `DATA_KEY_PREFIX + sha256` (base64), not in every job.
 */
export interface QueuedDataFile {
  path: string;
  sha256: string;
}

/** The Redis key prefix of the data files of queued fits. */
export const DATA_KEY_PREFIX = 'nails-sweep:data:';

/** The data of a queued job (BullMQ job data; the job id is the fit id). */
export interface QueuedFit extends FitTask {
  /** Data files small enough to travel through Redis; others are found in the worker's --data-dir. */
  files: QueuedDataFile[];
}

/** A file of the run folder sent back by a queue worker (text files only). */
export interface ReturnedFile {
  path: string;
  text: string;
}

/** What a queue worker returns for a job (BullMQ return value). */
export interface QueuedFitResult {
  row: SweepRow;
  files: ReturnedFile[];
}
