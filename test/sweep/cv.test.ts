/**
 * Time-series cross-validation (`nails sweep --folds K`, rolling origin): no validation sample is
 * inside the training window of its fold, the fold specs check and read those windows, and on a
 * synthetic second-order system the sweep over model orders selects order 2.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSpecFile } from '../../src/language/load-spec';
import { applyFold, foldWindows, trainRecord } from '../../src/language/spec-folds';
import { nails, smallSpec, sweepFile } from './sweep-helpers';

describe('rolling-origin folds', () => {
  it('no validation sample lies inside the training window of the same fold', () => {
    for (const n of [60, 137, 1000, 4099])
      for (let k = 2; k <= 5; k++) {
        const folds = foldWindows(n, k);
        assert.equal(folds.length, k);
        for (const f of folds) {
          const [t0, t1] = f.train;
          const [v0, v1] = f.validation;
          assert.ok(t0 === 0 && t0 < t1 && v0 < v1 && v1 <= n, JSON.stringify(f));
          for (let i = v0; i < v1; i++)
            assert.ok(i < t0 || i >= t1, `n ${n} k ${k}: ${i} in training`);
          assert.equal(v0, t1, 'validation follows training (never shuffled)');
        }
        assert.equal(folds.at(-1)!.validation[1], n, 'the last fold validates up to the end');
      }
    assert.throws(() => foldWindows(30, 5), /too short/);
    assert.throws(() => foldWindows(300, 1), /2 folds or more/);
  });

  it('each fold spec checks and reads its windows of the training record', async () => {
    const { spec } = smallSpec();
    const text =
      'data {\n  generate binary_output seed 1 samples 900\n  train 100..700\n  validation 20%\n  test 700..900 { init 20 }\n}\nmodel linear { states 2 }\nsolver nails\n';
    const [a, b] = trainRecord(text, 900);
    assert.deepEqual([a, b], [100, 700]);
    for (const f of foldWindows(b - a, 3)) {
      const fold = applyFold(text, f, a);
      assert.doesNotMatch(fold, /validation 20%/, 'the spec’s own validation part is replaced');
      const c = await checkSpecFile(spec, [], fold);
      assert.equal(c.errors, 0, c.problems.map((p) => p.text).join('\n'));
      const parts = c.analysis.resolved!.data.parts;
      const train = parts.find((p) => p.kind === 'train')!.range!;
      const valid = parts.find((p) => p.kind === 'validation')!.range!;
      assert.deepEqual(train, [a + f.train[0], a + f.train[1]]);
      assert.deepEqual(valid, [a + f.validation[0], a + f.validation[1]]);
      assert.ok(valid[0] >= train[1], 'validation after training');
    }
  });

  it('selects the known order of a synthetic second-order system', () => {
    const { dir } = smallSpec();
    // y = x1 + noise, x1⁺ = 1.5 x1 + x2 + 0.5 u, x2⁺ = −0.7 x1: a resonant second-order system.
    let seed = 4;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    const lines = ['u,y'];
    let [x1, x2, u] = [0, 0, 0];
    for (let k = 0; k < 2400; k++) {
      if (k % 5 === 0) u = 2 * rand() - 1;
      lines.push(`${u.toFixed(6)},${(x1 + 0.1 * gauss()).toFixed(6)}`);
      [x1, x2] = [1.5 * x1 + x2 + 0.5 * u, -0.7 * x1];
    }
    writeFileSync(path.join(dir, 'sys.csv'), `${lines.join('\n')}\n`);
    const spec = path.join(dir, 'order.nails');
    writeFileSync(
      spec,
      'experiment order\ndata {\n  file "sys.csv"\n  train 0..2000 { input u output y }\n  test 2000..2400 { input u output y init 20 }\n}\nmodel linear { states 1 }\nsolver nails { iterations 30 }\n',
    );
    const r = nails(
      'sweep',
      spec,
      '--set',
      'model.states=1,2,3',
      '--folds',
      '3',
      '--workers',
      '2',
      '--out',
      path.join(dir, 'cv'),
      '--quiet',
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const { file } = sweepFile(r.stdout);
    assert.equal(file.rows.length, 9);
    assert.equal(file.selectBy, 'validationRmse');
    assert.ok(
      file.rows.every(
        (x) => x.status === 'done' && x.fold && x.fold.validation[0] >= x.fold.train[1],
      ),
    );
    assert.equal(file.best?.settings['model.states'], '2', r.stdout);
    assert.match(r.stdout, /^selected: model\.states=2 /m);
  });
});
