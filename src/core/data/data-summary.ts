/**
 * What a data file holds, for `nails data FILE` (and later the extension): per numeric
 * variable/column its shape, finite min/max/mean and NaN/Inf counts; the variables that are not
 * numeric with their class; and the sampling time when the file stores one, saying where from.
 *
 * Sampling time, first match wins (names compared case-insensitively):
 *   `Ts`, `dt`, `T_s`, `Tsample` — a 1×1 value (or a constant vector)  → Ts as stored
 *   `fs`, `Fs`, `fsample`        — a 1×1 value in Hz                  → Ts = 1/fs
 *   `time`, `t`, `Time`, `tout`  — a vector of ≥ 2 time stamps        → Ts = (t[N−1] − t[0])/(N − 1),
 *                                  reported as uniform when every step is within 1e-6·Ts of it
 * NaN/Inf are counted, not rejected: the spec checker reports them where they matter.
 */
import type { SignalTable } from './signal-table.js';

export interface SignalStats {
  name: string;
  rows: number;
  cols: number;
  /** Over the finite values (NaN when there are none). */
  min: number;
  max: number;
  mean: number;
  nan: number;
  inf: number;
}

export interface SamplingTime {
  Ts: number;
  /** How it was inferred, e.g. "variable 'fs' = 100 Hz, Ts = 1/fs". */
  how: string;
}

export interface DataSummary {
  source: string;
  format: string;
  signals: SignalStats[];
  /** Non-numeric variables: name → class (struct, cell, char, sparse, …). */
  other: [string, string][];
  sampling?: SamplingTime;
  namingHint?: string;
}

export function signalStats(
  name: string,
  rows: number,
  cols: number,
  values: Float64Array,
): SignalStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      finite++;
    }
  }
  return finite === 0
    ? { name, rows, cols, min: NaN, max: NaN, mean: NaN, nan, inf }
    : { name, rows, cols, min, max, mean: sum / finite, nan, inf };
}

export function summarizeTable(table: SignalTable): DataSummary {
  const signals = [...table.signals].map(([name, s]) =>
    signalStats(name, s.rows, s.cols, s.values),
  );
  const sampling = inferSamplingTime(table);
  return {
    source: table.source,
    format: table.format ?? 'data file',
    signals,
    other: [...table.other],
    ...(sampling ? { sampling } : {}),
    ...(table.namingHint ? { namingHint: table.namingHint } : {}),
  };
}

const TS_NAMES = ['ts', 'dt', 't_s', 'tsample'];
const FS_NAMES = ['fs', 'fsample'];
const TIME_NAMES = ['time', 't', 'tout'];

export function inferSamplingTime(table: SignalTable): SamplingTime | undefined {
  const find = (names: string[]) =>
    [...table.signals].find(([n]) => names.includes(n.toLowerCase()));
  const ts = find(TS_NAMES);
  if (ts) {
    const [name, s] = ts;
    const v = s.values[0];
    if (v !== undefined && v > 0 && s.values.every((x) => x === v))
      return {
        Ts: v,
        how: `${table.format?.startsWith('text') ? 'column' : 'variable'} '${name}'`,
      };
  }
  const fs = find(FS_NAMES);
  if (fs) {
    const [name, s] = fs;
    const v = s.values[0];
    if (s.values.length === 1 && v !== undefined && v > 0)
      return { Ts: 1 / v, how: `'${name}' = ${fmt(v)} Hz, Ts = 1/${name}` };
  }
  const t = find(TIME_NAMES);
  if (t) {
    const [name, s] = t;
    const n = s.values.length;
    if ((s.rows === 1 || s.cols === 1) && n >= 2) {
      const Ts = (s.values[n - 1]! - s.values[0]!) / (n - 1);
      if (Ts > 0) {
        let worst = 0;
        for (let i = 1; i < n; i++)
          worst = Math.max(worst, Math.abs(s.values[i]! - s.values[i - 1]! - Ts));
        const uniform = worst <= 1e-6 * Ts;
        return {
          Ts,
          how: `time stamps '${name}': ${n} samples from ${fmt(s.values[0]!)} to ${fmt(s.values[n - 1]!)}, ${uniform ? 'uniformly spaced' : `NOT uniform (steps differ from the mean by up to ${fmt(worst)})`}`,
        };
      }
    }
  }
  return undefined;
}

/** Six significant digits, without trailing zeros. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

/** The summary as lines of text (what `nails data FILE` prints). */
export function formatDataSummary(s: DataSummary): string[] {
  const out = [`${s.source}: ${s.format}`];
  const w = Math.max(4, ...s.signals.map((x) => x.name.length), ...s.other.map(([n]) => n.length));
  for (const x of s.signals) {
    const shape = `${x.rows}×${x.cols}`;
    const stats =
      x.rows * x.cols === 0
        ? 'empty'
        : `min ${fmt(x.min)}  max ${fmt(x.max)}  mean ${fmt(x.mean)}  NaN ${x.nan}  Inf ${x.inf}`;
    const pick =
      x.rows > 1 && x.cols > 1 && x.rows !== x.cols
        ? `  (${x.rows < x.cols ? 'rows' : 'columns'} are channels: ${x.name}[1] … ${x.name}[${Math.min(x.rows, x.cols)}])`
        : '';
    out.push(`  ${x.name.padEnd(w)}  ${shape.padEnd(11)} ${stats}${pick}`);
  }
  if (s.signals.length === 0) out.push('  (no numeric variables)');
  for (const [name, cls] of s.other) out.push(`  ${name.padEnd(w)}  not numeric: ${cls}`);
  out.push(
    s.sampling
      ? `  sampling time: Ts = ${fmt(s.sampling.Ts)} s, from ${s.sampling.how}`
      : '  sampling time: not stored (no variable or column named Ts, dt, fs, time or t)',
  );
  if (s.namingHint) out.push(`  note: ${s.namingHint}`);
  return out;
}
