/**
 * `nails export RUN --format onnx` end to end (dist/cli.cjs, no benchmark data): a short training
 * of examples/binary-output.nails, its ONNX simulator run in onnxruntime on the training part's
 * inputs from the trained x0 reproduces the run's saved predictions; the JSON and C exports carry
 * the metadata with relative paths; an older model.json with absolute paths still reads.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { readSavedModel, type SavedModel } from '../../src/io/run-folder';
import { compileSpec } from '../../src/language/compiler';
import { checkSpecFile } from '../../src/language/load-spec';
import { exportMetadata } from '../../src/run/export-metadata';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const SPEC = path.join(ROOT, 'examples', 'binary-output.nails');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('nails export --format onnx', () => {
  it('simulates the training part like the run’s saved predictions', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'nails-onnx-'));
    const t = cli('train', SPEC, '--out', out, '--iterations', '3', '--quiet');
    assert.equal(t.status, 0, t.stdout + t.stderr);
    const dir = /^run folder: (.+)$/m.exec(t.stdout)![1]!;
    const x = cli('export', dir, '--format', 'onnx');
    assert.equal(x.status, 0, x.stderr);
    const file = x.stdout.trim();
    assert.equal(path.extname(file), '.onnx');

    // The training part's raw inputs, from the run's spec snapshot.
    const check = await checkSpecFile(path.join(dir, 'spec.nails'), []);
    const compiled = compileSpec(check.analysis.resolved!);
    const train = compiled.parts.find((p) => p.kind === 'train')!;
    const { N, nu, ny } = train.raw;
    const saved = readSavedModel(dir);
    const nx = saved.model.nx;
    const session = await InferenceSession.create(file);
    assert.deepEqual(session.inputNames, ['u', 'x0']);
    assert.deepEqual(session.outputNames, ['y', 'x_end']);
    const res = await session.run({
      u: new Tensor('float32', Float32Array.from(train.raw.u), [N, nu]),
      x0: new Tensor('float32', Float32Array.from(saved.x0s.slice(0, nx)), [nx]),
    });
    const y = res.y!.data as Float32Array;
    const rows = readFileSync(path.join(dir, 'predictions', 'train-train.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    assert.equal(rows.length, N);
    let d = 0;
    rows.forEach((row, k) => {
      const cells = row.split(',').map(Number);
      for (let r = 0; r < ny; r++) d = Math.max(d, Math.abs(y[k * ny + r]! - cells[1 + ny + r]!));
    });
    const scale = Math.max(...saved.scaling.yStd);
    process.stdout.write(`# max |ŷ_onnx − ŷ_saved| = ${d.toExponential(2)} (σ_y ${scale})\n`);
    assert.ok(d / scale <= 1e-5, `max |Δŷ| / σ_y = ${d / scale}`);
    await session.release();

    // JSON and C carry the metadata; no absolute path of the training machine.
    const j = cli('export', dir, '--format', 'json', '--out', path.join(out, 'model.json'));
    assert.equal(j.status, 0, j.stderr);
    const json = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')) as SavedModel & {
      exportFormat: string;
    };
    assert.equal(json.exportFormat, 'nails-export/1');
    assert.deepEqual(json.inputs, [{ name: 'u1' }]);
    assert.deepEqual(json.outputs, [{ name: 'y1' }]);
    assert.equal(json.specDir, path.relative(dir, path.dirname(SPEC)).split(path.sep).join('/'));
    assert.ok(!path.isAbsolute(json.specDir));
    const raw = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as SavedModel;
    assert.ok(!path.isAbsolute(raw.specDir), 'model.json stores the spec folder relative');
    assert.equal(readSavedModel(dir).specDir, path.dirname(SPEC));
    const c = cli('export', dir, '--format', 'c');
    assert.equal(c.status, 0, c.stderr);
    const header = readFileSync(c.stdout.trim(), 'utf8');
    assert.match(header, / \* Inputs u_raw: 0: u1\./);
    assert.match(header, / \* Export format nails-export\/1\./);
  });

  it('an older model.json with absolute paths still reads; the export makes them relative', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nails-old-'));
    const dir = path.join(root, 'runs', 'old');
    mkdirSync(dir, { recursive: true });
    const old = {
      format: 'nails-model/1',
      experiment: 'old',
      model: { kind: 'custom', nx: 1, nu: 1, ny: 1, parameters: [], state: [], output: [] },
      layout: [],
      theta: [],
      x0s: [0.25],
      scaling: { uMean: [1], uStd: [2], yMean: [3], yStd: [4] },
      loss: { kind: 'mse' },
      specDir: root,
      dataDirs: [path.join(root, 'data')],
      created: '2026-01-01T00:00:00.000Z',
    };
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify(old));
    writeFileSync(
      path.join(dir, 'report.json'),
      JSON.stringify({ Ts: 0.01, parts: [{ kind: 'train', outputs: ['v'], units: ['V'] }] }),
    );
    const saved = readSavedModel(dir);
    assert.equal(saved.specDir, root);
    const meta = exportMetadata(dir, saved);
    assert.deepEqual(meta.data, { specDir: '../..', dataDirs: ['../../data'] });
    assert.equal(meta.Ts, 0.01);
    assert.deepEqual(meta.inputs, [{ name: 'u1' }]);
    assert.deepEqual(meta.outputs, [{ name: 'v', unit: 'V' }]);
    assert.deepEqual(meta.x0, [0.25]);
  });
});
