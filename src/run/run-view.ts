/**
 * Reads a run folder into the view model of the results panel (run in the extension's job thread,
 * src/jobs; the panel receives the view through src/protocol).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SparsityReport } from '../core/admm/sparsity.js';
import { predictionName, readReport, type RunReport } from '../io/run-folder.js';
import type { IterationRecord } from '../core/solver/types.js';
import type { ConvergencePoint, PartView, RunView } from '../protocol/webview-messages.js';

const MAX_POINTS = 200_000;

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
    const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
    // Header: k, y1…y_ny, yhat1…yhat_ny.
    const ny = lines.length > 0 ? (lines[0]!.split(',').length - 1) / 2 : p.metrics.length;
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
      N: p.N ?? Math.max(0, lines.length - 1),
      nInit: p.nInit,
      outputs,
      metrics: p.metrics.map((m) => ({
        rmse: num(m.rmse),
        nrmse: num(m.nrmse),
        r2: num(m.r2),
        fit: num(m.fit),
        accuracy: num(m.accuracy),
      })),
      k: [],
      y: Array.from({ length: ny }, () => []),
      yhat: Array.from({ length: ny }, () => []),
    };
    const stride = Math.max(1, Math.ceil((lines.length - 1) / MAX_POINTS));
    for (let i = 1; i < lines.length; i += stride) {
      const c = lines[i]!.split(',').map(Number);
      view.k.push(c[0]!);
      for (let ch = 0; ch < ny; ch++) {
        view.y[ch]!.push(c[1 + ch]!);
        view.yhat[ch]!.push(c[1 + ny + ch]!);
      }
    }
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
