/**
 * What compiling a spec holds in memory (issue #18, streaming I/O): the data file is read once
 * (the spec check's cached table), a one-channel part is a view of the file's column, a part
 * over the same samples as another shares its scaled signals, and the scaled signals are in
 * SharedArrayBuffers (a solver thread receives them without a copy). The values stay those of
 * the file, scaled as before.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { scaleExperiment } from '../../src/core/data/scaling';
import { compileSpec } from '../../src/language/compiler';
import { readDataTable } from '../../src/language/data-headers';
import { checkSpecFile } from '../../src/language/load-spec';

const N = 500;
const u = Float64Array.from({ length: N }, (_, k) => Math.sin(0.05 * k) + 0.3 * Math.cos(0.7 * k));
const y = new Float64Array(N);
for (let k = 1; k < N; k++) y[k] = 0.9 * y[k - 1]! + 0.1 * Math.tanh(2 * u[k - 1]!);

async function compile(parts: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-views-'));
  const csv = path.join(dir, 'd.csv');
  writeFileSync(csv, `u,y\n${[...u].map((v, k) => `${v},${y[k]}`).join('\n')}\n`);
  const spec = path.join(dir, 's.nails');
  writeFileSync(
    spec,
    `data {\n  file "d.csv"\n${parts}\n  scale standard\n}\nmodel rnn { states 1 }\nloss mse\nsolver nailm { iterations 1 }\n`,
  );
  const c = await checkSpecFile(spec, []);
  assert.deepEqual(
    c.problems.map((p) => p.text),
    [],
  );
  return { compiled: compileSpec(c.analysis.resolved!), table: readDataTable(csv) };
}

describe('compiling without copies of the data', () => {
  it('train and test on the same samples: views of the file, one scaled copy shared', async () => {
    const { compiled, table } = await compile(
      '  train { input u output y }\n  test { input u output y init 5 }',
    );
    const [train, test] = compiled.parts;
    assert.equal(train!.raw.u, table.signals.get('u')!.values, 'train u is the column itself');
    assert.equal(test!.raw.y, table.signals.get('y')!.values);
    assert.equal(test!.scaled.u.buffer, train!.scaled.u.buffer, 'one scaled u for both parts');
    assert.equal(test!.scaled.y.buffer, train!.scaled.y.buffer);
    assert.ok(train!.scaled.u.buffer instanceof SharedArrayBuffer);
    assert.equal(compiled.fit.train[0]!.u, train!.scaled.u, 'the solver gets the same arrays');
    const expected = scaleExperiment(train!.raw, compiled.scaling);
    assert.deepEqual([...train!.scaled.u], [...expected.u]);
    assert.deepEqual([...test!.scaled.y], [...expected.y]);
  });

  it('ranges and a validation share are views; parts inside another part reuse its scaled signals', async () => {
    const { compiled, table } = await compile(
      '  train 0..400 { input u output y }\n  validation 25% { init 5 }\n  test 0..400 { input u output y init 5 }',
    );
    const byKind = (k: string) => compiled.parts.find((p) => p.kind === k)!;
    const [train, val, test] = [byKind('train'), byKind('validation'), byKind('test')];
    const column = table.signals.get('u')!.values;
    assert.equal(train.raw.u.buffer, column.buffer, 'a range is a view of the column');
    assert.equal(val.raw.u.buffer, column.buffer, 'the share is a view too');
    assert.deepEqual([train.raw.N, val.raw.N, test.raw.N], [300, 100, 400]);
    assert.deepEqual([...val.raw.y], [...y.slice(300, 400)]);
    for (const p of [train, val, test]) {
      const expected = scaleExperiment(p.raw, compiled.scaling);
      assert.deepEqual([...p.scaled.u], [...expected.u], `${p.kind} u`);
      assert.deepEqual([...p.scaled.y], [...expected.y], `${p.kind} y`);
      assert.ok(p.scaled.u.buffer instanceof SharedArrayBuffer);
      assert.equal(p.scaled.y.buffer, test.scaled.y.buffer, `${p.kind}: inside the test part`);
    }
  });
});
