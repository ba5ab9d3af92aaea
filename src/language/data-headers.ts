/**
 * What the language server knows about a data file: its signals with their shapes and ranges,
 * read once per file version (path, size, modification time) and cached.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import type { SignalTable } from '../core/data/signal-table.js';
import { readSignalTable } from '../io/data-files.js';

export interface SignalInfo {
  name: string;
  rows: number;
  cols: number;
  /** Samples when the signal is a vector. */
  length: number;
  min: number;
  max: number;
  /** The samples (rows × cols, column-major; a matrix's rows/columns are picked by `name[k]`). */
  values: Float64Array;
}

/** What the checks need to know of a vector signal over [start, end). */
export interface RangeStats {
  /** Non-finite samples (NaN, ±Inf) and the first one's index in the record (-1 if none). */
  nonFinite: number;
  firstNonFinite: number;
  /** Finite min and max (equal: the signal is constant there). */
  min: number;
  max: number;
}

export function rangeStats(s: SignalInfo, range?: readonly [number, number]): RangeStats {
  const [a, b] = range ?? [0, s.values.length];
  let nonFinite = 0;
  let firstNonFinite = -1;
  let min = Infinity;
  let max = -Infinity;
  for (let k = a; k < Math.min(b, s.values.length); k++) {
    const v = s.values[k]!;
    if (!Number.isFinite(v)) {
      if (nonFinite++ === 0) firstNonFinite = k;
    } else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { nonFinite, firstNonFinite, min, max };
}

export interface DataHeader {
  file: string;
  signals: Map<string, SignalInfo>;
  /** How the file names its signals when that is not obvious (a CSV without a header row). */
  namingHint?: string;
}

/**
 * Per file: the version read (size and modification time), its table and header (which share the
 * table's arrays), or the read error. The compiler takes the table from here (`readDataTable`),
 * so a spec checked and then trained reads its data file once and holds it once.
 */
const cache = new Map<
  string,
  { key: string; table?: SignalTable; header?: DataHeader; error?: NailsError }
>();

/** Resolves a file name against the spec's folder, then each data directory; undefined if absent. */
export function resolveDataPath(
  file: string,
  specDir: string,
  dataDirs: readonly string[],
): { found?: string; tried: string[] } {
  const tried: string[] = [];
  for (const base of [specDir, ...dataDirs]) {
    const full = path.resolve(base, file);
    tried.push(full);
    if (existsSync(full) && statSync(full).isFile()) return { found: full, tried };
  }
  return { tried };
}

/**
 * The header of a data file (cached); throws NailsError when the file cannot be read. A read
 * error is cached too, so that a damaged file (which may take seconds to reject, e.g. a v7.3 file
 * the HDF5 library loops on) is not read again on every keystroke until it changes.
 */
export function readHeader(file: string): DataHeader {
  return cachedEntry(file).header;
}

/** The signal table of a data file (cached with its header; see `readHeader`). */
export function readDataTable(file: string): SignalTable {
  return cachedEntry(file).table;
}

function cachedEntry(file: string): { table: SignalTable; header: DataHeader } {
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(file);
  if (hit && hit.key === key) {
    if (hit.error) throw hit.error;
    return { table: hit.table!, header: hit.header! };
  }
  let table: SignalTable;
  try {
    table = readSignalTable(file);
  } catch (e) {
    if (e instanceof NailsError) cache.set(file, { key, error: e });
    throw e;
  }
  const header = headerOf(table, file);
  cache.set(file, { key, table, header });
  return { table, header };
}

/** Shapes and ranges of a table's signals (their values are the table's arrays, not copies). */
function headerOf(table: SignalTable, file: string): DataHeader {
  const signals = new Map<string, SignalInfo>();
  for (const [name, s] of table.signals) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of s.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    signals.set(name, {
      name,
      rows: s.rows,
      cols: s.cols,
      length: s.rows === 1 || s.cols === 1 ? s.rows * s.cols : 0,
      min,
      max,
      values: s.values,
    });
  }
  return { file, signals, ...(table.namingHint ? { namingHint: table.namingHint } : {}) };
}

export function describeSignal(s: SignalInfo, Ts?: number): string {
  const shape =
    s.length > 0
      ? `${s.length.toLocaleString('en')} samples, 1 channel`
      : `${s.rows}×${s.cols} (not a vector)`;
  const duration =
    Ts && s.length > 0 ? `, ${(s.length * Ts).toPrecision(4)} s at Ts = ${Ts} s` : '';
  return `${shape}${duration}, range ${s.min.toPrecision(4)} … ${s.max.toPrecision(4)}`;
}

export { NailsError };
