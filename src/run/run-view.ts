/**
 * Reads a run folder into the view model of the results panel (run in the extension's job thread,
 * src/jobs; the panel receives the view through src/protocol).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { SparsityReport } from '../core/admm/sparsity.js';
import {
  PREDICTION_BINARY_ROWS,
  predictionName,
  readReport,
  type RunReport,
} from '../io/run-folder.js';
import type { IterationRecord } from '../core/solver/types.js';
import type {
  ConvergencePoint,
  PartRows,
  PartView,
  RunView,
} from '../protocol/webview-messages.js';
import { minMaxRows } from '../protocol/min-max-rows.js';
import { readPredictionColumns, type PredictionColumns } from './prediction-rows.js';

/**
 * Parts up to this many samples are sent whole; longer ones as an overview (min/max rows), read
 * from the binary columns the trainer writes for them.
 */
export const FULL_RESOLUTION = PREDICTION_BINARY_ROWS;
/** Buckets of the overview of a longer part (a few per pixel of the widest chart). */
export const OVERVIEW_BUCKETS = 4096;
/** The widest chart a range is read for, in pixels. */
const MAX_PIXELS = 8192;

/**
 * A number of report.json: non-finite numbers are stored as strings ("NaN", "Infinity") or, in
 * newer run folders, as null; both read back as NaN / ±∞.
 */
function num(v: unknown): number {
  return v === null || v === undefined ? NaN : Number(v);
}

export function readRunView(runDir: string): RunView {
  // Checked on reading: a corrupted report.json is one line naming the file and the field.
  const report = readReport(runDir) as
    | (RunReport & {
        admm?: { report?: SparsityReport };
        /** Whether the outputs are binary (written by newer versions of train). */
        classification?: boolean;
      })
    | undefined;
  if (!report) throw new Error(`${runDir} has no report.json`);
  const predDir = path.join(runDir, 'predictions');
  const parts: PartView[] = report.parts.map((p) => {
    const file = path.join(predDir, `${predictionName(p.kind, p.name)}.csv`);
    const cols: PredictionColumns = existsSync(file)
      ? readPredictionColumns(file)
      : { header: [], columns: [], rows: 0 };
    // Header: k, y1…y_ny, yhat1…yhat_ny.
    const ny = cols.header.length > 0 ? (cols.header.length - 1) / 2 : p.metrics.length;
    const outputs = Array.from({ length: ny }, (_, c) => {
      const unit = p.units?.length === ny ? p.units[c] : undefined;
      return {
        name: p.outputs?.length === ny ? p.outputs[c]! : `y${c + 1}`,
        ...(unit ? { unit } : {}),
      };
    });
    const view: PartView = {
      kind: p.kind,
      name: p.name,
      N: p.N ?? cols.rows,
      nInit: p.nInit,
      outputs,
      metrics: p.metrics.map((m) => ({
        rmse: num(m.rmse),
        nrmse: num(m.nrmse),
        r2: num(m.r2),
        fit: num(m.fit),
        accuracy: num(m.accuracy),
      })),
      ...(cols.rows > FULL_RESOLUTION ? { overview: true } : {}),
      ...rowsOf(cols, ny, 0, cols.rows, cols.rows > FULL_RESOLUTION ? OVERVIEW_BUCKETS : Infinity),
    };
    return view;
  });
  return {
    title: path.basename(runDir),
    runDir,
    method: report.method,
    status: report.status,
    message: report.message,
    value: num(report.value),
    iterations: report.iterations,
    wallSeconds: report.wallSeconds ?? report.elapsed,
    ...(typeof report.Ts === 'number' ? { Ts: report.Ts } : {}),
    ...(typeof report.classification === 'boolean'
      ? { classification: report.classification }
      : {}),
    ...(report.admm?.report
      ? {
          nonZeros: report.admm.report.nonZeros,
          parameters: report.admm.report.parameters,
          blocks: report.admm.report.blocks,
          removableStates: report.admm.report.removableStates,
        }
      : {}),
    history: report.history.filter((h) => h.accepted).map(toConvergencePoint),
    parts,
  };
}

/** The rows [from, to) of a part's columns to draw on `buckets` pixel columns (see minMaxRows). */
function rowsOf(
  cols: PredictionColumns,
  ny: number,
  from: number,
  to: number,
  buckets: number,
): Pick<PartView, 'k' | 'y' | 'yhat'> {
  const c = cols.columns;
  const rows = minMaxRows(c.slice(1, 1 + 2 * ny), from, to, buckets);
  const pick = (col: Float64Array | undefined) => rows.map((r) => col?.[r] ?? NaN);
  return {
    k: pick(c[0]),
    y: Array.from({ length: ny }, (_, ch) => pick(c[1 + ch])),
    yhat: Array.from({ length: ny }, (_, ch) => pick(c[1 + ny + ch])),
  };
}

/**
 * The rows of part `part` of a run whose sample index k is in [from, to], for a chart zoomed to
 * that range on `pixels` columns: every row when there are at most 2 per pixel, else min/max rows.
 */
export function readRunRange(
  runDir: string,
  part: number,
  from: number,
  to: number,
  pixels: number,
): PartRows {
  const report = readReport(runDir);
  const p = report?.parts[part];
  if (!p) throw new Error(`${runDir} has no part ${part}`);
  const file = path.join(runDir, 'predictions', `${predictionName(p.kind, p.name)}.csv`);
  const cols = readPredictionColumns(file);
  const ny = (cols.header.length - 1) / 2;
  const k = cols.columns[0]!;
  // k is ascending (the sample index): the rows of [from, to] by bisection.
  const bound = (v: number, after: boolean) => {
    let lo = 0;
    let hi = cols.rows;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (k[mid]! < v || (after && k[mid] === v)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // One row beyond each end, so that lines run to the plot's edges.
  const a = Math.max(0, bound(from, false) - 1);
  const b = Math.min(cols.rows, bound(to, true) + 1);
  // The view says how wide it is; no wider than a large screen (the answer stays small).
  return rowsOf(cols, ny, a, b, Math.min(Math.max(1, pixels), MAX_PIXELS));
}

/** An iteration record as the convergence charts need it (report.json stores non-finite numbers as strings). */
export function toConvergencePoint(h: IterationRecord): ConvergencePoint {
  return {
    iteration: h.iteration,
    value: num(h.value),
    elapsed: h.elapsed,
    ...(h.lambda !== undefined ? { lambda: h.lambda } : {}),
    ...(h.alpha !== undefined ? { alpha: h.alpha } : {}),
    ...(h.primal !== undefined ? { primal: h.primal } : {}),
    ...(h.dual !== undefined ? { dual: h.dual } : {}),
  };
}
