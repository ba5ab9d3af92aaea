/**
 * The results panel's reading of long predictions (src/run/prediction-rows.ts, run-view.ts): the
 * one-pass CSV parser, min/max row selection (every series' extremes kept, rows bounded, rows
 * whole so measured and simulated stay paired) and full resolution for a zoomed range.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MODEL_FORMAT, newRunFolder, writeRun, type SavedModel } from '../../src/io/run-folder';
import { minMaxRows } from '../../src/protocol/min-max-rows';
import { parseColumns, readPredictionColumns } from '../../src/run/prediction-rows';
import {
  FULL_RESOLUTION,
  OVERVIEW_BUCKETS,
  readRunRange,
  readRunView,
} from '../../src/run/run-view';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('parsing a predictions CSV in one pass', () => {
  it('numbers of up to 15 digits exactly; NaN, Infinity, empty cells, CRLF and exponents', () => {
    const c = parseColumns(
      bytes(
        'k,y1,yhat1\r\n0,1.5,-2.25e-3\r\n1,NaN,Infinity\r\n2,,-0.1\r\n3,1e300,123456789012345\r\n',
      ),
    );
    assert.deepEqual(c.header, ['k', 'y1', 'yhat1']);
    assert.equal(c.rows, 4);
    assert.deepEqual([...c.columns[0]!], [0, 1, 2, 3]);
    assert.deepEqual([...c.columns[1]!], [1.5, NaN, NaN, 1e300]);
    assert.deepEqual([...c.columns[2]!], [-2.25e-3, Infinity, -0.1, 123456789012345]);
  });

  it('what the trainer writes (shortest round-trip numbers) reads back within 2 units in the last place', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
          minLength: 1,
          maxLength: 50,
        }),
        (xs) => {
          const text = `k,y1\n${xs.map((x, k) => `${k},${JSON.stringify(x)}`).join('\n')}\n`;
          const c = parseColumns(bytes(text));
          assert.equal(c.rows, xs.length);
          xs.forEach((x, k) => {
            const v = c.columns[1]![k]!;
            assert.ok(Math.abs(v - x) <= 2 * Number.EPSILON * Math.abs(x), `${x} read as ${v}`);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('min/max rows', () => {
  const N = 100_003;
  const a = Float64Array.from({ length: N }, (_, k) => Math.sin(k / 300));
  const b = Float64Array.from({ length: N }, (_, k) => Math.cos(k / 700));
  a[54_321] = 9;
  a[77] = -9;
  b[99_999] = 5;
  b[12_345] = NaN;

  it('rows ascending and distinct, at most 2 + 2 per series per bucket, every extreme of every series kept', () => {
    const rows = minMaxRows([a, b], 0, N, 500);
    assert.ok(rows.length <= 500 * (2 + 2 * 2), `${rows.length} rows`);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]! > rows[i - 1]!);
    for (const r of [54_321, 77, 99_999]) assert.ok(rows.includes(r), `row ${r} kept`);
    assert.equal(rows[0], 0);
    assert.equal(rows.at(-1), N - 1);
    // Per bucket, the kept rows hold that bucket's min and max of each series.
    const per = N / 500;
    for (let c = 0; c < 500; c++) {
      const i0 = Math.floor(c * per);
      const i1 = Math.floor((c + 1) * per);
      const kept = rows.filter((r) => r >= i0 && r < i1);
      for (const s of [a, b]) {
        const all = [...s.subarray(i0, i1)].filter(Number.isFinite);
        const got = kept.map((r) => s[r]!).filter(Number.isFinite);
        assert.equal(Math.max(...got), Math.max(...all));
        assert.equal(Math.min(...got), Math.min(...all));
      }
    }
  });

  it('a range of at most 2 rows per bucket: every row', () => {
    assert.deepEqual(minMaxRows([a], 10, 20, 5), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.deepEqual(minMaxRows([a], 10, 10, 5), []);
  });
});

describe('a long part in the results view', () => {
  /** A run folder with one test part of N samples, y with spikes, ŷ = y / 2. */
  function runFolder(N: number): string {
    const root = mkdtempSync(path.join(tmpdir(), 'nails-long-'));
    const spec = path.join(root, 'long.nails');
    writeFileSync(spec, 'experiment long\n');
    const dir = newRunFolder(path.join(root, 'runs'), 'long');
    const y = Float64Array.from(
      { length: N },
      (_, k) => Math.sin(k / 100) + (k % 50_021 === 7 ? 4 : 0),
    );
    const yhat = y.map((v) => v / 2);
    const m = { rmse: 0.1, nrmse: 0.1, r2: 0.9, fit: 80, accuracy: 0 };
    writeRun(
      dir,
      spec,
      { format: MODEL_FORMAT } as SavedModel,
      {
        experiment: 'long',
        method: 'NAILM',
        status: 'converged',
        message: '',
        value: 0,
        valueRow: 'last',
        iterations: 1,
        elapsed: 0,
        starts: [{ value: 0, status: 'converged' }],
        bestStart: 0,
        parts: [{ kind: 'test', name: 'test', N, nInit: 3, x0Method: 'zero', metrics: [m] }],
        history: [],
      },
      [{ name: 'test-test', y, yhat, ny: 1 }],
    );
    return dir;
  }

  it(`over ${FULL_RESOLUTION} samples: an overview of whole min/max rows, and a zoomed range at full resolution`, () => {
    const N = FULL_RESOLUTION + 50_000;
    const dir = runFolder(N);
    const p = readRunView(dir).parts[0]!;
    assert.equal(p.overview, true);
    assert.equal(p.N, N);
    assert.ok(p.k.length <= OVERVIEW_BUCKETS * 4, `${p.k.length} rows sent`);
    // Every spike is there, and each row is whole: ŷ = y / 2 on every row sent.
    for (let k = 7; k < N; k += 50_021) assert.ok(p.k.includes(k), `spike at ${k}`);
    // (the CSV's 17-digit numbers are read within 2 units in the last place)
    const near = (a: number, b: number) => Math.abs(a - b) <= 4 * Number.EPSILON * Math.abs(b);
    p.k.forEach((k, i) => {
      assert.ok(near(p.y[0]![i]!, Math.sin(k / 100) + (k % 50_021 === 7 ? 4 : 0)), `y at ${k}`);
      assert.ok(near(p.yhat[0]![i]!, p.y[0]![i]! / 2), `ŷ at ${k}`);
    });
    // Zoomed in to 1,000 samples on 800 pixels: every sample, one beyond each end.
    const r = readRunRange(dir, 0, 120_000, 120_999, 800);
    assert.deepEqual(
      r.k,
      Array.from({ length: 1002 }, (_, i) => 119_999 + i),
    );
    assert.ok(near(r.y[0]![1]!, Math.sin(1200)));
    // Zoomed to 100,000 samples: min/max rows again, bounded by the pixels.
    assert.ok(readRunRange(dir, 0, 0, 99_999, 800).k.length <= 800 * 4);
    // A view asking for a billion pixels gets no more than a large screen's worth.
    assert.ok(readRunRange(dir, 0, 0, N, 1e9).k.length <= 8192 * 4);
  });

  it('a long part has binary columns beside its CSV, read exactly; without them (or older) the CSV is parsed', () => {
    const N = FULL_RESOLUTION + 10;
    const dir = runFolder(N);
    const csv = path.join(dir, 'predictions', 'test-test.csv');
    const bin = csv.replace(/\.csv$/, '.f64');
    assert.ok(existsSync(bin), 'predictions/test-test.f64 written');
    const fromBinary = readPredictionColumns(csv);
    assert.deepEqual(fromBinary.header, ['k', 'y1', 'yhat1']);
    assert.equal(fromBinary.rows, N);
    for (const k of [0, 7, 123_456, N - 1]) {
      const y = Math.sin(k / 100) + (k % 50_021 === 7 ? 4 : 0);
      assert.equal(fromBinary.columns[0]![k], k);
      assert.equal(fromBinary.columns[1]![k], y, 'exact: no text in between');
      assert.equal(fromBinary.columns[2]![k], y / 2);
    }
    // Binary columns older than the CSV (the CSV rewritten): parsed from the CSV instead.
    utimesSync(bin, new Date(0), new Date(0));
    utimesSync(csv, new Date(), new Date(Date.now() + 5000));
    const parsed = readPredictionColumns(csv);
    assert.notEqual(parsed.columns[1], fromBinary.columns[1]);
    assert.equal(parsed.rows, N);
    rmSync(bin);
    utimesSync(csv, new Date(), new Date(Date.now() + 10_000));
    const again = readPredictionColumns(csv);
    for (const k of [7, 123_456])
      assert.ok(Math.abs(again.columns[1]![k]! - fromBinary.columns[1]![k]!) <= 1e-15 * 5);
  });

  it(`up to ${FULL_RESOLUTION} samples: every row, no overview`, () => {
    const p = readRunView(runFolder(30_000)).parts[0]!;
    assert.equal(p.overview, undefined);
    assert.equal(p.k.length, 30_000);
  });
});
