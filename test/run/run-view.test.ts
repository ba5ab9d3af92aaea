/**
 * The results panel's view model read from a run folder (src/run/run-view.ts, no VS Code):
 * every output channel of every part carries its measured and simulated series, sample for sample.
 * Regression: the series loop once ran over an empty list and the chart had axes and no lines.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readRunView } from '../../src/run/run-view';
import { MODEL_FORMAT, newRunFolder, writeRun, type RunReport } from '../../src/io/run-folder';
import type { SavedModel } from '../../src/io/run-folder';

const metric = { rmse: 0.1, nrmse: 0.2, r2: 0.9, fit: 80, accuracy: 0 };

/** A run folder with a two-output test part of N samples (y = k, 10 k; ŷ = y + 0.5). */
function runFolder(N: number, withChannels: boolean, m: Record<string, number> = metric): string {
  const root = mkdtempSync(path.join(tmpdir(), 'nails-view-'));
  const spec = path.join(root, 'two.nails');
  writeFileSync(spec, 'experiment two\n');
  const dir = newRunFolder(path.join(root, 'runs'), 'two');
  const y = new Float64Array(N * 2);
  for (let k = 0; k < N; k++) {
    y[2 * k] = k;
    y[2 * k + 1] = 10 * k;
  }
  const yhat = y.map((v) => v + 0.5);
  const report: RunReport = {
    experiment: 'two',
    method: 'NAILM',
    status: 'cancelled',
    message: 'cancelled: best parameters so far returned',
    value: 0.25,
    valueRow: 'last',
    iterations: 3,
    elapsed: 0.1,
    starts: [{ value: 0.25, status: 'cancelled' }],
    bestStart: 0,
    parts: [
      {
        kind: 'test',
        name: 'test',
        N,
        nInit: 5,
        x0Method: 'least squares on n_init samples',
        ...(withChannels ? { outputs: ['level', 'flow'], units: ['V', 'V'] } : {}),
        metrics: [m, m],
      },
    ],
    Ts: 4,
    history: [],
  };
  writeRun(dir, spec, { format: MODEL_FORMAT } as SavedModel, report, [
    { name: 'test-test', y, yhat, ny: 2 },
  ]);
  return dir;
}

describe('the results view of a run folder', () => {
  it('has measured and simulated series for every output, one point per sample', () => {
    const N = 1234;
    const v = readRunView(runFolder(N, true));
    assert.equal(v.parts.length, 1);
    const p = v.parts[0]!;
    assert.equal(p.N, N);
    assert.equal(p.nInit, 5);
    assert.equal(v.Ts, 4);
    assert.deepEqual(p.outputs, [
      { name: 'level', unit: 'V' },
      { name: 'flow', unit: 'V' },
    ]);
    assert.equal(p.k.length, N);
    assert.equal(p.y.length, 2, 'two measured series');
    assert.equal(p.yhat.length, 2, 'two simulated series');
    for (let c = 0; c < 2; c++) {
      assert.equal(p.y[c]!.length, N);
      assert.equal(p.yhat[c]!.length, N);
    }
    assert.equal(p.y[1]![7], 70);
    assert.equal(p.yhat[0]![7], 7.5);
  });

  it('names the channels y1, y2, … in run folders written before channel names were kept', () => {
    const p = readRunView(runFolder(50, false)).parts[0]!;
    assert.deepEqual(
      p.outputs.map((o) => o.name),
      ['y1', 'y2'],
    );
    assert.equal(p.y[0]!.length, 50);
  });

  it('reads the NaN metrics of a run whose scoring failed as numbers (report.json stores them as strings or null)', () => {
    const nan = { rmse: NaN, nrmse: NaN, r2: NaN, fit: NaN, accuracy: NaN };
    const p = readRunView(runFolder(10, true, nan)).parts[0]!;
    for (const m of p.metrics)
      for (const v of Object.values(m)) assert.ok(typeof v === 'number' && Number.isNaN(v));
  });

  it('reads null metrics (JSON for a non-finite number) as NaN, not 0', () => {
    const dir = runFolder(10, true);
    const file = path.join(dir, 'report.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
    report.parts[0]!.metrics = [{ rmse: null, fit: null } as unknown as Record<string, number>];
    writeFileSync(file, JSON.stringify(report));
    const m = readRunView(dir).parts[0]!.metrics[0]!;
    assert.ok(Number.isNaN(m.rmse) && Number.isNaN(m.fit));
  });

  it('passes on whether the outputs are binary (the panel leaves accuracy out for regression)', () => {
    const dir = runFolder(10, true);
    assert.equal(readRunView(dir).classification, undefined, 'unknown in this report');
    const file = path.join(dir, 'report.json');
    writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), classification: false }),
    );
    assert.equal(readRunView(dir).classification, false);
  });
});
