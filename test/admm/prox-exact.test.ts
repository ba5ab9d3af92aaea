/**
 * The proximal and projection operators against their closed forms at known points, including the
 * boundaries and ties (prox.test.ts checks them against brute force on random values).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockSoftThreshold } from '../../src/core/admm/prox/group-lasso';
import { hardThreshold, keepLargest } from '../../src/core/admm/prox/l0';
import { softThreshold } from '../../src/core/admm/prox/l1';
import { clip, nearestInteger, nearestLevel } from '../../src/core/admm/prox/sets';

describe('ℓ1 soft threshold sign(v)·max(|v| − t, 0)', () => {
  it('shrinks by t on either side and zeroes the dead zone [−t, t]', () => {
    assert.equal(softThreshold(2.5, 0.75), 1.75);
    assert.equal(softThreshold(-2.5, 0.75), -1.75);
    assert.equal(softThreshold(0.5, 0.75), 0);
    assert.equal(softThreshold(-0.5, 0.75), 0);
    assert.equal(softThreshold(0.75, 0.75), 0);
    assert.equal(softThreshold(-0.75, 0.75), 0);
    assert.equal(softThreshold(0.3, 0), 0.3);
  });
});

describe('ℓ0 hard threshold: keep v when |v| > √(2t)', () => {
  it('at t = 2 the boundary is |v| = 2: zero at and just below, v just above', () => {
    assert.equal(hardThreshold(2, 2), 0);
    assert.equal(hardThreshold(-2, 2), 0);
    assert.equal(hardThreshold(1.999, 2), 0);
    assert.equal(hardThreshold(-1.999, 2), 0);
    assert.equal(hardThreshold(2.001, 2), 2.001);
    assert.equal(hardThreshold(-2.001, 2), -2.001);
  });
  it('the threshold is √(2t), not √t nor t', () => {
    // t = 0.5: √(2t) = 1, √t ≈ 0.707, t = 0.5
    assert.equal(hardThreshold(0.9, 0.5), 0);
    assert.equal(hardThreshold(1.1, 0.5), 1.1);
    // t = 8: √(2t) = 4, t/2 = 4 would also give 4, 2/t gives 0.25
    assert.equal(hardThreshold(3.5, 8), 0);
    assert.equal(hardThreshold(4.5, 8), 4.5);
    // t = 4.5: √(2t) = 3; √(t/2) = 1.5
    assert.equal(hardThreshold(2, 4.5), 0);
    assert.equal(hardThreshold(3.2, 4.5), 3.2);
  });
});

describe('ℓ0 budget: keep the k largest magnitudes', () => {
  it('keeps the k largest |v| (negative ones too) and zeroes the rest', () => {
    const v = Float64Array.of(0.5, -3, 2, -0.1, 1.5);
    keepLargest(v, [0, 1, 2, 3, 4], 2);
    assert.deepEqual([...v], [0, -3, 2, 0, 0]);
    assert.deepEqual(Object.keys(v), ['0', '1', '2', '3', '4'], 'no stray properties');
  });
  it('only touches the given indices', () => {
    const v = Float64Array.of(9, 0.5, -3, 2, 7);
    keepLargest(v, [1, 2, 3], 1);
    assert.deepEqual([...v], [9, 0, -3, 0, 7]);
  });
  it('ties are broken by position, the earlier entry is kept', () => {
    const v = Float64Array.of(1, -2, 2, 0.5, -2);
    keepLargest(v, [0, 1, 2, 3, 4], 2);
    assert.deepEqual([...v], [0, -2, 2, 0, 0]);
    const w = Float64Array.of(-2, 1, 2);
    keepLargest(w, [2, 1, 0], 1);
    assert.deepEqual([...w], [-2, 0, 0]);
  });
  it('k = 0 zeroes everything; k ≥ the count keeps everything', () => {
    const v = Float64Array.of(1, -2, 3);
    keepLargest(v, [0, 1, 2], 0);
    assert.deepEqual([...v], [0, 0, 0]);
    const w = Float64Array.of(1, -2, 3);
    keepLargest(w, [0, 1, 2], 3);
    assert.deepEqual([...w], [1, -2, 3]);
    keepLargest(w, [0, 1, 2], 5);
    assert.deepEqual([...w], [1, -2, 3]);
  });
});

describe('group-Lasso block soft threshold max(0, 1 − t/‖v‖)·v', () => {
  it('shrinks by the factor 1 − t/‖v‖ (‖(3, 4)‖ = 5, t = 1: factor 0.8)', () => {
    const v = Float64Array.of(3, -4);
    blockSoftThreshold(v, [0, 1], 1);
    assert.ok(Math.abs(v[0]! - 2.4) < 1e-15 && Math.abs(v[1]! + 3.2) < 1e-15, [...v].join(', '));
  });
  it('the norm is over the group only; other entries are untouched', () => {
    const v = Float64Array.of(100, 6, -7, 8, 100);
    blockSoftThreshold(v, [1, 3], 5); // ‖(6, 8)‖ = 10, factor 0.5
    assert.deepEqual([...v], [100, 3, -7, 4, 100]);
    assert.deepEqual(Object.keys(v), ['0', '1', '2', '3', '4'], 'no stray properties');
  });
  it('zeroes the group when ‖v‖ ≤ t (boundary included)', () => {
    const v = Float64Array.of(3, 4, 1);
    blockSoftThreshold(v, [0, 1], 5);
    assert.deepEqual([...v], [0, 0, 1]);
    const w = Float64Array.of(0.6, -0.8);
    blockSoftThreshold(w, [0, 1], 1.5);
    assert.ok(
      w.every((x) => x === 0),
      [...w].join(', '),
    );
  });
  it('a single entry behaves as the soft threshold', () => {
    const v = Float64Array.of(-2.5);
    blockSoftThreshold(v, [0], 0.75);
    assert.equal(v[0], softThreshold(-2.5, 0.75));
  });
});

describe('projections onto sets', () => {
  it('clip to [lo, hi]', () => {
    assert.equal(clip(-3, -1, 2), -1);
    assert.equal(clip(5, -1, 2), 2);
    assert.equal(clip(0.5, -1, 2), 0.5);
    assert.equal(clip(-1, -1, 2), -1);
    assert.equal(clip(2, -1, 2), 2);
  });
  it('nearest integer rounds half away from zero', () => {
    assert.equal(nearestInteger(2.5), 3);
    assert.equal(nearestInteger(-2.5), -3);
    assert.equal(nearestInteger(2.4), 2);
    assert.equal(nearestInteger(-2.6), -3);
    assert.equal(nearestInteger(-3.6), -4);
    assert.equal(nearestInteger(1234.5), 1235);
    assert.equal(nearestInteger(0.2), 0);
  });
  it('nearest integer is clipped to the integers inside [lo, hi]', () => {
    assert.equal(nearestInteger(-2.7, -2.5, 3.5), -2);
    assert.equal(nearestInteger(3.7, -2.5, 3.5), 3);
    assert.equal(nearestInteger(0.6, -2.5, 3.5), 1);
    assert.equal(nearestInteger(-9, -3, 3), -3);
    assert.equal(nearestInteger(9, -3, 3), 3);
    assert.equal(nearestInteger(-9, undefined, 3), -9);
    assert.equal(nearestInteger(9, -3), 9);
  });
  it('nearest level, the lower on ties, the end levels outside the range', () => {
    const levels = [-1, -0.25, 0, 0.5, 2];
    const cases: [number, number][] = [
      [-5, -1],
      [-1, -1],
      [-0.7, -1],
      [-0.5, -0.25],
      [-0.625, -1], // tie between -1 and -0.25
      [-0.1, 0],
      [-0.125, -0.25], // tie between -0.25 and 0
      [0.25, 0], // tie between 0 and 0.5
      [0.3, 0.5],
      [0.5, 0.5],
      [1.25, 0.5], // tie between 0.5 and 2
      [1.3, 2],
      [2, 2],
      [7, 2],
    ];
    for (const [v, q] of cases) assert.equal(nearestLevel(v, levels), q, `v = ${v}`);
    assert.equal(nearestLevel(3, [1.5]), 1.5);
    assert.equal(nearestLevel(-3, [1.5]), 1.5);
    assert.equal(nearestLevel(0.9, [0, 1]), 1);
    assert.equal(nearestLevel(0.5, [0, 1]), 0);
    // a long level set: every level maps to itself, every midpoint to the lower neighbour
    const many = Array.from({ length: 17 }, (_, i) => (i - 8) / 4);
    many.forEach((q, i) => {
      assert.equal(nearestLevel(q, many), q);
      if (i + 1 < many.length) {
        assert.equal(nearestLevel((q + many[i + 1]!) / 2, many), q);
        assert.equal(nearestLevel(q + 0.2, many), many[i + 1]);
        assert.equal(nearestLevel(q + 0.05, many), q);
      }
    });
  });
});
