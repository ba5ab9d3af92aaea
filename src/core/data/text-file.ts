/**
 * Reader for numeric text tables, with the format decided by content, not by extension:
 * - a first content line with `,` or `;` (or tabs without runs of spaces) is CSV/TSV (csv-file.ts);
 * - otherwise columns are separated by runs of spaces/tabs (`.dat`/`.txt`/`.asc`, the DaISy
 *   format): an optional header line of names, `%`/`#` comment lines (and trailing comments),
 *   numbers as in `parseNumber` (incl. Fortran `1.0D+00`). Headerless columns are col1, col2, ….
 *   Every data row must have the same number of columns (there is no way to tell which is missing).
 * Values go into a Float64Array per column (no per-row arrays). The readers take one line at a
 * time (`TextTableParser`), so a file can be streamed in chunks (io/text-stream.ts) as well as
 * parsed from a string (`readTextTable`), with the same results and messages.
 */
import { NailsError } from '../errors.js';
import { CsvParser, detectSeparator, headerNames, type CsvTable } from './csv-file.js';
import {
  ColumnBuffer,
  forEachLine,
  isCommentOrBlank,
  lineCount,
  parseNumber,
  quoteCell,
} from './text-cells.js';

export type TextDialect = 'csv' | 'semicolon' | 'tsv' | 'whitespace';

/** The dialect of a text table whose first content (not comment, not blank) line is `first`. */
export function dialectOf(first: string): TextDialect {
  if (first.includes(',') || first.includes(';'))
    return detectSeparator(first) === ';' ? 'semicolon' : 'csv';
  if (first.trim().includes('\t') && !/ {2}| \t|\t /.test(first.trim())) return 'tsv';
  return 'whitespace';
}

/** Parses a text table of any dialect. `source` names the file in error messages. */
export function readTextTable(
  text: string,
  source = 'text file',
): CsvTable & { dialect: TextDialect } {
  const p = new TextTableParser(source, lineCount(text));
  forEachLine(text, (line, lineNo) => p.line(line, lineNo));
  return p.finish();
}

/**
 * A text table of any dialect, one line at a time: the first content line decides the dialect
 * and the reader (CSV or whitespace-separated), which then gets every line. `capacity`: the rows
 * to expect (the number of lines), so that each column is allocated once.
 */
export class TextTableParser {
  private reader: { line(line: string, lineNo: number): void; finish(): CsvTable } | undefined;
  private dialect: TextDialect | undefined;
  private nonBlank = false;

  constructor(
    private readonly source: string,
    private readonly capacity?: number,
  ) {}

  line(line: string, lineNo: number): void {
    if (!this.reader) {
      if (isCommentOrBlank(line)) {
        if (!this.nonBlank && line.trim() !== '') this.nonBlank = true;
        return;
      }
      this.dialect = dialectOf(line);
      this.reader =
        this.dialect === 'whitespace'
          ? new WhitespaceParser(this.source, this.capacity)
          : new CsvParser(this.source, this.capacity);
    }
    this.reader.line(line, lineNo);
  }

  finish(): CsvTable & { dialect: TextDialect } {
    if (!this.reader || !this.dialect) {
      throw new NailsError(
        `${this.source} is empty${this.nonBlank ? ' (only comment lines)' : ''}; it needs numeric rows, optionally under a row of column names`,
        this.source,
      );
    }
    return { ...this.reader.finish(), dialect: this.dialect };
  }
}

/** Whitespace-separated columns (see the file comment). */
export function readWhitespace(text: string, source = 'text file'): CsvTable {
  const p = new WhitespaceParser(source, lineCount(text));
  forEachLine(text, (line, lineNo) => p.line(line, lineNo));
  return p.finish();
}

/** The whitespace-separated reader one line at a time (see `TextTableParser`). */
class WhitespaceParser {
  private names: string[] | undefined;
  private headerless = false;
  private columns: ColumnBuffer[] = [];
  private firstRowLine = 0;

  constructor(
    private readonly source: string,
    private readonly capacity?: number,
  ) {}

  line(raw: string, lineNo: number): void {
    if (isCommentOrBlank(raw)) return;
    const line = stripComment(raw).trim();
    if (line === '') return;
    const source = this.source;
    const cells = line.split(/[ \t]+/);
    if (!this.names) {
      this.headerless = cells.every((c) => parseNumber(c) !== undefined);
      this.names = this.headerless
        ? cells.map((_, i) => `col${i + 1}`)
        : headerNames(
            cells.map((c) => c.replace(/^"(.*)"$/, '$1')),
            source,
            lineNo,
          );
      this.columns = this.names.map(() => new ColumnBuffer(this.capacity));
      if (!this.headerless) return;
    }
    const { names, columns, headerless } = this;
    if (this.firstRowLine === 0) this.firstRowLine = lineNo;
    if (cells.length !== names.length) {
      throw new NailsError(
        `${source}:${lineNo}: ${cells.length} columns but ${headerless ? `the first row (line ${this.firstRowLine})` : 'the header'} has ${names.length}; every row needs the same number of columns`,
        source,
      );
    }
    for (let c = 0; c < cells.length; c++) {
      const v = parseNumber(cells[c]!);
      if (v === undefined) {
        throw new NailsError(
          `${source}:${lineNo}: ${quoteCell(cells[c]!)} in column ${c + 1} ('${names[c]}') is not a number (line ${lineNo}, column ${c + 1})`,
          source,
        );
      }
      columns[c]!.push(v);
    }
  }

  finish(): CsvTable {
    const { names, columns, source } = this;
    if (!names) throw new NailsError(`${source} is empty; it needs numeric rows`, source);
    if (columns[0]!.length === 0)
      throw new NailsError(`${source} has a header line but no numeric rows`, source);
    const map = new Map<string, Float64Array>();
    names.forEach((n, i) => map.set(n, columns[i]!.values()));
    return { names, columns: map, headerless: this.headerless };
  }
}

function stripComment(line: string): string {
  const i = line.search(/[%#]/);
  return i < 0 ? line : line.slice(0, i);
}
