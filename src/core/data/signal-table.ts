/**
 * What a data file holds, independent of its format: named numeric signals (MAT variables or CSV
 * columns) with their shapes. Vectors (1 × N or N × 1) are what experiments are built from.
 */
import { NailsError } from '../errors.js';
import { channelProblem, channelValues } from './channel.js';
import type { CsvTable } from './csv-file.js';
import type { MatValue } from './mat-file.js';

export interface Signal {
  rows: number;
  cols: number;
  /** rows × cols values, column-major (as MATLAB stores them). */
  values: Float64Array;
}

export interface SignalTable {
  /** The file the signals came from (for messages). */
  source: string;
  signals: Map<string, Signal>;
  /** Variables present but not numeric (char, struct, cell, sparse), by name → class. */
  other: Map<string, string>;
  /** Something to add when a name is not found (e.g. how a headerless CSV's columns are named). */
  namingHint?: string;
  /** What the file is, e.g. 'MATLAB v4 MAT-file (Level 4)', 'text table (whitespace-separated)'. */
  format?: string;
}

/** How to name the columns of a CSV file without a header row. */
export function headerlessHint(names: readonly string[]): string {
  return `the file has no header row, so its columns are named ${names.join(', ')}; use those names, or add a first row that names the columns${names.length === 2 ? ' (e.g. u,y)' : ''}`;
}

export function tableFromMat(vars: Map<string, MatValue>, source: string): SignalTable {
  const signals = new Map<string, Signal>();
  const other = new Map<string, string>();
  for (const [name, v] of vars) {
    if (v.kind === 'numeric' && v.dims.length === 2) {
      signals.set(name, { rows: v.dims[0]!, cols: v.dims[1]!, values: v.re });
    } else
      other.set(
        name,
        v.kind === 'numeric'
          ? `${v.dims.length}-D array`
          : v.kind === 'unsupported'
            ? v.className
            : v.kind,
      );
  }
  return { source, signals, other };
}

export function tableFromCsv(csv: CsvTable, source: string): SignalTable {
  const signals = new Map<string, Signal>();
  for (const name of csv.names) {
    const values = csv.columns.get(name)!;
    signals.set(name, { rows: values.length, cols: 1, values });
  }
  return {
    source,
    signals,
    other: new Map(),
    ...(csv.headerless ? { namingHint: headerlessHint(csv.names) } : {}),
  };
}

/** The named signal as a vector; errors say which names exist (and the nearest one). */
export function getVector(table: SignalTable, name: string): Float64Array {
  return pickVector(table, name);
}

/** The named signal; errors say which names exist (and the nearest one). */
export function getSignal(table: SignalTable, name: string): Signal {
  const s = table.signals.get(name);
  if (s) return s;
  if (table.other.has(name)) {
    throw new NailsError(
      `${table.source}: '${name}' is a ${table.other.get(name)!}, not a numeric vector`,
      name,
    );
  }
  const names = [...table.signals.keys()];
  const near = nearest(name, names);
  throw new NailsError(
    table.namingHint
      ? `${table.source} has no ${table.format?.startsWith('NumPy') ? 'array' : 'column'} '${name}': ${table.namingHint}`
      : `${table.source} has no variable or column '${name}'${near ? ` (did you mean '${near}'?)` : ''}; it has: ${names.join(', ') || 'nothing numeric'}`,
    name,
  );
}

/**
 * One signal as a vector: `name` itself when it is a vector (1 × N or N × 1), or, with `index`
 * k (1-based, as MATLAB counts), row k of an r × N matrix (r < N, e.g. 3 accelerometer axes ×
 * N samples) or column k of an N × c matrix (c < N). The samples run along the longer dimension;
 * a square matrix is ambiguous and refused. Without an index a matrix is an error that says how to
 * write the pick in a spec (`input Acceleration[2]`).
 * @returns the N samples (a view for vectors and columns, a copy for rows).
 */
export function pickVector(table: SignalTable, name: string, index?: number): Float64Array {
  const s = getSignal(table, name);
  const problem = channelProblem(s, name, index);
  if (problem) throw new NailsError(`${table.source}: ${problem}`, name);
  return channelValues(s, name, index);
}

/** The closest name by edit distance, if reasonably close. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
