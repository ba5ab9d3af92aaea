/**
 * The data-format readers against fixtures written by independent generators
 * (test/fixtures/data-formats/generate.py with numpy/scipy; generate-v73.mjs with h5wasm's
 * writer), value by value against the generators' formulas re-derived here:
 *   u[k] = sin(0.1 k), y[k] = 0.5 cos(0.05 k) + 0.01 k, A[i][k] = sin(0.1 (i+1) k),
 *   n[k] = k² − 50 k, Ts = 0.01, k = 0 … 99.
 * Doubles to 1e-15 relative (numpy's and V8's sin/cos may differ in the last bit), float32 to
 * 1e-7, integers exactly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatDataSummary, summarizeTable } from '../../src/core/data/data-summary';
import { readNpy } from '../../src/core/data/npy-file';
import { pickVector, type SignalTable } from '../../src/core/data/signal-table';
import { readTextTable } from '../../src/core/data/text-file';
import { NailsError } from '../../src/core/errors';
import { readSignalTable, tableFromBytes } from '../../src/io/data-files';
import { ROOT } from '../helpers';

const DIR = path.join(ROOT, 'test', 'fixtures', 'data-formats');
const N = 100;
const K = Array.from({ length: N }, (_, k) => k);
const u = K.map((k) => Math.sin(0.1 * k));
const y = K.map((k) => 0.5 * Math.cos(0.05 * k) + 0.01 * k);
const A = [0, 1, 2].map((i) => K.map((k) => Math.sin(0.1 * (i + 1) * k)));
const n = K.map((k) => k * k - 50 * k);

const isNails = (re: RegExp) => (e: unknown) =>
  e instanceof NailsError && re.test(e.message) && !e.message.includes('\n');

function close(
  actual: ArrayLike<number>,
  expected: readonly number[],
  rtol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (rtol === 0) assert.equal(a, b, `${what}[${i}]`);
    else assert.ok(Math.abs(a - b) <= rtol * Math.abs(b), `${what}[${i}]: ${a} vs ${b}`);
  }
}

function shape(t: SignalTable, name: string): string {
  const s = t.signals.get(name);
  assert.ok(s, `${name} in ${t.source}`);
  return `${s.rows}×${s.cols}`;
}

const read = (f: string) => readSignalTable(f, DIR);

describe('MAT v4 (scipy savemat format=4, and a big-endian file written by hand)', () => {
  it('doubles, int32, a 3×N matrix and text, little-endian', () => {
    const t = read('v4.mat');
    assert.match(t.format!, /v4/);
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    close(pickVector(t, 'y'), y, 1e-15, 'y');
    close(pickVector(t, 'n'), n, 0, 'n');
    assert.equal(shape(t, 'A'), '3×100');
    for (const i of [0, 1, 2]) close(pickVector(t, 'A', i + 1), A[i]!, 1e-15, `A[${i + 1}]`);
    assert.deepEqual([...pickVector(t, 'Ts')], [0.01]);
    assert.equal(t.other.get('note'), 'char');
  });

  it('big-endian (M = 1)', () => {
    const t = read('v4-big-endian.mat');
    assert.equal(shape(t, 'u'), '1×100');
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    assert.deepEqual([...pickVector(t, 'Ts')], [0.01]);
  });
});

describe('MAT v5 (scipy savemat format=5) through the same entry point', () => {
  it('vectors, the 3×N matrix, struct/cell/char in other', () => {
    const t = read('v5.mat');
    assert.match(t.format!, /v5–v7/);
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    assert.equal(shape(t, 'y'), '1×100');
    close(pickVector(t, 'y'), y, 1e-15, 'y');
    for (const i of [0, 1, 2])
      close(pickVector(t, 'Acceleration', i + 1), A[i]!, 1e-15, `Acceleration[${i + 1}]`);
    assert.deepEqual(Object.fromEntries(t.other), { info: 'struct', c: 'cell', name: 'char' });
  });
});

describe('MAT v7.3 written by h5py with the HDF5 library’s own user block (as MATLAB does)', () => {
  it('reads every value, and a copy cut short is named truncated', () => {
    const t = read('v73-h5py.mat');
    assert.match(t.format!, /v7\.3/);
    assert.equal(shape(t, 'u'), '100×1');
    assert.equal(shape(t, 'y'), '1×100');
    assert.equal(shape(t, 'Acceleration'), '3×100');
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    close(pickVector(t, 'y'), y, 1e-15, 'y');
    for (const i of [0, 1, 2])
      close(pickVector(t, 'Acceleration', i + 1), A[i]!, 1e-15, `Acceleration[${i + 1}]`);
    const whole = new Uint8Array(readFileSync(path.join(DIR, 'v73-h5py.mat')));
    assert.throws(
      () => tableFromBytes(whole.slice(0, whole.length - 100), 'c.mat', '.mat'),
      isNails(
        new RegExp(
          `^c\\.mat is truncated: its HDF5 superblock says the file is ${whole.length} bytes long`,
        ),
      ),
    );
  });
});

describe('MAT v7.3 (HDF5 + 512-byte user block, written with h5wasm)', () => {
  it('dims reversed back to MATLAB shapes, classes, empty, struct and char in other', () => {
    const t = read('v73.mat');
    assert.match(t.format!, /v7\.3/);
    assert.equal(shape(t, 'u'), '100×1');
    assert.equal(shape(t, 'y'), '1×100');
    assert.equal(shape(t, 'Acceleration'), '3×100');
    assert.equal(shape(t, 'E'), '0×0');
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    close(pickVector(t, 'y'), y, 1e-15, 'y');
    close(pickVector(t, 'n'), n, 0, 'n');
    for (const i of [0, 1, 2])
      close(pickVector(t, 'Acceleration', i + 1), A[i]!, 1e-15, `Acceleration[${i + 1}]`);
    assert.deepEqual([...pickVector(t, 'Ts')], [0.01]);
    assert.deepEqual(Object.fromEntries(t.other), { info: 'struct', name: 'char' });
  });
});

describe('text tables: format by content, not extension', () => {
  it('whitespace with % and # comments, a header and a trailing comment (.dat)', () => {
    const t = read('header.dat');
    assert.equal(t.format, 'text table (whitespace-separated)');
    close(
      pickVector(t, 't'),
      K.map((k) => k * 0.01),
      1e-15,
      't',
    );
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    close(pickVector(t, 'y'), y, 1e-15, 'y');
  });

  it('DaISy style: headerless, Fortran D exponents, columns col1, col2', () => {
    const t = read('daisy.dat');
    assert.deepEqual([...t.signals.keys()], ['col1', 'col2']);
    close(pickVector(t, 'col1'), u, 1e-15, 'col1');
    close(pickVector(t, 'col2'), y, 1e-15, 'col2');
    assert.throws(() => pickVector(t, 'u'), isNails(/no column 'u'.*named col1, col2/));
  });

  it('semicolon CSV and TSV', () => {
    const s = read('semicolon.csv');
    assert.equal(s.format, 'text table (semicolon-separated)');
    close(pickVector(s, 'y'), y, 1e-15, 'y');
    const t = read('tabs.tsv');
    assert.equal(t.format, 'text table (tab-separated)');
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    close(pickVector(t, 'n'), n, 0, 'n');
  });

  it('a .txt with commas is CSV, a .csv with spaces is whitespace text', () => {
    assert.equal(readTextTable('a,b\n1,2\n', 'x.txt').dialect, 'csv');
    assert.equal(readTextTable('a b\n1 2\n', 'x.csv').dialect, 'whitespace');
    assert.equal(readTextTable('1\t2\n3\t4\n', 'x.dat').dialect, 'tsv');
    const w = readTextTable('# c\n  1.5D+00   -2d-1 NaN\n 3 Inf -inf\n', 'x.dat');
    assert.deepEqual([...w.columns.get('col1')!], [1.5, 3]);
    assert.deepEqual([...w.columns.get('col2')!], [-0.2, Infinity]);
    assert.ok(Number.isNaN(w.columns.get('col3')![0]));
    assert.equal(w.columns.get('col3')![1], -Infinity);
  });

  it('bad text: row and column (1-based), the cell cut to 20 characters, ragged rows, empty files', () => {
    assert.throws(
      () => readTextTable('u y\n1 2\n3 abcdefghijklmnopqrstuvwxyz\n', 'f.dat'),
      isNails(
        /^f\.dat:3: 'abcdefghijklmnopqrst…' in column 2 \('y'\) is not a number \(line 3, column 2\)$/,
      ),
    );
    assert.throws(
      () => readTextTable('1 2\n3 4 5\n', 'f.dat'),
      isNails(
        /^f\.dat:2: 3 columns but the first row \(line 1\) has 2; every row needs the same number of columns$/,
      ),
    );
    assert.throws(
      () => readTextTable('u;y\n1;x2\n', 'f.csv'),
      isNails(/f\.csv:2: 'x2' in column 'y' is not a number \(line 2, column 2\)/),
    );
    assert.throws(() => readTextTable('', 'f.dat'), isNails(/^f\.dat is empty/));
    assert.throws(
      () => readTextTable('% only\n# comments\n', 'f.dat'),
      isNails(/only comment lines/),
    );
    assert.throws(
      () => readTextTable('u y\n', 'f.dat'),
      isNails(/header line but no numeric rows/),
    );
  });
});

describe('NumPy .npy and .npz (numpy.save / savez_compressed)', () => {
  it('f8, f4, i4, big-endian f8: one N×1 variable named after the file', () => {
    const f8 = read('u-f8.npy');
    assert.equal(shape(f8, 'u-f8'), '100×1');
    close(pickVector(f8, 'u-f8'), u, 1e-15, 'f8');
    close(pickVector(read('u-f4.npy'), 'u-f4'), u.map(Math.fround), 1e-7, 'f4');
    close(pickVector(read('n-i4.npy'), 'n-i4'), n, 0, 'i4');
    close(pickVector(read('u-be.npy'), 'u-be'), u, 1e-15, '>f8');
    assert.throws(() => pickVector(f8, 'u'), isNails(/named after the file: 'u-f8'/));
  });

  it('2-D C order (3×N) and Fortran order (N×3) keep their shapes', () => {
    const c = read('A-c.npy');
    assert.equal(shape(c, 'A-c'), '3×100');
    for (const i of [0, 1, 2]) close(pickVector(c, 'A-c', i + 1), A[i]!, 1e-15, `C row ${i + 1}`);
    const f = read('A-fortran.npy');
    assert.equal(shape(f, 'A-fortran'), '100×3');
    for (const i of [0, 1, 2])
      close(pickVector(f, 'A-fortran', i + 1), A[i]!, 1e-15, `F col ${i + 1}`);
  });

  it('.npz: members are variables; int64; a string member in other', () => {
    const t = read('data.npz');
    close(pickVector(t, 'u'), u, 1e-15, 'u');
    close(pickVector(t, 'y'), y, 1e-15, 'y');
    close(pickVector(t, 'n'), n, 0, 'n');
    for (const i of [0, 1, 2]) close(pickVector(t, 'A', i + 1), A[i]!, 1e-15, `A[${i + 1}]`);
    assert.equal(t.other.get('label'), 'numpy <U4');
  });

  it('an unsupported dtype in a lone .npy is a one-line error', () => {
    const header = "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }";
    const bytes = new Uint8Array(10 + header.length + 16);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    bytes.set(new TextEncoder().encode(header), 10);
    assert.throws(
      () => readNpy(bytes, 'z', 'z.npy'),
      isNails(/z\.npy: dtype '<c16' is not supported/),
    );
  });
});

describe('pickVector: a row or column of a matrix, 1-based', () => {
  const table: SignalTable = {
    source: 'm.mat',
    signals: new Map([
      // 3×4 (column-major): row i, column j holds 10 i + j.
      [
        'R',
        {
          rows: 3,
          cols: 4,
          values: Float64Array.from({ length: 12 }, (_, p) => 10 * (p % 3) + Math.floor(p / 3)),
        },
      ],
      ['C', { rows: 4, cols: 2, values: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }],
      ['S', { rows: 2, cols: 2, values: new Float64Array(4) }],
      ['v', { rows: 1, cols: 3, values: Float64Array.from([1, 2, 3]) }],
    ]),
    other: new Map(),
  };

  it('row k of a channels × N matrix, column k of an N × channels one; vectors unchanged', () => {
    assert.deepEqual([...pickVector(table, 'R', 2)], [10, 11, 12, 13]);
    assert.deepEqual([...pickVector(table, 'C', 2)], [5, 6, 7, 8]);
    assert.deepEqual([...pickVector(table, 'v')], [1, 2, 3]);
    assert.deepEqual([...pickVector(table, 'v', 1)], [1, 2, 3]);
  });

  it('errors say how to write the pick', () => {
    assert.throws(
      () => pickVector(table, 'R'),
      isNails(
        /^m\.mat: 'R' is 3×4, not a vector: pick one row with R\[1\] … R\[3\] \(1-based, e\.g\. `input R\[1\]`\)$/,
      ),
    );
    assert.throws(() => pickVector(table, 'C'), isNails(/pick one column with C\[1\] … C\[2\]/));
    assert.throws(
      () => pickVector(table, 'R', 4),
      isNails(/it has 3 rows, so \[4\] is out of range; use R\[1\] … R\[3\]/),
    );
    assert.throws(() => pickVector(table, 'R', 0), isNails(/counts from 1 \(as in MATLAB\)/));
    assert.throws(() => pickVector(table, 'S', 1), isNails(/square/));
    assert.throws(() => pickVector(table, 'v', 2), isNails(/a vector has only \[1\]/));
  });
});

describe('the data summary (nails data FILE)', () => {
  it('shapes, finite range, NaN/Inf counts, sampling time and where it came from', () => {
    const t = readSignalTable('header.dat', DIR);
    const s = summarizeTable(t);
    assert.equal(s.sampling?.Ts, 0.01);
    assert.match(
      s.sampling?.how ?? '',
      /time stamps 't': 100 samples from 0 to 0\.99, uniformly spaced/,
    );
    const w = summarizeTable({
      source: 'x.csv',
      format: 'text table (comma-separated)',
      signals: new Map([
        ['u', { rows: 4, cols: 1, values: Float64Array.from([1, NaN, Infinity, 3]) }],
        ['fs', { rows: 1, cols: 1, values: Float64Array.from([200]) }],
      ]),
      other: new Map([['meta', 'struct']]),
    });
    assert.deepEqual(formatDataSummary(w), [
      'x.csv: text table (comma-separated)',
      '  u     4×1         min 1  max 3  mean 2  NaN 1  Inf 1',
      '  fs    1×1         min 200  max 200  mean 200  NaN 0  Inf 0',
      '  meta  not numeric: struct',
      "  sampling time: Ts = 0.005 s, from 'fs' = 200 Hz, Ts = 1/fs",
    ]);
  });
});

describe('bad binary files: one-line NailsErrors naming the file', () => {
  const bytes = (f: string) => new Uint8Array(readFileSync(path.join(DIR, f)));

  it('truncated, wrong magic, unsupported precision, empty', () => {
    assert.throws(
      () => tableFromBytes(bytes('v4.mat').slice(0, 900), 'a.mat', '.mat'),
      isNails(
        /^a\.mat: truncated: variable 'y' \(100×1 double\) needs 800 bytes of data but only \d+ are left$/,
      ),
    );
    assert.throws(
      () => tableFromBytes(bytes('v73.mat').slice(0, 5000), 'b.mat', '.mat'),
      isNails(
        /^b\.mat is truncated: its HDF5 superblock says the file is 13144 bytes long but it has 5000; copy the file again$/,
      ),
    );
    assert.throws(
      () => tableFromBytes(bytes('u-f8.npy').slice(0, 300), 'c.npy', '.npy'),
      isNails(/^c\.npy: truncated: 'c' \(100 <f8\) needs 800 bytes of data but only 172 are left$/),
    );
    assert.throws(
      () => tableFromBytes(new TextEncoder().encode('hello'), 'd.npy', '.npy'),
      isNails(/^d\.npy: not a NumPy \.npy file \(no \\x93NUMPY magic at the start\)$/),
    );
    assert.throws(
      () => tableFromBytes(new Uint8Array(40).fill(7), 'e.mat', '.mat'),
      isNails(/^e\.mat: not a MAT-file \(no MATLAB v4, v5–v7 or v7\.3 header\)/),
    );
    const v4 = bytes('v4-big-endian.mat');
    v4[2] = 0x04; // big-endian type 1000 → 1060: precision digit P = 6 is undefined
    v4[3] = 0x24;
    assert.throws(
      () => tableFromBytes(v4, 'f.mat', '.mat'),
      isNails(/^f\.mat: .*(precision|type)/),
    );
    assert.throws(
      () => tableFromBytes(new Uint8Array(0), 'g.npz', '.npz'),
      isNails(/^g\.npz: the file is empty$/),
    );
    assert.throws(
      () => tableFromBytes(new Uint8Array(0), 'h.dat', '.dat'),
      isNails(/^h\.dat is empty/),
    );
  });
});
