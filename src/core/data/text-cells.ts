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

/** A column of doubles that grows by doubling. */
export class ColumnBuffer {
  private data = new Float64Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** The values, trimmed to the length (a copy, so the buffer's spare room is released). */
  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
