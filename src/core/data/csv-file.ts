/**
 * Reader for numeric CSV files with a header row of column names (comma, semicolon or tab
 * separated; names may be quoted). A file whose first row is all numbers has no header: its
 * columns are named col1, col2, … and the table says so (`headerless`). Columns may end early (e.g. `Ts` given only in the first row):
 * trailing empty cells shorten a column, an empty cell inside a column is an error.
 */
import { NailsError } from '../errors.js';

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
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0)
    throw new NailsError(
      `${source} is empty; it needs a header row of column names and numeric rows`,
      source,
    );
  const sep = detectSeparator(lines[0]!);
  const header = splitLine(lines[0]!, sep);
  let names: string[];
  let firstData = 1;
  const cells = header.map((h) => h.trim());
  while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop(); // trailing separator
  if (cells.every((h) => h !== '' && parseNumber(h) !== undefined)) {
    names = cells.map((_, i) => `col${i + 1}`);
    firstData = 0;
  } else {
    names = header.map((h) => h.trim());
    if (names[names.length - 1] === '') names.pop(); // trailing separator
    const seen = new Set<string>();
    names.forEach((n, i) => {
      if (n === '')
        throw new NailsError(
          `${source}:1: column ${i + 1} has no name; give every column a name in the header row`,
          source,
        );
      if (seen.has(n))
        throw new NailsError(
          `${source}:1: column name '${n}' appears twice; column names must be unique`,
          source,
        );
      seen.add(n);
    });
  }
  const nCols = names.length;
  const values: number[][] = names.map(() => []);
  const ended: boolean[] = names.map(() => false);
  for (let li = firstData; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    const cells = splitLine(line, sep);
    if (cells.length > nCols && cells.slice(nCols).some((c) => c.trim() !== '')) {
      throw new NailsError(
        `${source}:${li + 1}: ${cells.length} cells but the header names ${nCols} columns`,
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
          `${source}:${li + 1}: column '${names[c]}' has an empty cell above this value; fill the gap (or use NaN explicitly)`,
          source,
        );
      }
      const v = parseNumber(cell);
      if (v === undefined) {
        throw new NailsError(
          `${source}:${li + 1}: '${cell}' in column '${names[c]}' is not a number`,
          source,
        );
      }
      values[c]!.push(v);
    }
  }
  const columns = new Map<string, Float64Array>();
  names.forEach((n, i) => columns.set(n, Float64Array.from(values[i]!)));
  return { names, columns, headerless: firstData === 0 };
}

function parseNumber(cell: string): number | undefined {
  const s = cell.replace(/^"(.*)"$/, '$1');
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  const v = Number(s);
  return s !== '' && !Number.isNaN(v) ? v : undefined;
}

function detectSeparator(line: string): string {
  const counts = [',', ';', '\t'].map((s) => [s, line.split(s).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 1 ? counts[0]![0] : ',';
}

function splitLine(line: string, sep: string): string[] {
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
