/**
 * The latest run of a spec and its headline metric, for the code lens above the spec: run
 * folders are `runs/<experiment>-<YYYYMMDD>-<HHMMSS>[-n]/` beside the spec (src/io/run-folder.ts
 * `newRunFolder`), each with its report.json. Reports are read once per modification time.
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { readReport, type RunReport } from '../../io/run-folder.js';

export interface LastRun {
  runDir: string;
  /** e.g. `last run: test RMSE 0.275 V (2026-12-05 14:03)` */
  title: string;
}

const STOPPED_SHORT = new Set(['cancelled', 'diverged', 'degenerate']);

/** A number as the lens shows it: 3 significant digits, no exponent for ordinary sizes. */
function short(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/**
 * `test RMSE 0.275 V` (each output; the spec's metric unit when it has one), or `test accuracy …`
 * for a classification; the stop reason when the run did not end normally. Reports from before
 * the schema may lack fields (every field is optional there): then less is said.
 */
export function headline(report: RunReport): string {
  const parts: Partial<RunReport['parts'][number]>[] = report.parts ?? [];
  const part =
    parts.find((p) => p.kind === 'test') ??
    parts.find((p) => p.kind === 'validation') ??
    parts.find((p) => p.kind === 'train');
  const status = STOPPED_SHORT.has(report.status) ? ` · ${report.status}` : '';
  const what = report.classification ? 'accuracy' : 'RMSE';
  if (!part) return report.status ?? 'no metrics';
  const metrics = part.metrics ?? [];
  const values = report.classification
    ? metrics.map((m) => m.accuracy)
    : (part.metric?.rmse ?? metrics.map((m) => m.rmse));
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const name = part.name ?? part.kind ?? 'part';
  if (finite.length === 0 || finite.length !== values.length)
    return `${name} ${what} not finite${status}`;
  const unit = (c: number): string => {
    if (report.classification) return ' %';
    const u = part.metric ? part.metric.unit : part.units?.[c];
    return u ? ` ${u}` : '';
  };
  const shown = finite.slice(0, 3).map((v, c) => `${short(v)}${unit(c)}`);
  const more = finite.length > 3 ? ', …' : '';
  return `${name} ${what} ${shown.join(', ')}${more}${status}`;
}

/** `2026-12-05 14:03` from a run folder's time stamp `20261205-140312`. */
function when(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)} ${stamp.slice(9, 11)}:${stamp.slice(11, 13)}`;
}

/** Finds the latest readable run of a spec; caches each report's headline by its mtime. */
export class LastRunFinder {
  private readonly cache = new Map<string, { mtimeMs: number; headline: string | undefined }>();

  /** The latest run of `experiment` beside `specFile` with a readable report, if any. */
  find(specFile: string, experiment: string): LastRun | undefined {
    const runsDir = path.join(path.dirname(specFile), 'runs');
    let names: string[];
    try {
      names = readdirSync(runsDir);
    } catch {
      return undefined;
    }
    const escaped = experiment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`^${escaped}-(\\d{8}-\\d{6})(?:-(\\d+))?$`);
    const runs = names
      .map((n) => ({ n, m: re.exec(n) }))
      .filter((r): r is { n: string; m: RegExpExecArray } => r.m !== null)
      .sort((a, b) => b.m[1]!.localeCompare(a.m[1]!) || Number(b.m[2] ?? 1) - Number(a.m[2] ?? 1));
    for (const { n, m } of runs) {
      const runDir = path.join(runsDir, n);
      const h = this.headlineOf(runDir);
      if (h !== undefined) return { runDir, title: `last run: ${h} (${when(m[1]!)})` };
    }
    return undefined;
  }

  private headlineOf(runDir: string): string | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path.join(runDir, 'report.json')).mtimeMs;
    } catch {
      return undefined; // still training, or not a run folder
    }
    const hit = this.cache.get(runDir);
    if (hit && hit.mtimeMs === mtimeMs) return hit.headline;
    let h: string | undefined;
    try {
      const report = readReport(runDir);
      h = report ? headline(report) : undefined;
    } catch {
      h = undefined; // unreadable report: an older run is shown instead
    }
    this.cache.set(runDir, { mtimeMs, headline: h });
    return h;
  }
}
