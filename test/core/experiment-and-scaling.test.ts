import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExperiments, makeExperiment, sliceExperiment } from '../../src/core/data/experiment';
import { fitStandardScaling, scaleExperiment, unscaleOutputs } from '../../src/core/data/scaling';
import { NailsError } from '../../src/core/errors';
import { Random } from '../../src/core/random';
import { assertClose } from '../helpers';

const isNails = (re: RegExp) => (e: unknown) => e instanceof NailsError && re.test(e.message);

describe('experiments', () => {
  it('accepts flat arrays and rows, row-major', () => {
    const e = makeExperiment({
      name: 'e',
      u: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      y: [7, 8, 9],
    });
    assert.equal(e.N, 3);
    assert.equal(e.nu, 2);
    assert.deepEqual([...e.u], [1, 2, 3, 4, 5, 6]);
    const f = makeExperiment({ u: new Float64Array([1, 2, 3, 4]), nu: 2, y: [1, 2, 3, 4], ny: 2 });
    assert.equal(f.N, 2);
  });

  it('bad input names the argument and says how to fix it', () => {
    assert.throws(
      () => makeExperiment({ name: 'run1', u: [1, 2, 3], y: [1, 2] }),
      isNails(/run1: u has 3 samples but y has 2/),
    );
    assert.throws(
      () => makeExperiment({ name: 'run1', u: [1, 2, 3], nu: 2, y: [1, 2] }),
      isNails(/run1\.u: 3 values are not a whole number of samples of 2 channels/),
    );
    assert.throws(
      () => makeExperiment({ name: 'run1', u: [[1, 2], [3]], y: [1, 2] }),
      isNails(/run1\.u: row 1 has 1 columns but row 0 has 2/),
    );
    assert.throws(
      () => makeExperiment({ name: 'run1', u: [1, NaN], y: [1, 2] }),
      isNails(/run1\.u contains NaN at index 1/),
    );
    assert.throws(
      () => makeExperiment({ name: 'run1', u: [1, 2], y: [1, Infinity] }),
      isNails(/run1\.y contains Infinity at index 1/),
    );
    assert.throws(() => makeExperiment({ name: 'run1', u: [], y: [] }), isNails(/y is empty/));
    const a = makeExperiment({ u: [1, 2], y: [1, 2] });
    const b = makeExperiment({ u: [1, 2, 3, 4], nu: 2, y: [1, 2] });
    assert.throws(
      () => checkExperiments([a, b]),
      isNails(/experiments\[1\] .* has nu=2, ny=1 but experiments\[0\] has nu=1/),
    );
    assert.throws(() => checkExperiments([]), isNails(/experiments is empty/));
    assert.throws(
      () => sliceExperiment(a, 1, 5),
      isNails(/range \[1, 5\) is outside the record of 2 samples/),
    );
  });
});

describe('standard scaling', () => {
  it('scaled training data has mean 0 and population std 1 per channel; unscale inverts', () => {
    const rng = new Random(1);
    const mk = (N: number) =>
      makeExperiment({
        u: Array.from({ length: N }, () => [3 + 2 * rng.normal(), -1 + 0.1 * rng.normal()]),
        y: Array.from({ length: N }, () => [100 + 10 * rng.normal()]),
      });
    const exps = [mk(300), mk(500)];
    const s = fitStandardScaling(exps);
    const scaled = exps.map((e) => scaleExperiment(e, s));
    for (let c = 0; c < 2; c++) {
      const vals = scaled.flatMap((e) => Array.from({ length: e.N }, (_, k) => e.u[k * 2 + c]!));
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
      assertClose([mean, std], [0, 1], 1e-12, 1e-12, `u channel ${c}`);
    }
    assertClose(unscaleOutputs(scaled[1]!.y, s), exps[1]!.y, 1e-14, 1e-12, 'round trip');
  });

  it('a constant channel gets std 1 instead of a division by zero', () => {
    const s = fitStandardScaling([makeExperiment({ u: [2, 2, 2], y: [1, 2, 3] })]);
    assert.deepEqual(s.uStd, [1]);
    assert.deepEqual(s.uMean, [2]);
  });
});
