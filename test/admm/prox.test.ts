import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { softThreshold } from '../../src/core/admm/prox/l1';
import { hardThreshold, keepLargest } from '../../src/core/admm/prox/l0';
import { blockSoftThreshold } from '../../src/core/admm/prox/group-lasso';
import { clip, nearestInteger, nearestLevel } from '../../src/core/admm/prox/sets';

import { magnitude, realistic } from '../generators';

// Magnitudes a model meets (1e-3…1e3, exact zeros), never 1e-200 (test/generators.ts).
const real = realistic();
const pos = magnitude();

/** argmin over a grid of [lo, hi] of f(x) + ½(x − v)² (brute force), and the grid step. */
function gridArgmin(
  f: (x: number) => number,
  v: number,
  lo: number,
  hi: number,
  steps = 200001,
): { x: number; h: number } {
  let best = lo;
  let bestV = Infinity;
  for (let k = 0; k < steps; k++) {
    const x = lo + ((hi - lo) * k) / (steps - 1);
    const val = f(x) + 0.5 * (x - v) ** 2;
    if (val < bestV) {
      bestV = val;
      best = x;
    }
  }
  return { x: best, h: (hi - lo) / (steps - 1) };
}

describe('proximal and projection operators against their definitions', () => {
  it('ℓ1: soft threshold = brute-force argmin t|x| + ½(x − v)²', () => {
    fc.assert(
      fc.property(real, pos, (v, t) => {
        const x = softThreshold(v, t);
        const w = 1.2 * (Math.abs(v) + 1);
        const ref = gridArgmin((z) => t * Math.abs(z), v, -w, w);
        assert.ok(Math.abs(x - ref.x) <= 2 * ref.h, `${x} vs ${ref.x} (grid step ${ref.h})`);
      }),
      { numRuns: 60 },
    );
  });

  it('ℓ0: hard threshold is the better of the two candidates {0, v}', () => {
    fc.assert(
      fc.property(real, pos, (v, t) => {
        const x = hardThreshold(v, t);
        const obj = (z: number) => (z !== 0 ? t : 0) + 0.5 * (z - v) ** 2;
        assert.ok(x === 0 || x === v);
        assert.ok(obj(x) <= Math.min(obj(0), obj(v)) + 1e-12);
      }),
    );
  });

  it('ℓ0 budget: keeps exactly the k largest magnitudes (the projection onto ‖x‖₀ ≤ k)', () => {
    fc.assert(
      fc.property(fc.array(real, { minLength: 1, maxLength: 12 }), fc.nat(12), (vals, k) => {
        const v = Float64Array.from(vals);
        const idx = vals.map((_, i) => i);
        keepLargest(v, idx, k);
        const nz = [...v].filter((x) => x !== 0).length;
        assert.ok(nz <= Math.min(k, vals.length));
        // Optimal: the discarded energy is the smallest possible, by enumeration of sorted magnitudes.
        const discarded = vals.reduce((s, x, i) => s + (v[i] === 0 ? x * x : 0), 0);
        const sorted = vals.map((x) => x * x).sort((a, b) => a - b);
        const best = sorted.slice(0, Math.max(0, vals.length - k)).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(discarded - best) <= 1e-9 * (1 + best));
        vals.forEach((x, i) => assert.ok(v[i] === 0 || v[i] === x));
      }),
    );
  });

  it('group-Lasso: block soft threshold is optimal (no perturbation improves t‖x‖ + ½‖x − v‖²)', () => {
    const vec = fc.array(real, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(vec, pos, vec, (vals, t, dir) => {
        const v = Float64Array.from(vals);
        const x = Float64Array.from(vals);
        blockSoftThreshold(
          x,
          vals.map((_, i) => i),
          t,
        );
        const obj = (z: ArrayLike<number>) =>
          t * Math.hypot(...Array.from(z)) +
          0.5 * Array.from(z).reduce((s, zi, i) => s + (zi - v[i]!) ** 2, 0);
        const f0 = obj(x);
        for (const eps of [1e-3, 1e-1, 1]) {
          const y = Array.from(x, (xi, i) => xi + eps * (dir[i] ?? 0));
          assert.ok(
            obj(y) >= f0 - 1e-12 * (1 + Math.abs(f0)),
            `perturbation ${eps} improved the objective`,
          );
        }
        // Closed form check: zero exactly when ‖v‖ ≤ t.
        if (Math.hypot(...vals) <= t) assert.ok(x.every((xi) => xi === 0));
      }),
    );
  });

  it('bounds, integers and level sets: the nearest member (brute force over the set)', () => {
    fc.assert(
      fc.property(real, real, real, (v, a, b) => {
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const c = clip(v, lo, hi);
        assert.ok(c >= lo && c <= hi);
        assert.ok(
          Math.abs(c - v) <= Math.abs(lo - v) + 1e-15 &&
            Math.abs(c - v) <= Math.abs(hi - v) + 1e-15,
        );
        if (Math.ceil(lo) <= Math.floor(hi)) {
          const r = nearestInteger(v, lo, hi);
          assert.ok(Number.isInteger(r) && r >= lo && r <= hi);
          for (let k = Math.ceil(lo); k <= Math.floor(hi); k++)
            assert.ok(Math.abs(r - v) <= Math.abs(k - v) + 1e-12);
        }
      }),
    );
    fc.assert(
      fc.property(
        real,
        fc.uniqueArray(fc.integer({ min: -16, max: 16 }), { minLength: 1, maxLength: 8 }),
        (v, ints) => {
          const levels = ints.map((i) => i / 8).sort((x, y) => x - y);
          const q = nearestLevel(v, levels);
          assert.ok(levels.includes(q));
          for (const l of levels) assert.ok(Math.abs(q - v) <= Math.abs(l - v) + 1e-15);
        },
      ),
    );
  });
});
