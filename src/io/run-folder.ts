/**
 * A run folder: everything needed to look at, re-evaluate or export a training run.
 *
 *   spec.nails        the spec as trained (snapshot)
 *   model.json        model config, parameter layout, θ, trained x0s, scaling, loss
 *   report.json       status, metrics per part, every start, history, ADMM summary, linear baseline
 *                     (JSON types kept: a non-finite number is null)
 *   linear.json       the linear stage's model (a SavedModel of kind linear: A, B, C, D, x0s in
 *                     scaled units, with the same scaling) and how it was estimated
 *   history.csv       iteration, loss, damping / step, residuals, elapsed
 *   predictions/<part>.csv   k, y…, ŷ… in engineering units
 *   predictions/<part>.f64   the same columns as little-endian float64, column after column, for
 *                     parts longer than PREDICTION_BINARY_ROWS (the results panel reads them
 *                     instead of parsing the CSV: a 1e6-sample part is 46 MB of text)
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import type { Scaling } from '../core/data/scaling.js';
import { NailsError } from '../core/errors.js';
import type { LossConfig } from '../core/losses/index.js';
import type { ModelConfig } from '../core/models/model.js';
import type { IterationRecord } from '../core/solver/types.js';
import {
  checkRunFile,
  legacyReportSchema,
  MODEL_FORMAT,
  REPORT_FORMAT,
  runReportSchema,
  savedModelSchema,
} from './run-folder-schema.js';

export { MODEL_FORMAT, REPORT_FORMAT } from './run-folder-schema.js';

export interface SavedModel {
  format: typeof MODEL_FORMAT;
  experiment: string;
  model: ModelConfig;
  layout: { name: string; offset: number; rows: number; cols: number }[];
  theta: number[];
  /** E × nx, row j = x0 of training experiment j (scaled units). */
  x0s: number[];
  scaling: Scaling;
  loss: LossConfig;
  /**
   * Folder of the original spec (to find relative data files again) and the data directories of
   * the training. Written relative to the run folder (older run folders hold absolute paths of the
   * training machine); `readSavedModel` returns them absolute either way.
   */
  specDir: string;
  dataDirs: string[];
  created: string;
  /** Sampling time in seconds, when the spec gives one (absent in older run folders). */
  Ts?: number;
  /** Input and output channels in data order, with units when known (absent in older run folders). */
  inputs?: Channel[];
  outputs?: Channel[];
  /** The spec's data files, relative to the spec's folder (absent for generated data and older runs). */
  dataFiles?: string[];
}

/** A signal's name and engineering unit (when known). */
export interface Channel {
  name: string;
  unit?: string;
}

export interface RunReport {
  /** Written since the run-folder schema (run-folder-schema.ts); absent: the same layout, older. */
  format?: typeof REPORT_FORMAT;
  experiment: string;
  method: string;
  /** The stop reason (converged, stalled, budget, diverged, cancelled, degenerate) and its test. */
  status: string;
  stopTest?: string;
  message: string;
  /**
   * The run's loss V(z) at the returned parameters (the one definition in src/core/fit-job.ts),
   * equal to the history row `valueRow` names.
   */
  value: number;
  valueRow: 'last' | 'best';
  /** Whether outputs are binary (cross-entropy / logistic loss): accuracy is only meaningful then. */
  classification?: boolean;
  /** V at the start (same definition as `value`). */
  initialValue?: number;
  /** First-order measure ‖∇V‖∞ / max(|V|, 1e-8·|V₀|) at the returned point (null when unknown). */
  firstOrder?: number | null;
  /** What was done to leave degenerate points, in order. */
  recovery?: string[];
  iterations: number;
  elapsed: number;
  starts: { seed?: number; value: number; validationLoss?: number; status: string }[];
  bestStart: number;
  parts: {
    kind: string;
    name: string;
    N: number;
    nInit: number;
    x0Method: string;
    /** Output channel names, as the data name them (absent in older run folders). */
    outputs?: string[];
    /** Their engineering units, when known (declared in the spec, or the benchmark dataset's). */
    units?: string[];
    metrics: Record<string, number>[];
    /** RMSE per channel in the spec's `metric` unit (e.g. mV), when it declares one. */
    metric?: { unit: string; rmse: number[] };
  }[];
  /** Sampling time in seconds, when the spec gives one. */
  Ts?: number;
  admm?: unknown;
  /** The multiple-shooting phase (windows, its iterations and stop, its final values). */
  shooting?: unknown;
  /** The screening of seeded starts: their seeds, losses after the screening, the one chosen. */
  screen?: unknown;
  history: IterationRecord[];
  /** Wall time of the whole training (all starts) and the process's peak resident set. */
  wallSeconds?: number;
  peakRssMb?: number;
  /** The Gauss–Newton accumulation kernel that ran (wasm-relaxed-simd, wasm-simd or typescript). */
  kernel?: string;
  /** The linear stage: its metrics per part (engineering units), whether the fit started from it. */
  linearBaseline?: LinearBaseline;
  /** A cancelled run: milliseconds from the request to the answer; terminated when the worker did not answer. */
  cancel?: { answeredMs: number; terminated: boolean; reason?: string };
  /** Why the parts could not be scored (the parameters are still kept; metrics are NaN). */
  scoringError?: string;
}

export interface LinearBaseline {
  /** PO-MOESP subspace estimate refined to output error (src/core/linear). */
  method: string;
  nx: number;
  /** Whether training started from the linear model. */
  used: boolean;
  note?: string;
  /** The fit ended above the linear model's objective and the linear point was returned. */
  fellBack?: boolean;
  /** Training objective V of the linear model (same loss and ρ terms as the fit). */
  value: number;
  spectralRadius: number;
  horizon: number;
  /** Leading singular values of the subspace step (a gap after nx suggests the order). */
  singularValues: number[];
  stabilization: string;
  refinement: { iterations: number; status: string; message: string };
  parts: {
    kind: string;
    name: string;
    N: number;
    nInit: number;
    metrics: Record<string, number>[];
  }[];
}

/** linear.json: the linear model, loadable like model.json, with how it was estimated. */
export type SavedLinearModel = SavedModel & { baseline: LinearBaseline };

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A new run folder under `runsDir` (never overwrites: a suffix is added if needed). */
export function newRunFolder(runsDir: string, experiment: string): string {
  const base = path.join(runsDir, `${experiment}-${timestamp()}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  mkdirSync(path.join(dir, 'predictions'), { recursive: true });
  return dir;
}

export function writeRun(
  dir: string,
  specFile: string,
  model: SavedModel,
  report: RunReport,
  predictions: { name: string; y: Float64Array; yhat: Float64Array; ny: number }[],
  linear?: SavedLinearModel,
  specText?: string,
): void {
  if (specText !== undefined) writeFileSync(path.join(dir, 'spec.nails'), specText);
  else copyFileSync(specFile, path.join(dir, 'spec.nails'));
  if (linear)
    writeFileSync(
      path.join(dir, 'linear.json'),
      `${JSON.stringify(linear, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1)}\n`,
    );
  writeFileSync(path.join(dir, 'model.json'), `${JSON.stringify(model, null, 1)}\n`);
  writeFileSync(
    path.join(dir, 'report.json'),
    `${JSON.stringify({ format: REPORT_FORMAT, ...report }, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`,
  );
  const h = ['iteration,loss,lambda,alpha,primal,dual,accepted,elapsed_s'];
  for (const r of report.history)
    h.push(
      [
        r.iteration,
        r.value,
        r.lambda ?? '',
        r.alpha ?? '',
        r.primal ?? '',
        r.dual ?? '',
        r.accepted ? 1 : 0,
        r.elapsed,
      ].join(','),
    );
  writeFileSync(path.join(dir, 'history.csv'), `${h.join('\n')}\n`);
  mkdirSync(path.join(dir, 'predictions'), { recursive: true });
  for (const p of predictions) {
    writePredictions(path.join(dir, 'predictions', `${p.name}.csv`), p.yhat, p.ny, p.y);
    if (p.yhat.length / p.ny > PREDICTION_BINARY_ROWS)
      writePredictionColumns(path.join(dir, 'predictions', `${p.name}.f64`), p.yhat, p.ny, p.y);
  }
}

/** Parts longer than this also get their predictions as binary columns (`<part>.f64`). */
export const PREDICTION_BINARY_ROWS = 200_000;

/**
 * The predictions CSV's columns (k, y1…y_ny, yhat1…yhat_ny) as little-endian float64, column
 * after column (N values each; `yhat` and `y` are N × ny, row-major).
 */
export function writePredictionColumns(
  file: string,
  yhat: Float64Array,
  ny: number,
  y: Float64Array,
): void {
  const N = yhat.length / ny;
  // Column after column through one reused block (a 1e6-sample part is 24 MB: never one array).
  const block = new Float64Array(Math.min(N, COLUMN_BLOCK));
  const bytes = new Uint8Array(block.buffer);
  const fd = openSync(file, 'w');
  try {
    const column = (at: (k: number) => number) => {
      for (let k0 = 0; k0 < N; k0 += block.length) {
        const n = Math.min(block.length, N - k0);
        for (let i = 0; i < n; i++) block[i] = at(k0 + i);
        writeSync(fd, bytes, 0, n * 8);
      }
    };
    column((k) => k);
    for (let c = 0; c < ny; c++) column((k) => y[k * ny + c]!);
    for (let c = 0; c < ny; c++) column((k) => yhat[k * ny + c]!);
  } finally {
    closeSync(fd);
  }
}

/** Samples per block written by writePredictionColumns (64 kB). */
const COLUMN_BLOCK = 8192;

/**
 * A predictions CSV: `k, y1…y_ny, yhat1…yhat_ny` (engineering units), or `k, yhat…` when no
 * measured output is given. `yhat` and `y` are N × ny, row-major. Written in chunks of
 * PREDICTION_CHUNK bytes (a 1e6-sample part is 40 MB of text, never one string).
 */
export function writePredictions(
  file: string,
  yhat: Float64Array,
  ny: number,
  y?: Float64Array,
): void {
  const head = [
    'k',
    ...(y ? Array.from({ length: ny }, (_, c) => `y${c + 1}`) : []),
    ...Array.from({ length: ny }, (_, c) => `yhat${c + 1}`),
  ];
  const N = yhat.length / ny;
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${head.join(',')}\n`);
    const buf = Buffer.allocUnsafe(PREDICTION_CHUNK);
    let used = 0;
    const row: number[] = new Array<number>(head.length).fill(0);
    for (let k = 0; k < N; k++) {
      row[0] = k;
      let finite = true;
      let i = 1;
      if (y)
        for (let c = 0; c < ny; c++)
          finite = Number.isFinite((row[i++] = y[k * ny + c]!)) && finite;
      for (let c = 0; c < ny; c++)
        finite = Number.isFinite((row[i++] = yhat[k * ny + c]!)) && finite;
      // JSON.stringify formats numbers exactly as String() does but without V8's number-string
      // cache, whose entries outlive young-generation collections: String() on 4e6 values grew
      // the old generation by ~100 MB of garbage before a full collection. "[k,…]" loses its
      // brackets below. JSON writes non-finite values as null: such rows use String().
      const text = finite ? JSON.stringify(row) : `[${row.join(',')}]`;
      if (used + text.length > buf.length) {
        writeSync(fd, buf, 0, used);
        used = 0;
      }
      if (text.length > buf.length) {
        writeSync(fd, `${text.slice(1, -1)}\n`);
        continue;
      }
      const n = buf.write(text, used, 'latin1'); // digits, '-', '.', 'e', NaN, Infinity: ASCII
      buf.copyWithin(used, used + 1, used + n - 1); // drop '[' and ']'
      buf[used + n - 2] = 0x0a;
      used += n - 1;
    }
    if (used > 0) writeSync(fd, buf, 0, used);
  } finally {
    closeSync(fd);
  }
}

/** Bytes of a predictions CSV written at a time. */
const PREDICTION_CHUNK = 1 << 16;

/** The predictions file name (without .csv) of a part: `<kind>-<name>`, safe for a file system. */
export function predictionName(kind: string, name: string): string {
  return `${kind}-${name}`.replace(/[^\w.-]/g, '_');
}

/** Reads model.json of a run folder, checked (run-folder-schema.ts); errors name file and field. */
export function readSavedModel(dir: string): SavedModel {
  const file = path.join(dir, 'model.json');
  if (!existsSync(file))
    throw new NailsError(`${dir} is not a run folder: it has no model.json`, dir);
  const m = checkRunFile(
    savedModelSchema,
    readJson(file),
    file,
    MODEL_FORMAT,
  ) as unknown as SavedModel;
  // Relative folders are relative to the run folder; absolute ones (older runs) stay as they are.
  const abs = (p: string) => path.resolve(dir, p);
  return { ...m, specDir: abs(m.specDir ?? '.'), dataDirs: (m.dataDirs ?? []).map(abs) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new NailsError(`${file} is not valid JSON (${(e as Error).message})`, file);
  }
}

/** A folder as written into model.json: relative to the run folder, with forward slashes. */
export function runRelative(runDir: string, folder: string): string {
  return path.relative(path.resolve(runDir), path.resolve(folder)).split(path.sep).join('/') || '.';
}

/**
 * report.json of a run folder, checked (run-folder-schema.ts); undefined when there is none. A
 * report that is not JSON or has a missing or mistyped field throws, naming the file and field.
 * Numbers that were not finite come back as null (or, from older folders, "NaN"/"Infinity").
 */
export function readReport(dir: string): RunReport | undefined {
  const file = path.join(dir, 'report.json');
  if (!existsSync(file)) return undefined;
  const json = readJson(file);
  const versioned = (json as { format?: unknown } | null)?.format !== undefined;
  const schema = versioned ? runReportSchema : legacyReportSchema;
  return checkRunFile(schema, json, file, REPORT_FORMAT) as unknown as RunReport;
}
