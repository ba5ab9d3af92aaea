/**
 * Jobs the extension host runs off its own thread, in a job thread (src/jobs/job-thread.ts,
 * bundled as dist/host-jobs.cjs): training, evaluation, export, sweeps, and reading run folders.
 * The extension bundle carries none of the solver, the language analysis or the run-folder code;
 * it sends these requests and reads these answers. Declared once; both sides import these types.
 *
 * host → job thread:  JobRequest (one per job id), later perhaps a JobCancel for it
 * job thread → host:  JobEvent* (log lines, training progress, sweep rows), then exactly one
 *                     JobDone | JobFailed with the same id
 * Cancellation:       the host posts JobCancel; the job stops its solvers (training: the best
 *                     parameters so far are kept and the run folder written; a sweep starts no
 *                     more fits) and answers with JobDone. The host then terminates the thread
 *                     (its solver threads end with it); a thread that does not answer within the
 *                     host's grace period is terminated and the job ends as cancelled.
 */
import type { ChannelMetrics } from '../core/metrics.js';
import type { SweepFile, SweepRow } from './sweep.js';
import type { ConvergencePoint, PartRows, RangeRequest, RunView } from './webview-messages.js';
import type { SerializedResult } from './worker-messages.js';

/** A part of a run as scored (no predictions): what the editor's commands return and log. */
export interface ScoredPart {
  kind: string;
  name: string;
  N: number;
  nInit: number;
  outputs: string[];
  channels: ChannelMetrics[];
}

/** The outcome of a training job (the tests of test/vscode read it through `nails.train`). */
export interface TrainJobResult {
  /** The spec's first error when it did not check (nothing ran). */
  specError?: string;
  result?: SerializedResult;
  parts?: ScoredPart[];
  runDir?: string;
  /** Why scoring the parts failed (the run folder is still written, metrics NaN). */
  scoringError?: string;
}

/** A model scored on a data file the spec never named (`nails evaluate RUN --data FILE`). */
export interface FileEvaluation {
  file: string;
  N: number;
  nInit: number;
  inputs: string[];
  /** Output channels read from the file (empty when it holds none: predictions only). */
  outputs: string[];
  /** Output names of the model (the predictions' channels). */
  modelOutputs: string[];
  units: (string | undefined)[];
  /** One per output when the file holds them. */
  metrics?: ChannelMetrics[];
  finite: boolean;
  /** The predictions CSV written. */
  predictions: string;
}

/** A line of the Runs view: a run folder's report in brief, or why it cannot be read. */
export interface RunSummary {
  runDir: string;
  status?: string;
  method?: string;
  message?: string;
  /** Fit (%) of the first output on the first test part, when there is one. */
  testFit?: number;
  /** The one-line message naming the file and field, when report.json does not read. */
  problem?: string;
}

/** Every job: its parameters and its result. */
export interface JobTable {
  train: { params: { spec: string; dataDirs: string[] }; result: TrainJobResult };
  evaluate: { params: { runDir: string; dataDirs: string[] }; result: ScoredPart[] };
  evaluateFile: {
    params: { runDir: string; file: string; nInit: number };
    result: FileEvaluation;
  };
  /** Writes `<run>/<experiment>.json|.h|.onnx`; the result is its path. */
  export: { params: { runDir: string; format: string }; result: string };
  /** The results panel's view of each run folder (checked on reading). */
  readRuns: { params: { runDirs: string[] }; result: RunView[] };
  /** The rows of a zoomed range of an overview part, at full resolution when few (run-view.ts). */
  readRange: { params: RangeRequest; result: PartRows };
  runSummaries: { params: { runDirs: string[] }; result: RunSummary[] };
  /** Checks the Run Sweep prompts' text as typed: the problem, or undefined when it parses. */
  checkSweepInput: {
    params: { settings?: string; seeds?: string };
    result: string | undefined;
  };
  sweep: {
    params: { spec: string; dataDirs: string[]; settings: string; seeds: string };
    result: { dir: string; file: SweepFile };
  };
}

export type JobKind = keyof JobTable;
export type JobParams<K extends JobKind> = JobTable[K]['params'];
export type JobResult<K extends JobKind> = JobTable[K]['result'];

/** The export formats `export` takes (the same as `nails export --format`). */
export const EXPORT_FORMATS = ['json', 'c', 'onnx'] as const;

/** The data formats "Evaluate on File…" offers (what the data readers read). */
export const DATA_EXTENSIONS = ['mat', 'csv', 'tsv', 'txt', 'dat', 'asc', 'npy', 'npz'] as const;

export type JobRequest = {
  [K in JobKind]: { type: 'job'; id: number; kind: K; params: JobParams<K> };
}[JobKind];

export interface JobCancel {
  type: 'cancel';
  id: number;
}

export type HostToJob = JobRequest | JobCancel;

export interface JobLog {
  type: 'log';
  id: number;
  level: 'info' | 'warn';
  line: string;
}

/** A training iteration (start: the multi-start index, 0 for a single start). */
export interface TrainProgress {
  type: 'trainProgress';
  id: number;
  start: number;
  point: ConvergencePoint;
}

/** The sweep's folder and its fits, once laid out (before any fit runs). */
export interface SweepPlanned {
  type: 'sweepPlanned';
  id: number;
  dir: string;
  fits: number;
  /** Fits a previous run of the same sweep finished (not run again). */
  skipped: number;
  /** Fits to run now. */
  pending: number;
}

/** A fit of a sweep ended; `file` is sweep.json as just written. */
export interface SweepRowDone {
  type: 'sweepRow';
  id: number;
  row: SweepRow;
  file: SweepFile;
}

export type JobDone = {
  [K in JobKind]: { type: 'done'; id: number; kind: K; result: JobResult<K> };
}[JobKind];

export interface JobFailed {
  type: 'failed';
  id: number;
  message: string;
  /** true for bad input (show the message); false for an internal failure (log the stack). */
  userError: boolean;
  stack?: string;
}

export type JobEvent = JobLog | TrainProgress | SweepPlanned | SweepRowDone;
export type JobToHost = JobEvent | JobDone | JobFailed;
