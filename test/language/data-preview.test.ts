/**
 * The data preview's parts: what it cuts from the record (range, decimation, the validation share
 * carved from the training part) is sample for sample what compileSpec trains on, the ranges are
 * in record samples, and a broken data section is one message with its line. Also the
 * `nails/previewData` answer for a spec and for a run folder's snapshot.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { compileSpec } from '../../src/language/compiler';
import { previewSpec } from '../../src/language/data-preview';
import { checkSpecFile } from '../../src/language/load-spec';
import { answerPreview } from '../../src/language/preview-request';

const N = 900;
const u = Float64Array.from({ length: N }, (_, k) => Math.sin(0.05 * k) + 0.3 * Math.cos(0.7 * k));
const y = new Float64Array(N);
for (let k = 1; k < N; k++) y[k] = 0.9 * y[k - 1]! + 0.1 * Math.tanh(u[k - 1]!);
const MODEL = 'model rnn { states 1 }\nloss mse\nsolver nailm { iterations 3 }\n';

function specIn(text: string, withNaN = false): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-preview-'));
  const rows = [...u].map(
    (v, k) => `${v.toPrecision(17)},${withNaN && k === 10 ? 'NaN' : y[k]!.toPrecision(17)}`,
  );
  writeFileSync(path.join(dir, 'rec.csv'), `u,y\n${rows.join('\n')}\n`);
  writeFileSync(path.join(dir, 'spec.nails'), text);
  return path.join(dir, 'spec.nails');
}

/** The preview's values of a part (null back to NaN) against compileSpec's raw experiment. */
async function assertSameAsCompiler(file: string): Promise<void> {
  const preview = await previewSpec(file, []);
  const check = await checkSpecFile(file, []);
  assert.deepEqual(
    check.problems.filter((p) => p.severity === 'error').map((p) => p.text),
    [],
  );
  const compiled = compileSpec(check.analysis.resolved!);
  assert.equal(preview.parts.length, compiled.parts.length);
  for (const c of compiled.parts) {
    const p = preview.parts.find((x) => x.kind === c.kind && x.name === c.name);
    assert.ok(p, `${c.kind} ${c.name} previewed`);
    assert.equal(p.N, c.raw.N, `${c.kind}: N`);
    assert.equal(p.nInit, c.nInit);
    const ins = p.signals.filter((s) => s.role === 'input');
    const outs = p.signals.filter((s) => s.role === 'output');
    assert.equal(ins.length, c.raw.nu);
    assert.equal(outs.length, c.raw.ny);
    for (let k = 0; k < c.raw.N; k++) {
      assert.equal(ins[0]!.values[k], c.raw.u[k * c.raw.nu], `${c.kind} u[${k}]`);
      assert.equal(outs[0]!.values[k], c.raw.y[k * c.raw.ny], `${c.kind} y[${k}]`);
    }
  }
}

describe('data preview parts', () => {
  it('ranges in record samples, n_init and statistics per signal (file data)', async () => {
    const file = specIn(
      `data {\n  file "rec.csv"\n  sampling 10 ms\n  train 0..600 { input u output y }\n  test 600..900 { input u output y init 25 }\n}\n${MODEL}`,
    );
    const p = await previewSpec(file, []);
    assert.equal(p.Ts, 0.01);
    assert.deepEqual(
      p.parts.map((x) => [
        x.kind,
        x.range,
        x.step,
        x.N,
        x.nInit,
        x.signals.map((s) => `${s.role} ${s.name}`),
      ]),
      [
        ['train', [0, 600], 1, 600, 0, ['input u', 'output y']],
        ['test', [600, 900], 1, 300, 25, ['input u', 'output y']],
      ],
    );
    const test = p.parts[1]!.signals[0]!;
    const mean = u.slice(600).reduce((s, v) => s + v, 0) / 300;
    assert.ok(Math.abs(test.stats.mean - mean) < 1e-12);
    assert.equal(test.stats.min, Math.min(...u.slice(600)));
    assert.equal(test.stats.max, Math.max(...u.slice(600)));
    await assertSameAsCompiler(file);
  });

  it('decimation: every K-th filtered sample, the record Ts before decimation', async () => {
    const file = specIn(
      `data {\n  file "rec.csv"\n  sampling 1 ms\n  decimate 3\n  train 0..600 { input u output y }\n  test 600..900 { input u output y init 5 }\n}\n${MODEL}`,
    );
    const p = await previewSpec(file, []);
    assert.equal(p.Ts, 0.001);
    assert.deepEqual(
      p.parts.map((x) => [x.range, x.step, x.N]),
      [
        [[0, 600], 3, 200],
        [[600, 900], 3, 100],
      ],
    );
    await assertSameAsCompiler(file);
  });

  it('a validation share is the end of the training part, in record samples', async () => {
    const file = specIn(
      `data {\n  file "rec.csv"\n  train 100..600 { input u output y }\n  validation 20% { init 10 }\n  test 600..900 { input u output y init 5 }\n}\n${MODEL}`,
    );
    const p = await previewSpec(file, []);
    assert.deepEqual(
      p.parts.map((x) => [x.kind, x.range, x.N, x.nInit]),
      [
        ['train', [100, 500], 400, 0],
        ['test', [600, 900], 300, 5],
        ['validation', [500, 600], 100, 10],
      ],
    );
    await assertSameAsCompiler(file);
  });

  it('generated data: the binary-output record, u1 and y1', async () => {
    const file = specIn(
      `data {\n  generate binary_output seed 3 samples 2000\n  train 0..1000\n  test 1000..2000 { init 50 }\n}\n${MODEL}`,
    );
    const p = await previewSpec(file, []);
    assert.deepEqual(
      p.parts.map((x) => [x.kind, x.range, x.N, x.nInit, x.signals.map((s) => s.name)]),
      [
        ['train', [0, 1000], 1000, 0, ['u1', 'y1']],
        ['test', [1000, 2000], 1000, 50, ['u1', 'y1']],
      ],
    );
    const y1 = p.parts[1]!.signals[1]!;
    assert.ok(
      y1.values.every((v) => v === 0 || v === 1),
      'binary outputs',
    );
    await assertSameAsCompiler(file);
  });

  it('a model with errors does not stop the preview; a data error is one message with its line', async () => {
    const ok = specIn(
      'data {\n  file "rec.csv"\n  train 0..600 { input u output y }\n}\nmodel rnn { states 2 state { activation tahn } }\n',
    );
    assert.equal((await previewSpec(ok, [])).parts.length, 1);
    const bad = specIn(
      'data {\n  file "rec.csv"\n  train 0..600 { input uu output y }\n}\n' + MODEL,
    );
    await assert.rejects(
      previewSpec(bad, []),
      /spec\.nails:3: the data section has an error: 'uu' is not in rec\.csv/,
    );
  });

  it('a NaN in the data is counted and sent as null', async () => {
    const file = specIn(
      `data {\n  file "rec.csv"\n  train 0..600 { input u output y }\n}\n${MODEL}`,
      true,
    );
    const p = await previewSpec(file, []);
    const yv = p.parts[0]!.signals[1]!;
    assert.equal(yv.stats.nan, 1);
    assert.equal(yv.values[10], null);
    assert.ok(
      p.problems.some((m) => /spec.nails:3: error: 'y' has 1 non-finite sample/.test(m)),
      p.problems.join('; '),
    );
  });

  it('the request answers for a spec URI (the open text first) and says why when it cannot', async () => {
    const file = specIn(
      `data {\n  file "rec.csv"\n  train 0..600 { input u output y }\n}\n${MODEL}`,
    );
    const uri = pathToFileURL(file).toString();
    const r = await answerPreview({ uri }, []);
    assert.ok(r.ok && r.data.parts[0]!.N === 600);
    const edited = await answerPreview(
      { uri },
      [],
      () => `data {\n  file "rec.csv"\n  train 0..300 { input u output y }\n}\n${MODEL}`,
    );
    assert.ok(edited.ok && edited.data.parts[0]!.N === 300, 'the unsaved text is previewed');
    const none = await answerPreview({ runDir: path.join(path.dirname(file), 'nope') }, []);
    assert.ok(!none.ok && /no model\.json/.test(none.message), JSON.stringify(none));
  });
});
