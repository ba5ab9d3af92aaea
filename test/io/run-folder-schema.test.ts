/**
 * Reading a run folder checks model.json and report.json (src/io/run-folder-schema.ts): a
 * corrupted or missing field is one line naming the file and the field; another format version
 * is named; a report written before versioning (no `format`) still loads.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { NailsError } from '../../src/core/errors';
import { readReport, readSavedModel } from '../../src/io/run-folder';

const MODEL = {
  format: 'nails-model/1',
  experiment: 'e',
  model: { kind: 'linear', nx: 1, nu: 1, ny: 1, state: {}, output: {} },
  layout: [{ name: 'A', offset: 0, rows: 1, cols: 1 }],
  theta: [0.5],
  x0s: [0],
  scaling: { uMean: [0], uStd: [1], yMean: [0], yStd: [1] },
  loss: { name: 'mse' },
  specDir: '.',
  dataDirs: [],
  created: '2025-01-01T00:00:00Z',
};

const REPORT = {
  format: 'nails-report/1',
  experiment: 'e',
  method: 'nailm',
  status: 'converged',
  message: 'ok',
  value: 0.1,
  valueRow: 'last',
  iterations: 3,
  elapsed: 0.2,
  starts: [{ seed: 1, value: 0.1, status: 'converged' }],
  bestStart: 0,
  parts: [
    {
      kind: 'train',
      name: 'train',
      N: 10,
      nInit: 0,
      x0Method: 'trained',
      metrics: [{ rmse: null, fit: 'NaN' }],
    },
  ],
  history: [{ iteration: 0, value: 1, gradNorm: null, accepted: true, elapsed: 0 }],
};

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-schema-'));
  for (const [name, value] of Object.entries(files))
    writeFileSync(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return dir;
}

/** The one-line message of reading `dir` with `read`. */
function problem(read: () => unknown): string {
  try {
    read();
  } catch (e) {
    assert.ok(e instanceof NailsError, String(e));
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
  assert.fail('expected an error');
}

describe('run folder schema', () => {
  it('a good model.json and report.json load; fields of newer versions pass', () => {
    const dir = folder({ 'model.json': MODEL, 'report.json': { ...REPORT, extra: 1 } });
    assert.deepEqual(readSavedModel(dir).theta, [0.5]);
    assert.equal(readReport(dir)!.status, 'converged');
    assert.equal(readReport(folder({})), undefined);
  });

  it('a report from before versioning (no format) loads with what it has, checked where present', () => {
    const old = folder({ 'report.json': { Ts: 0.01, parts: [{ kind: 'train', units: ['V'] }] } });
    assert.equal(readReport(old)!.Ts, 0.01);
    const bad = folder({ 'report.json': { Ts: 0.01, parts: [{ kind: 'train', units: 'V' }] } });
    assert.match(
      problem(() => readReport(bad)),
      /report\.json: parts\[0\]\.units: expected an array, got the string "V"$/,
    );
  });

  it('report.json: a mistyped field deep inside is named by its path', () => {
    const bad = { ...REPORT, parts: [{ ...REPORT.parts[0], metrics: 'rmse' }] };
    const dir = folder({ 'report.json': bad });
    assert.equal(
      problem(() => readReport(dir)),
      `${path.join(dir, 'report.json')}: parts[0].metrics: expected an array, got the string "rmse"`,
    );
  });

  it('report.json: a missing field is named', () => {
    const bad: Partial<typeof REPORT> = { ...REPORT };
    delete bad.status;
    const dir = folder({ 'report.json': bad });
    assert.match(
      problem(() => readReport(dir)),
      /report\.json: status: the field is missing$/,
    );
  });

  it('model.json: a wrong entry of θ and a missing scaling are named', () => {
    const theta = folder({ 'model.json': { ...MODEL, theta: [0.5, 'x'] } });
    assert.match(
      problem(() => readSavedModel(theta)),
      /model\.json: theta\[1\]: expected a number, got the string "x"$/,
    );
    const noScaling: Partial<typeof MODEL> = { ...MODEL };
    delete noScaling.scaling;
    const scaling = folder({ 'model.json': noScaling });
    assert.match(
      problem(() => readSavedModel(scaling)),
      /model\.json: scaling: the field is missing$/,
    );
  });

  it('another format version gets a message naming it; broken JSON names the file', () => {
    const v2 = folder({ 'model.json': { ...MODEL, format: 'nails-model/2' } });
    assert.match(
      problem(() => readSavedModel(v2)),
      /model\.json has format "nails-model\/2", which this version of NAILS Studio does not read \(it reads nails-model\/1\)/,
    );
    const r2 = folder({ 'report.json': { ...REPORT, format: 'nails-report/7' } });
    assert.match(
      problem(() => readReport(r2)),
      /report\.json has format "nails-report\/7"/,
    );
    const broken = folder({ 'report.json': '{"experiment": ' });
    assert.match(
      problem(() => readReport(broken)),
      /report\.json is not valid JSON/,
    );
  });
});
