/**
 * Recommended starting settings (src/core/recommend.ts): the order from the linear stage's
 * singular values, and the size / ridge / solver rules as functions of the record length.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderFromSingularValues, recommendSettings } from '../../src/core/recommend';

describe('recommendSettings', () => {
  it('takes the order where the singular values fall below 1 % of the largest', () => {
    // Cascaded tanks' values (PO-MOESP, horizon 10, standardised uEst/yEst).
    assert.equal(orderFromSingularValues([65.1, 3.03, 0.847, 0.167, 0.102]), 3);
    // Two-tank's: the gap after the second value.
    assert.equal(orderFromSingularValues([81.6, 2.46, 0.199, 0.158, 0.153]), 2);
    assert.equal(orderFromSingularValues([1, 1e-3]), 1);
    assert.equal(
      orderFromSingularValues([10, 9, 8, 7, 6, 5, 4, 3, 2, 1e-3, 1e-3, 1e-3]),
      8,
      'clamped',
    );
    // A flat noise tail at 2.5 % of σ1: the floor, not 1 %, separates the two states.
    assert.equal(
      orderFromSingularValues([1, 0.58, 0.026, 0.025, 0.025, 0.023, 0.02, 0.017, 0.0094, 0.008]),
      2,
    );
    assert.equal(orderFromSingularValues([]), undefined);
    assert.equal(orderFromSingularValues([0, 0]), undefined);
  });

  it('scales size, ridge term and solver with the record length', () => {
    const at = (N: number) =>
      recommendSettings({ N, nu: 1, ny: 1, nTest: 1000, singularValues: [1, 0.1, 1e-3] });
    assert.deepEqual(
      [1024, 2000, 20000, 65062, 100000].map((N) => {
        const r = at(N);
        return [r.states, r.hidden, r.l2, r.method, r.iterations];
      }),
      [
        [2, 8, 1e-3, 'nailm', 100],
        [2, 8, 1e-3, 'nailm', 100],
        [2, 12, 1e-4, 'nailm', 100],
        [2, 16, 1e-5, 'nails', 250],
        [2, 16, 1e-5, 'nails', 250],
      ],
    );
  });

  it('estimates x0 from 10 samples per state, within 10 % of the test part', () => {
    const r = (nTest: number, sv: number[]) =>
      recommendSettings({ N: 1000, nu: 1, ny: 1, nTest, singularValues: sv }).init;
    assert.equal(r(1000, [1, 0.5, 0.2, 1e-4]), 30);
    assert.equal(r(100, [1, 0.5, 0.2, 1e-4]), 10);
    assert.equal(r(5, [1, 1e-4]), 1);
  });

  it('says why, and falls back to 2 states without an order estimate', () => {
    const r = recommendSettings({ N: 500, nu: 1, ny: 1, nTest: 200, singularValues: [] });
    assert.equal(r.states, 2);
    assert.match(r.reasons.states, /no order estimate/);
    assert.match(r.reasons.l2, /N = 500/);
  });
});
