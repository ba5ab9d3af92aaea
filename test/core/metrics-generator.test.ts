import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NailsError } from '../../src/core/errors';
import { binaryOutputSystem, generateBinaryOutput } from '../../src/core/generators/binary-output';
import { channelMetrics } from '../../src/core/metrics';
import { Random } from '../../src/core/random';
import { assertClose, fixture } from '../helpers';

interface MetricCase {
  N: number;
  ny: number;
  n_init: number;
  y: number[];
  yhat: number[];
  rmse: number[];
  nrmse: number[];
  r2: number[];
  fit: number[];
  ybin: number[];
  pbin: number[];
  accuracy: number[];
}

describe('metrics (ALGORITHM.md §7)', () => {
  for (const c of fixture<MetricCase[]>('metrics.json')) {
    it(`match numpy: N=${c.N}, ny=${c.ny}, n_init=${c.n_init}`, () => {
      const m = channelMetrics(Float64Array.from(c.y), Float64Array.from(c.yhat), c.ny, c.n_init);
      assertClose(
        m.map((x) => x.rmse),
        c.rmse,
        1e-12,
        0,
        'rmse',
      );
      assertClose(
        m.map((x) => x.nrmse),
        c.nrmse,
        1e-12,
        0,
        'nrmse',
      );
      assertClose(
        m.map((x) => x.r2),
        c.r2,
        1e-12,
        1e-14,
        'r2',
      );
      assertClose(
        m.map((x) => x.fit),
        c.fit,
        1e-12,
        1e-12,
        'fit',
      );
      for (const x of m) {
        assertClose([x.r2], [1 - x.nrmse ** 2], 1e-14, 1e-15, 'R² = 1 − NRMSE²');
        assertClose([x.fit], [100 * (1 - x.nrmse)], 1e-14, 1e-12, 'fit = 100(1 − NRMSE)');
      }
      const b = channelMetrics(
        Float64Array.from(c.ybin),
        Float64Array.from(c.pbin),
        c.ny,
        c.n_init,
      );
      assertClose(
        b.map((x) => x.accuracy),
        c.accuracy,
        1e-12,
        0,
        'accuracy',
      );
    });
  }

  it('hand computation: y = [0, 1, 2, 3], ŷ = [9, 1, 2, 5], skipping the first sample', () => {
    // After skipping: e = [0, 0, −2], y = [1, 2, 3], mean 2, std = sqrt(2/3), RMSE = sqrt(4/3).
    const [m] = channelMetrics(Float64Array.of(0, 1, 2, 3), Float64Array.of(9, 1, 2, 5), 1, 1);
    assertClose(
      [m!.rmse, m!.nrmse, m!.fit],
      [Math.sqrt(4 / 3), Math.sqrt(2), 100 * (1 - Math.sqrt(2))],
      1e-15,
    );
    assert.equal(m!.accuracy, 100);
  });

  it('bad n_init is named', () => {
    assert.throws(
      () => channelMetrics(Float64Array.of(1, 2), Float64Array.of(1, 2), 1, 2),
      (e: unknown) => e instanceof NailsError && /nInit = 2/.test(e.message),
    );
  });
});

describe('binary-output system (ALGORITHM.md §8)', () => {
  it('equations match an independent numpy implementation driven by the same sequences', () => {
    const f = fixture<{
      N: number;
      u: number[];
      e: number[];
      xi: number[];
      y: number[];
      x: number[];
    }>('binary-output.json');
    const r = binaryOutputSystem(
      Float64Array.from(f.u),
      Float64Array.from(f.e),
      Float64Array.from(f.xi),
    );
    assertClose(r.x, f.x, 1e-12, 1e-14, 'states');
    assert.deepEqual([...r.y], f.y);
  });

  it('is seeded and reproducible, splits 1000/1000, and has both classes', () => {
    const a = generateBinaryOutput({ seed: 3 });
    const b = generateBinaryOutput({ seed: 3 });
    const c = generateBinaryOutput({ seed: 4 });
    assert.equal(a.train.N, 1000);
    assert.equal(a.test.N, 1000);
    assert.deepEqual([...a.full.y], [...b.full.y]);
    assert.notDeepEqual([...a.full.u], [...c.full.u]);
    const ones = a.full.y.reduce((s, v) => s + v, 0);
    assert.ok(ones > 100 && ones < 1900, `both classes present (${ones} ones)`);
    assert.ok(a.full.u.every((v) => v >= 0 && v < 1));
  });
});

describe('seeded random numbers', () => {
  it('uniform and normal moments', () => {
    const r = new Random(42);
    const n = 200000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    for (let i = 0; i < n; i++) {
      su += r.uniform();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    assert.ok(Math.abs(su / n - 0.5) < 0.005);
    assert.ok(Math.abs(sn / n) < 0.01);
    assert.ok(Math.abs(sn2 / n - 1) < 0.02);
  });
});
