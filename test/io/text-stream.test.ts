/**
 * The streamed text-table reader (io/text-stream.ts) against the whole-text one
 * (core/data/text-file.ts readTextTable): the same table, or the same message with the same line
 * and column numbers, whatever the chunk size — lines, CRLF pairs and multi-byte UTF-8
 * characters split across chunks, a BOM, no final newline, comment-only and empty files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readTextTable } from '../../src/core/data/text-file';
import { NailsError } from '../../src/core/errors';
import { Random } from '../../src/core/random';
import { readSignalTable } from '../../src/io/data-files';
import { readTextTableFile } from '../../src/io/text-stream';
import { loadTextTable } from '../../src/io/text-table-offthread';

const dir = mkdtempSync(path.join(tmpdir(), 'nails-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The table (names, dialect, headerless, every column's values) or the error message. */
function outcome(read: () => ReturnType<typeof readTextTable>): unknown {
  try {
    const t = read();
    return {
      names: t.names,
      dialect: t.dialect,
      headerless: t.headerless,
      columns: t.names.map((n) => [...t.columns.get(n)!]),
    };
  } catch (e) {
    assert.ok(e instanceof NailsError, `not a NailsError: ${String(e)}`);
    return `error: ${e.message}`;
  }
}

let counter = 0;
/** Writes `bytes` and compares the streamed reading (several chunk sizes) with the text's. */
function same(bytes: Uint8Array | string, chunks = [1, 2, 3, 5, 7, 64, 1 << 16]): unknown {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  const file = path.join(dir, `t${counter++}.csv`);
  writeFileSync(file, data);
  const expected = outcome(() => readTextTable(new TextDecoder('utf-8').decode(data), 'f.csv'));
  for (const c of chunks)
    assert.deepEqual(
      outcome(() => readTextTableFile(file, 'f.csv', c)),
      expected,
      `chunk ${c}`,
    );
  return expected;
}

describe('streamed text tables read like the whole text', () => {
  it('CSV, semicolon, TSV and whitespace tables, CRLF, BOM, no final newline', () => {
    const t = same('\ufeffu,y\r\n1,2\r\n3,4') as { columns: number[][] };
    assert.deepEqual(t.columns, [
      [1, 3],
      [2, 4],
    ]);
    same('% comment\n"a b";c\n1,5;2\n3;NaN\n');
    same('1\t2\n3\t4\n');
    same('# DaISy\n  1.5D+00   -2d-1 NaN # trailing\n 3 Inf -inf\n');
    same('u,y,Ts\n1,2,0.1\n3,4,\n5,6,\n');
    same('u,y\n\n\n1,2\n\r\n3,4\r\n\r\n');
  });

  it('multi-byte UTF-8 names split across chunks', () => {
    const t = same('µ-Eingang,Ausgang°C\n1,2\n3,4\n') as { names: string[] };
    assert.deepEqual(t.names, ['µ-Eingang', 'Ausgang°C']);
  });

  it('errors keep their line and column numbers', () => {
    assert.match(
      String(same('u,y\n1,2\n3,x\n')),
      /^error: f\.csv:3: 'x' in column 'y' is not a number \(line 3, column 2\)$/,
    );
    assert.match(String(same('u y\n1 2\n\n3 4 5\n')), /f\.csv:4: 3 columns but the header has 2/);
    assert.match(String(same('a,b\n1,2\n,3\n4,5\n')), /f\.csv:4: column 'a' has an empty cell/);
    assert.match(String(same('')), /^error: f\.csv is empty; it needs numeric rows/);
    assert.match(String(same('% only\n# comments\n')), /is empty \(only comment lines\)/);
    assert.match(String(same('  \n\r\n')), /^error: f\.csv is empty; /);
    assert.match(String(same('u y\n')), /has a header line but no numeric rows/);
  });

  it('200 seeded random tables and mutations of them read the same', () => {
    const rng = new Random(11);
    const int = (n: number) => Math.floor(rng.uniform() * n);
    const pieces = ['1', '-2.5e-3', 'NaN', ' 4 ', '"5"', 'x', '', '1D+02', '%c', '#', 'é', '\r'];
    for (let c = 0; c < 200; c++) {
      const sep = [',', ';', '\t', ' ', '  '][int(5)]!;
      const cols = 1 + int(4);
      const lines: string[] = int(2)
        ? [Array.from({ length: cols }, (_, i) => `c${i}`).join(sep)]
        : [];
      for (let r = 0; r < 1 + int(30); r++)
        lines.push(
          Array.from({ length: cols + (int(10) === 0 ? 1 : 0) }, () =>
            int(8) === 0 ? pieces[int(pieces.length)]! : String(rng.normal()),
          ).join(sep),
        );
      const text = lines.join(int(2) ? '\n' : '\r\n') + (int(2) ? '\n' : '');
      same(text, [1, 3, 16]);
    }
  });

  it('readSignalTable streams text files and names the dialect as before', () => {
    const file = path.join(dir, 'data.csv');
    writeFileSync(file, 'u;y\n1;2\n3;4\n');
    const t = readSignalTable(file);
    assert.equal(t.format, 'text table (semicolon-separated)');
    assert.deepEqual([...t.signals.get('y')!.values], [2, 4]);
  });

  it('a table read in a worker thread (large files) is the same table or the same message', () => {
    const rng = new Random(5);
    const rows = Array.from(
      { length: 3000 },
      () => `${rng.normal()},${rng.normal()},${rng.normal()}`,
    );
    const good = path.join(dir, 'worker-good.csv');
    writeFileSync(good, `u,y,w\n${rows.join('\n')}\n`);
    const bad = path.join(dir, 'worker-bad.csv');
    writeFileSync(bad, `u,y\n1,2\n3,4,5,6\n`);
    for (const file of [good, bad]) {
      // threshold 0: every file goes to the worker
      const offThread = outcome(() => loadTextTable(file, 'f.csv', 0));
      assert.deepEqual(
        offThread,
        outcome(() => readTextTableFile(file, 'f.csv')),
        file,
      );
    }
    const t = loadTextTable(good, 'f.csv', 0);
    assert.equal(t.columns.get('w')!.length, 3000);
  });
});
