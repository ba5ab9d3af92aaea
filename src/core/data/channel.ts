/**
 * One channel of a data variable: a vector as it is, or row/column k (1-based, as MATLAB users
 * count) of a matrix whose longer dimension runs over time — `Acceleration[2]` is row 2 of the
 * F-16 benchmark's 3 × 73728 `Acceleration`, or column 2 of an N × 3 matrix.
 */
import { NailsError } from '../errors.js';

/** A variable's shape and values (rows × cols, column-major), as a signal table holds it. */
interface Signal {
  rows: number;
  cols: number;
  values: Float64Array;
}

/** How many channels a variable holds (1 for a vector) and how long each is. */
export function channelShape(s: Pick<Signal, 'rows' | 'cols'>): {
  channels: number;
  length: number;
  /** Channels are rows (r × N with r < N) rather than columns. */
  byRow: boolean;
} {
  if (s.rows === 1 || s.cols === 1) return { channels: 1, length: s.rows * s.cols, byRow: false };
  const byRow = s.rows < s.cols;
  return { channels: byRow ? s.rows : s.cols, length: byRow ? s.cols : s.rows, byRow };
}

/** The spec's spelling of a channel: `name` or `name[k]`. */
export function channelLabel(name: string, index?: number): string {
  return index === undefined ? name : `${name}[${index}]`;
}

/** The inverse of `channelLabel`: `name[k]` → name and k, `name` → name. */
export function parseChannelLabel(label: string): { name: string; index?: number } {
  const m = /^(.+)\[(\d+)\]$/.exec(label.trim());
  return m ? { name: m[1]!, index: Number(m[2]) } : { name: label.trim() };
}

/**
 * Why `name[index]` does not select one channel of `s`, or undefined when it does. Without an
 * index only a vector is one channel; the message shows how to pick one of a matrix. A square
 * matrix is refused: its samples could run along either dimension.
 */
export function channelProblem(
  s: Pick<Signal, 'rows' | 'cols'>,
  name: string,
  index?: number,
): string | undefined {
  const { rows, cols } = s;
  const { channels, byRow } = channelShape(s);
  const what = byRow ? 'row' : 'column';
  const square = `store it as N × channels or channels × N`;
  if (index === undefined) {
    if (channels === 1) return undefined;
    if (rows === cols)
      return `'${name}' is ${rows}×${cols}, not a vector, and square, so its samples could run along either dimension; ${square}`;
    return `'${name}' is ${rows}×${cols}, not a vector: pick one ${what} with ${name}[1] … ${name}[${channels}] (1-based, e.g. \`input ${name}[1]\`)`;
  }
  if (!Number.isInteger(index) || index < 1)
    return `'${name}'[${index}]: the index counts from 1 (as in MATLAB); use ${name}[1] for the first ${what}`;
  if (channels === 1)
    return index === 1
      ? undefined
      : `'${name}' is a vector (${rows}×${cols}); [${index}] selects a row or column of a matrix, and a vector has only [1]`;
  if (rows === cols)
    return `'${name}' is ${rows}×${cols} (square): [${index}] could be a row or a column; ${square}`;
  if (index > channels)
    return `'${name}' is ${rows}×${cols}: it has ${channels} ${what}s, so [${index}] is out of range; use ${name}[1] … ${name}[${channels}]`;
  return undefined;
}

/**
 * The samples of channel `index` (1-based) of `s` (values column-major, rows × cols): a view for
 * a vector or a column, a copy for a row (stride `rows`). Throws NailsError like `channelProblem`.
 */
export function channelValues(s: Signal, name: string, index?: number): Float64Array {
  const problem = channelProblem(s, name, index);
  if (problem) throw new NailsError(problem, name);
  const { channels, length, byRow } = channelShape(s);
  if (channels === 1) return s.values;
  const k = index! - 1;
  if (!byRow) return s.values.subarray(k * s.rows, (k + 1) * s.rows);
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) out[t] = s.values[t * s.rows + k]!;
  return out;
}
