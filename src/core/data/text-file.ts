/**
 * Reader for numeric text tables, with the format decided by content, not by extension:
 * - a first content line with `,` or `;` (or tabs without runs of spaces) is CSV/TSV (csv-file.ts);
 * - otherwise columns are separated by runs of spaces/tabs (`.dat`/`.txt`/`.asc`, the DaISy
 *   format): an optional header line of names, `%`/`#` comment lines (and trailing comments),
 *   numbers as in `parseNumber` (incl. Fortran `1.0D+00`). Headerless columns are col1, col2, ….
 *   Every data row must have the same number of columns (there is no way to tell which is missing).
 * Values go into a growing Float64Array per column (no per-row arrays).
 */
import { NailsError } from '../errors.js';
import { detectSeparator, headerNames, readCsv, type CsvTable } from './csv-file.js';
import {
  ColumnBuffer,
  forEachLine,
  isCommentOrBlank,
  parseNumber,
  quoteCell,
} from './text-cells.js';

export type TextDialect = 'csv' | 'semicolon' | 'tsv' | 'whitespace';

/** The dialect of a text table, from its first content line (undefined when it has none). */
export function detectTextDialect(text: string): TextDialect | undefined {
  let first: string | undefined;
  forEachLine(text.length > 65536 ? text.slice(0, 65536) : text, (line) => {
    if (first === undefined && !isCommentOrBlank(line)) first = line;
  });
  if (first === undefined) return undefined;
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
  const dialect = detectTextDialect(text);
  if (dialect === undefined) {
    throw new NailsError(
      `${source} is empty${text.trim() === '' ? '' : ' (only comment lines)'}; it needs numeric rows, optionally under a row of column names`,
      source,
    );
  }
  if (dialect !== 'whitespace') return { ...readCsv(text, source), dialect };
  return { ...readWhitespace(text, source), dialect };
}

/** Whitespace-separated columns (see the file comment). */
export function readWhitespace(text: string, source = 'text file'): CsvTable {
  let names: string[] | undefined;
  let headerless = false;
  let columns: ColumnBuffer[] = [];
  let firstRowLine = 0;
  forEachLine(text, (raw, lineNo) => {
    if (isCommentOrBlank(raw)) return;
    const line = stripComment(raw).trim();
    if (line === '') return;
    const cells = line.split(/[ \t]+/);
    if (!names) {
      headerless = cells.every((c) => parseNumber(c) !== undefined);
      names = headerless
        ? cells.map((_, i) => `col${i + 1}`)
        : headerNames(
            cells.map((c) => c.replace(/^"(.*)"$/, '$1')),
            source,
            lineNo,
          );
      columns = names.map(() => new ColumnBuffer());
      if (!headerless) return;
    }
    if (firstRowLine === 0) firstRowLine = lineNo;
    if (cells.length !== names.length) {
      throw new NailsError(
        `${source}:${lineNo}: ${cells.length} columns but ${headerless ? `the first row (line ${firstRowLine})` : 'the header'} has ${names.length}; every row needs the same number of columns`,
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
  });
  if (!names) throw new NailsError(`${source} is empty; it needs numeric rows`, source);
  if (columns[0]!.length === 0)
    throw new NailsError(`${source} has a header line but no numeric rows`, source);
  const map = new Map<string, Float64Array>();
  names.forEach((n, i) => map.set(n, columns[i]!.values()));
  return { names, columns: map, headerless };
}

function stripComment(line: string): string {
  const i = line.search(/[%#]/);
  return i < 0 ? line : line.slice(0, i);
}
