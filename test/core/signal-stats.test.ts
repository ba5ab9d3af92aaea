/**
 * The data preview's statistics: mean, population standard deviation, min, max and the count of
 * non-finite samples, against values worked out by hand and a large-offset case where the
 * one-pass formula E[x²] − E[x]² loses every digit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signalStatistics } from '../../src/core/data/signal-stats';

describe('signal statistics', () => {
  it('a hand-computed sequence: 2 4 4 4 5 5 7 9 has mean 5 and std 2', () => {
    const s = signalStatistics([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.deepEqual(s, { mean: 5, std: 2, min: 2, max: 9, nan: 0 });
  });

  it('NaN and ±Inf are counted and left out of the other statistics', () => {
    const s = signalStatistics([1, NaN, 3, Infinity, -Infinity, 5]);
    assert.equal(s.nan, 3);
    assert.equal(s.mean, 3);
    assert.equal(s.min, 1);
    assert.equal(s.max, 5);
    assert.ok(Math.abs(s.std - Math.sqrt(8 / 3)) < 1e-15);
  });

  it('a sub-range [start, end) only', () => {
    const s = signalStatistics(Float64Array.from([100, 1, 2, 3, -100]), 1, 4);
    assert.deepEqual(s, { mean: 2, std: Math.sqrt(2 / 3), min: 1, max: 3, nan: 0 });
  });

  it('a large offset keeps the variance (two passes)', () => {
    const x = Float64Array.from({ length: 1000 }, (_, k) => 1e9 + (k % 2 === 0 ? 1 : -1));
    const s = signalStatistics(x);
    assert.equal(s.mean, 1e9);
    assert.equal(s.std, 1);
  });

  it('no finite sample: NaN statistics and every sample counted', () => {
    const s = signalStatistics([NaN, NaN]);
    assert.equal(s.nan, 2);
    assert.ok([s.mean, s.std, s.min, s.max].every(Number.isNaN));
  });
});
