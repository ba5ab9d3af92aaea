/**
 * Reader for numeric CSV files with a header row of column names (comma, semicolon or tab
 * separated; names may be quoted; `%` and `#` lines are comments). A file whose first row is all
 * numbers has no header: its columns are named col1, col2, … and the table says so
 * (`headerless`). Columns may end early (e.g. `Ts` given only in the first row): trailing empty
 * cells shorten a column, an empty cell inside a column is an error. Values go straight into a
 * Float64Array per column, allocated once when the number of lines is known (no per-row arrays).
 * Numbers: see `parseNumber` (NaN, Inf, Fortran D exponents).
 */
import { NailsError } from '../errors.js';
import {
  ColumnBuffer,
  forEachLine,
  isCommentOrBlank,
  lineCount,
  parseNumber,
  quoteCell,
} from './text-cells.js';

export interface CsvTable {
  /** Column names in file order. */
  names: string[];
  /** Column name → values (length = that column's number of non-empty leading cells). */
  columns: Map<string, Float64Array>;
  /** The first row was data, not names: columns are col1, col2, …. */
  headerless: boolean;
}

/** Parses the CSV text. `source` names the file in error messages. */
export function readCsv(text: string, source = 'CSV file'): CsvTable {
  const p = new CsvParser(source, lineCount(text));
  forEachLine(text, (line, lineNo) => p.line(line, lineNo));
  return p.finish();
}

/**
 * The CSV reader one line at a time (a file streamed in chunks feeds it through a LineSplitter):
 * `line` for every line with its 1-based number, then `finish` for the table. `capacity` is the
 * number of rows to expect (e.g. the file's line count): the columns are allocated once.
 */
export class CsvParser {
  private names: string[] | undefined;
  private sep = ',';
  private headerless = false;
  private columns: ColumnBuffer[] = [];
  private ended: boolean[] = [];
  private nCols = 0;

  constructor(
    private readonly source: string,
    private readonly capacity?: number,
  ) {}

  line(line: string, lineNo: number): void {
    if (isCommentOrBlank(line)) return;
    const source = this.source;
    if (!this.names) {
      this.sep = detectSeparator(line);
      const cells = splitLine(line, this.sep).map((h) => h.trim());
      while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop(); // trailing separator
      this.headerless = cells.every((h) => h !== '' && parseNumber(h) !== undefined);
      this.names = this.headerless
        ? cells.map((_, i) => `col${i + 1}`)
        : headerNames(cells, source, lineNo);
      this.nCols = this.names.length;
      this.columns = this.names.map(() => new ColumnBuffer(this.capacity));
      this.ended = this.names.map(() => false);
      if (!this.headerless) return;
    }
    const { names, nCols, columns, ended } = this;
    const cells = splitLine(line, this.sep);
    if (cells.length > nCols && cells.slice(nCols).some((c) => c.trim() !== '')) {
      throw new NailsError(
        `${source}:${lineNo}: ${cells.length} cells but the ${this.headerless ? 'first row has' : 'header names'} ${nCols} columns`,
        source,
      );
    }
    for (let c = 0; c < nCols; c++) {
      const cell = (cells[c] ?? '').trim();
      if (cell === '') {
        ended[c] = true;
        continue;
      }
      if (ended[c]) {
        throw new NailsError(
          `${source}:${lineNo}: column '${names[c]}' has an empty cell above this value; fill the gap (or use NaN explicitly)`,
          source,
        );
      }
      const v = parseNumber(cell);
      if (v === undefined) {
        throw new NailsError(
          `${source}:${lineNo}: ${quoteCell(cell)} in column '${names[c]}' is not a number (line ${lineNo}, column ${c + 1})`,
          source,
        );
      }
      columns[c]!.push(v);
    }
  }

  /** The table read so far; errors when there was no header or no numeric row. */
  finish(): CsvTable {
    const { names, columns, source } = this;
    if (!names)
      throw new NailsError(
        `${source} is empty; it needs a header row of column names and numeric rows`,
        source,
      );
    if (columns.every((c) => c.length === 0))
      throw new NailsError(`${source} has a header row but no numeric rows`, source);
    const map = new Map<string, Float64Array>();
    names.forEach((n, i) => map.set(n, columns[i]!.values()));
    return { names, columns: map, headerless: this.headerless };
  }
}

/** The header row's cells as column names: each non-empty and unique, or a NailsError naming the line. */
export function headerNames(cells: string[], source: string, lineNo: number): string[] {
  const seen = new Set<string>();
  cells.forEach((n, i) => {
    if (n === '')
      throw new NailsError(
        `${source}:${lineNo}: column ${i + 1} has no name; give every column a name in the header row`,
        source,
      );
    if (seen.has(n))
      throw new NailsError(
        `${source}:${lineNo}: column name '${n}' appears twice; column names must be unique`,
        source,
      );
    seen.add(n);
  });
  return cells;
}

export function detectSeparator(line: string): string {
  const counts = [',', ';', '\t'].map((s) => [s, line.split(s).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 1 ? counts[0]![0] : ',';
}

/** The cells of a line: split at `sep` outside double quotes, `""` inside quotes is a quote. */
function splitLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
