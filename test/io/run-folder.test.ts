import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { writeRun, type RunReport, type SavedModel } from '../../src/io/run-folder';

describe('run folder files', () => {
  it('report.json keeps JSON types: a non-finite number is null, never a string', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-run-'));
    const spec = path.join(dir, 'in.nails');
    writeFileSync(spec, 'data {}\n');
    const rec = { iteration: 1, value: 0.5, gradNorm: NaN, stepNorm: Infinity, accepted: false };
    const report = {
      value: 0.5,
      parts: [{ metrics: [{ rmse: Infinity, fit: -Infinity }] }],
      history: [{ ...rec, elapsed: 0.1, seconds: NaN }],
    } as unknown as RunReport;
    writeRun(dir, spec, {} as SavedModel, report, []);
    const text = readFileSync(path.join(dir, 'report.json'), 'utf8');
    assert.doesNotMatch(text, /"(NaN|Infinity|-Infinity)"/);
    const back = JSON.parse(text) as {
      history: Record<string, unknown>[];
      parts: { metrics: Record<string, unknown>[] }[];
    };
    assert.equal(back.history[0]!.gradNorm, null);
    assert.equal(back.history[0]!.stepNorm, null);
    assert.equal(back.history[0]!.value, 0.5);
    assert.deepEqual(back.parts[0]!.metrics[0], { rmse: null, fit: null });
  });
});
