/**
 * A run's predictions for the results panel: the CSV (`k, y1…y_ny, yhat1…yhat_ny`) parsed in one
 * pass into columns and kept for the last few files (zooming asks for ranges of the same file),
 * and the rows to send for a sample range — all of them when there are few, else per bucket the
 * first and last row and the rows where each series has its minimum and maximum (rows stay whole,
 * so measured and simulated values stay paired and every extreme of every series is drawn).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

export interface PredictionColumns {
  /** Column names of the header. */
  header: string[];
  /** One array per column, `rows` long (NaN where a cell is empty or not a number). */
  columns: Float64Array[];
  rows: number;
}

const cache = new Map<string, { key: string; value: PredictionColumns }>();
/** Files kept parsed (a 1e6-sample, one-output part is 24 MB of columns). */
const CACHED_FILES = 2;

/**
 * A predictions CSV as columns (cached by path, size and modification time): from the binary
 * columns beside it (`<part>.f64`, written for long parts) when they are there and as new, else
 * parsed from the CSV.
 */
export function readPredictionColumns(file: string): PredictionColumns {
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(file);
  if (hit?.key === key) return hit.value;
  const value = readBinaryColumns(file, st.mtimeMs) ?? parseColumns(readFileSync(file));
  cache.delete(file);
  cache.set(file, { key, value });
  while (cache.size > CACHED_FILES) cache.delete(cache.keys().next().value!);
  return value;
}

/** The `.f64` columns beside a predictions CSV, if present, as new and of the CSV's width. */
function readBinaryColumns(csv: string, csvMtime: number): PredictionColumns | undefined {
  const bin = csv.replace(/\.csv$/, '.f64');
  if (bin === csv || !existsSync(bin) || statSync(bin).mtimeMs < csvMtime) return undefined;
  const head = Buffer.alloc(4096);
  const fd = openSync(csv, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const end = head.subarray(0, n).indexOf(10);
  if (end < 0) return undefined;
  const header = head.subarray(0, end).toString('latin1').trim().split(',');
  const bytes = readFileSync(bin);
  const values = bytes.length / 8;
  const rows = values / header.length;
  if (!Number.isInteger(rows)) return undefined;
  // A Float64Array needs 8-byte alignment: copy when the buffer is not aligned.
  const aligned =
    bytes.byteOffset % 8 === 0
      ? new Float64Array(bytes.buffer, bytes.byteOffset, values)
      : new Float64Array(new Uint8Array(bytes).buffer);
  const columns = header.map((_, c) => aligned.subarray(c * rows, (c + 1) * rows));
  return { header, columns, rows };
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * CSV bytes with a header row into columns, in one scan of the bytes (no string of the file, no
 * array of lines: a 1e6-row file is 46 MB). A number of at most 15 significant digits and a
 * decimal exponent within ±22 is read exactly (Clinger's fast path: one correctly rounded
 * product or quotient of exact values); one with 16–17 digits, as the trainer writes most values,
 * within about one unit in the last place — the panel only draws them; anything else (NaN,
 * Infinity, long exponents) through Number().
 */
export function parseColumns(bytes: Uint8Array): PredictionColumns {
  const n = bytes.length;
  let end = bytes.indexOf(10);
  if (end < 0) end = n;
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, end)
    .toString('latin1')
    .trim()
    .split(',');
  let rows = 0;
  for (let i = end + 1; i < n;) {
    let j = bytes.indexOf(10, i);
    if (j < 0) j = n;
    if (j > i && !(j === i + 1 && bytes[i] === 13)) rows++;
    i = j + 1;
  }
  const columns = header.map(() => new Float64Array(rows).fill(NaN));
  let r = 0;
  let c = 0;
  let i = end + 1;
  let lineHasData = false;
  while (i < n && r < rows) {
    const ch = bytes[i]!;
    if (ch === 10 || ch === 13) {
      if (lineHasData) r++;
      lineHasData = false;
      c = 0;
      i++;
      continue;
    }
    lineHasData = true;
    if (ch === 44) {
      c++;
      i++;
      continue;
    }
    const v = parseField(bytes, i);
    if (c < columns.length) columns[c]![r] = v;
    i = fieldEnd;
    if (bytes[i] === 44) {
      c++;
      i++;
    }
  }
  return { header, columns, rows };
}

/** Where the field read by parseField ended (its ',', line end or the end of the bytes). */
let fieldEnd = 0;

/** The number of the field that starts at `start`; sets fieldEnd. */
function parseField(b: Uint8Array, start: number): number {
  const end = b.length;
  let i = start;
  const negative = b[i] === 45;
  if (negative || b[i] === 43) i++;
  let m = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  let d = b[i]! - 48;
  for (; i < end && d >= 0 && d <= 9; d = b[++i]! - 48, any = true)
    if (digits > 0 || d !== 0) {
      m = m * 10 + d;
      digits++;
    }
  if (i < end && b[i] === 46)
    for (d = b[++i]! - 48; i < end && d >= 0 && d <= 9; d = b[++i]! - 48, any = true) {
      if (digits > 0 || d !== 0) {
        m = m * 10 + d;
        digits++;
      }
      scale--;
    }
  let ok = any;
  if (any && i < end && (b[i] === 101 || b[i] === 69)) {
    i++;
    const eNeg = b[i] === 45;
    if (eNeg || b[i] === 43) i++;
    let e = 0;
    const e0 = i;
    for (; i < end && b[i]! >= 48 && b[i]! <= 57; i++) e = e * 10 + (b[i]! - 48);
    ok = i > e0;
    scale += eNeg ? -e : e;
  }
  const stop = b[i];
  if (ok && (i === end || stop === 44 || stop === 10 || stop === 13) && digits <= 17) {
    if (scale >= -22 && scale <= 22) {
      fieldEnd = i;
      const v = scale >= 0 ? m * POW10[scale]! : m / POW10[-scale]!;
      return negative ? -v : v;
    }
  }
  // Anything else (NaN, Infinity, long exponents, stray text): the field through Number().
  while (i < end && b[i] !== 44 && b[i] !== 10 && b[i] !== 13) i++;
  fieldEnd = i;
  return Number(Buffer.from(b.buffer, b.byteOffset + start, i - start).toString('latin1'));
}
