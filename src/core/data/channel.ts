/**
 * One channel of a data variable: a vector as it is, or row/column k (1-based, as MATLAB users
 * count) of a matrix whose longer dimension runs over time — `Acceleration[2]` is row 2 of the
 * F-16 benchmark's 3 × 73728 `Acceleration`, or column 2 of an N × 3 matrix.
 */
import { NailsError } from '../errors.js';
import type { Signal } from './signal-table.js';

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

/**
 * Why `name[index]` does not select one channel of `s`, or undefined when it does. Without an
 * index only a vector is one channel; the message shows how to pick one of a matrix.
 */
export function channelProblem(
  s: Pick<Signal, 'rows' | 'cols'>,
  name: string,
  index?: number,
): string | undefined {
  const { channels, byRow } = channelShape(s);
  if (index === undefined) {
    if (channels === 1) return undefined;
    return `'${name}' is ${s.rows}×${s.cols}, not a vector; pick one ${byRow ? 'row' : 'column'}: ${name}[1] … ${name}[${channels}]`;
  }
  if (!Number.isInteger(index) || index < 1 || index > channels)
    return channels === 1
      ? `'${name}' is a vector (${s.rows}×${s.cols}); only ${name}[1] or plain ${name} selects it`
      : `'${name}' is ${s.rows}×${s.cols}: ${byRow ? 'rows' : 'columns'} are numbered 1 … ${channels}, not ${index}`;
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
