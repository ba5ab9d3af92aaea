/**
 * What the text readers (CSV/TSV and whitespace-separated) share: the number syntax of a cell,
 * comment lines, how a bad cell is quoted in a message, and a growing Float64Array per column
 * (no array of row arrays, so a million-row file costs 8 bytes a value).
 */

/**
 * The value of a cell, or undefined when it is not a number. Accepts what Number() accepts,
 * `NaN`, `Inf`/`Infinity` (any case, signed), surrounding double quotes, and Fortran exponents
 * `1.0D+00` / `1.0d-3` (DaISy files).
 */
export function parseNumber(cell: string): number | undefined {
  let s = cell;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1).trim();
  if (s === '') return undefined;
  const v = Number(s);
  if (!Number.isNaN(v)) return v;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)[dD][+-]?\d+$/.test(s)) return Number(s.replace(/[dD]/, 'e'));
  return undefined;
}

/** Whether a line is a comment (`%` or `#` first) or blank. */
export function isCommentOrBlank(line: string): boolean {
  const t = line.trimStart();
  return t === '' || t.startsWith('%') || t.startsWith('#');
}

/** A cell as quoted in an error message: at most 20 characters, control characters as '?'. */
export function quoteCell(cell: string): string {
  return `'${printable(cell.length > 20 ? `${cell.slice(0, 20)}…` : cell)}'`;
}

/** Text from a file made safe for a one-line message: control characters become '?'. */
export function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?');
}

/** Calls `fn(line, lineNumber)` for every line (1-based numbers), without splitting into an array. */
export function forEachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = 0;
  let lineNo = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line =
      text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    if (!(end === text.length && line === '')) fn(line, lineNo);
    start = end + 1;
  }
}

/**
 * A column of doubles. Given the number of rows to expect (`capacity`, e.g. the file's line
 * count) it allocates once; it grows by doubling when that is exceeded or unknown.
 */
export class ColumnBuffer {
  private data: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /**
   * The values: a view of the buffer when it is nearly full (no copy: a file read with its line
   * count as capacity), else a trimmed copy so that the spare room is released.
   */
  values(): Float64Array {
    const spare = this.data.length - this.length;
    return spare <= Math.max(64, this.length >> 4)
      ? this.data.subarray(0, this.length)
      : this.data.slice(0, this.length);
  }
}

/** Lines in `text` (an upper bound on its data rows): the capacity for its ColumnBuffers. */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
