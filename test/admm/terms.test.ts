/**
 * The G terms resolved into operators: which entries each term touches, its value at z, its
 * proximal / projection step for a given ρ_A, the order of application and the errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ZLayout } from '../../src/core/admm/groups';
import { levelRange, resolveTerms, type TermConfig } from '../../src/core/admm/terms';
import { NailsError } from '../../src/core/errors';
import { feedforwardModel, linearModel } from '../../src/core/models/model-factory';

// θ = [A11 A12 A21 A22 | B1 B2 | C1 C2], x0 at 8, 9.
const lin = linearModel({ nx: 2, nu: 1, ny: 1 });
const Z: ZLayout = { model: lin, experiments: 1, trainX0: true };
const one = (c: TermConfig) => {
  const t = resolveTerms(Z, [c]);
  assert.equal(t.length, 1);
  return t[0]!;
};
const applied = (c: TermConfig, v: number[], rho: number) => {
  const x = Float64Array.from(v);
  one(c).apply(x, rho);
  return [...x];
};
function throwsExactly(fn: () => unknown, message: string, subject: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NailsError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.subject, subject);
    return true;
  });
}
//          A11  A12  A21   A22  B1   B2    C1    C2   x01  x02
const z0 = [0.5, -2, 0, 1.5, 3, -0.25, 0, 4, -1, 2];

describe('ℓ1: τ Σ|z_i|, soft threshold τ/ρ', () => {
  it('default blocks: all of θ, not x0', () => {
    const t = one({ kind: 'l1', tau: 0.5 });
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(t.isSet, false);
    assert.equal(t.config.kind, 'l1');
    // Σ|θ| = 0.5 + 2 + 0 + 1.5 + 3 + 0.25 + 0 + 4 = 11.25
    assert.equal(t.value(Float64Array.from(z0)), 5.625);
  });
  it('apply: soft threshold at τ/ρ = 0.5 on the selected entries only', () => {
    assert.deepEqual(
      applied({ kind: 'l1', tau: 1, blocks: ['A', 'x0'] }, z0, 2),
      [0, -1.5, 0, 1, 3, -0.25, 0, 4, -0.5, 1.5],
    );
  });
  it('τ = 0 is allowed (no shrinkage); negative, infinite or non-numeric τ are named', () => {
    assert.deepEqual(applied({ kind: 'l1', tau: 0 }, z0, 1), z0);
    for (const tau of [-1, Infinity, NaN])
      throwsExactly(
        () => one({ kind: 'l1', tau }),
        `l1 tau must be a finite number ≥ 0, got ${String(tau)}`,
        'l1 tau',
      );
    throwsExactly(
      () => one({ kind: 'l1', tau: '1' as unknown as number }),
      'l1 tau must be a finite number ≥ 0, got 1',
      'l1 tau',
    );
  });
});

describe('ℓ0: τ·#{z_i ≠ 0}, hard threshold at √(2τ/ρ)', () => {
  it('value counts the non-zeros of the selected entries', () => {
    const t = one({ kind: 'l0', tau: 0.75, blocks: ['A', 'C'] });
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 6, 7]);
    assert.equal(t.isSet, false);
    // non-zeros among A, C: 0.5, -2, 1.5, 4
    assert.equal(t.value(Float64Array.from(z0)), 3);
  });
  it('apply: zero when |v| ≤ √(2τ/ρ) = 1.5 (τ = 2.25, ρ = 2), else keep', () => {
    assert.deepEqual(
      applied({ kind: 'l0', tau: 2.25, blocks: ['A', 'B', 'x0'] }, z0, 2),
      [0, -2, 0, 0, 3, 0, 0, 4, 0, 2],
    );
  });
  it('τ = 0 is allowed; a negative τ is named', () => {
    assert.deepEqual(applied({ kind: 'l0', tau: 0 }, z0, 1), z0);
    throwsExactly(
      () => one({ kind: 'l0', tau: -0.5 }),
      'l0 tau must be a finite number ≥ 0, got -0.5',
      'l0 tau',
    );
  });
});

describe('ℓ0 budget ‖z_I‖₀ ≤ k', () => {
  it('a set: 0 with at most k non-zeros, ∞ with more', () => {
    const t = one({ kind: 'l0-budget', k: 3, blocks: ['A', 'B'] });
    assert.equal(t.isSet, true);
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 4, 5]);
    // A, B hold 5 non-zeros
    assert.equal(t.value(Float64Array.from(z0)), Infinity);
    assert.equal(t.value(Float64Array.of(1, 0, 0, 2, 0, 3, 9, 9, 9, 9)), 0); // exactly 3
    assert.equal(t.value(Float64Array.of(1, 0, 0, 0, 0, 3, 9, 9, 9, 9)), 0);
    assert.equal(t.value(Float64Array.of(1, 0, 1, 2, 0, 3, 9, 9, 9, 9)), Infinity);
  });
  it('apply keeps the k largest magnitudes among the selected entries', () => {
    assert.deepEqual(
      applied({ kind: 'l0-budget', k: 3, blocks: ['A', 'B'] }, z0, 1),
      [0, -2, 0, 1.5, 3, 0, 0, 4, -1, 2],
    );
  });
  it('k = 0 and k = the number of entries are allowed; others are named', () => {
    assert.deepEqual(
      applied({ kind: 'l0-budget', k: 0, blocks: ['B'] }, z0, 1).slice(4, 6),
      [0, 0],
    );
    assert.deepEqual(applied({ kind: 'l0-budget', k: 8 }, z0, 1), z0);
    for (const k of [-1, 1.5, NaN])
      throwsExactly(
        () => one({ kind: 'l0-budget', k }),
        `the l0 budget must be a non-negative integer, got ${k}`,
        'k',
      );
    throwsExactly(
      () => one({ kind: 'l0-budget', k: 9 }),
      'the l0 budget 9 exceeds the 8 entries it applies to',
      'k',
    );
  });
});

describe('group-Lasso τ Σ‖z_g‖ and group-ℓ0 τ·#{g : z_g ≠ 0}', () => {
  // state groups of the 2-state linear model: [0 1 2 4 6 8] and [1 2 3 5 7 9]
  it('the indices are the union of the groups; the groups are kept', () => {
    const t = one({ kind: 'group-lasso', tau: 1, groups: 'states' });
    assert.deepEqual([...t.indices], [0, 1, 2, 4, 6, 8, 3, 5, 7, 9]);
    assert.deepEqual(
      t.groups!.map((g) => [...g]),
      [
        [0, 1, 2, 4, 6, 8],
        [1, 2, 3, 5, 7, 9],
      ],
    );
    assert.equal(t.isSet, false);
    const g = one({ kind: 'group-l0', tau: 1, groups: 'inputs' });
    assert.deepEqual([...g.indices], [4, 5]);
    assert.deepEqual(
      g.groups!.map((x) => [...x]),
      [[4, 5]],
    );
  });
  it('named groups of blocks', () => {
    const t = one({
      kind: 'group-lasso',
      tau: 0.5,
      groups: [
        { name: 'inputs', blocks: ['B'] },
        { name: 'outputs', blocks: ['C', 'x0'] },
      ],
    });
    assert.deepEqual([...t.indices], [4, 5, 6, 7, 8, 9]);
    // ‖B‖ = ‖(3, −0.25)‖, ‖(C, x0)‖ = ‖(0, 4, −1, 2)‖ = √21
    const z = Float64Array.from(z0);
    assert.ok(Math.abs(t.value(z) - 0.5 * (Math.hypot(3, 0.25) + Math.sqrt(21))) < 1e-14);
  });
  it('group-Lasso value and block soft threshold at τ/ρ', () => {
    const groups = [
      { name: 'a', blocks: ['A'] },
      { name: 'b', blocks: ['B'] },
    ];
    const t = one({ kind: 'group-lasso', tau: 3, groups });
    // A = (0.5, −2, 0, 1.5): ‖A‖ = √6.5; B = (3, −0.25): ‖B‖ = √9.0625
    const z = Float64Array.from(z0);
    assert.ok(Math.abs(t.value(z) - 3 * (Math.sqrt(6.5) + Math.sqrt(9.0625))) < 1e-13);
    // v with ‖A‖ = 5 (3, 4, 0, 0) and ‖B‖ = 1 (0.6, −0.8); τ/ρ = 1.5: A × 0.7, B → 0
    const v = Float64Array.of(3, 4, 0, 0, 0.6, -0.8, 7, 7, 7, 7);
    t.apply(v, 2);
    assert.ok(Math.abs(v[0]! - 2.1) < 1e-15 && Math.abs(v[1]! - 2.8) < 1e-15, [...v].join(', '));
    assert.deepEqual(
      [...v.subarray(2)].map((x) => x + 0),
      [0, 0, 0, 0, 7, 7, 7, 7],
    ); // −0 → 0
  });
  it('group-ℓ0 value counts the non-zero groups', () => {
    const t = one({
      kind: 'group-l0',
      tau: 1.5,
      groups: [
        { name: 'a', blocks: ['A'] },
        { name: 'c', blocks: ['C'] },
        { name: 'x', blocks: ['x0'] },
      ],
    });
    assert.equal(t.value(Float64Array.from(z0)), 4.5);
    assert.equal(t.value(Float64Array.of(0, 0, 0, 0, 1, 1, 0, 0, 0, -1)), 1.5);
    assert.equal(t.value(Float64Array.of(0, 0, 0, 0, 1, 1, 0, 0, 0, 0)), 0);
  });
  it('group-ℓ0 zeroes a group when ‖v_g‖² ≤ 2τ/ρ (= 4 at τ = 4, ρ = 2) and keeps it otherwise', () => {
    const t = one({
      kind: 'group-l0',
      tau: 4,
      groups: [
        { name: 'a', blocks: ['A'] },
        { name: 'b', blocks: ['B'] },
        { name: 'c', blocks: ['C'] },
        { name: 'x', blocks: ['x0'] },
      ],
    });
    const v = Float64Array.of(1, -1, 1, 1, 2.001, 0, 1.999, 0, -1.5, 1.5);
    t.apply(v, 2);
    // ‖A‖² = 4 (at the boundary: zeroed), ‖B‖² > 4 kept, ‖C‖² < 4 zeroed, ‖x0‖² = 4.5 kept
    assert.deepEqual([...v], [0, 0, 0, 0, 2.001, 0, 0, 0, -1.5, 1.5]);
  });
  it('state groups need states; τ is checked', () => {
    const ff = feedforwardModel({ nu: 2, ny: 1, hidden: [], linear: true });
    throwsExactly(
      () =>
        resolveTerms({ model: ff, experiments: 1, trainX0: false }, [
          { kind: 'group-lasso', tau: 1, groups: 'states' },
        ]),
      'state groups need a model with states',
      'groups',
    );
    // inputs of a feedforward D u: one column of D each
    const t = resolveTerms({ model: ff, experiments: 1, trainX0: false }, [
      { kind: 'group-l0', tau: 1, groups: 'inputs' },
    ])[0]!;
    assert.deepEqual(
      t.groups!.map((g) => [...g]),
      [[0], [1]],
    );
    throwsExactly(
      () => one({ kind: 'group-lasso', tau: -1, groups: 'states' }),
      'group-lasso tau must be a finite number ≥ 0, got -1',
      'group-lasso tau',
    );
    throwsExactly(
      () => one({ kind: 'group-l0', tau: NaN, groups: 'states' }),
      'group-l0 tau must be a finite number ≥ 0, got NaN',
      'group-l0 tau',
    );
  });
});

describe('constraint sets', () => {
  it('bounds: membership (boundaries included) and clipping', () => {
    const t = one({ kind: 'bounds', lower: -1, upper: 2, blocks: ['A', 'x0'] });
    assert.equal(t.isSet, true);
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 8, 9]);
    assert.equal(t.value(Float64Array.of(-1, 2, 0, 1.5, 99, 99, 99, 99, 2, -1)), 0);
    assert.equal(t.value(Float64Array.of(-1, 2, 0, 1.5, 99, 99, 99, 99, 2.01, -1)), Infinity);
    assert.equal(t.value(Float64Array.of(-1, 2, 0, 1.5, 99, 99, 99, 99, 2, -1.01)), Infinity);
    assert.equal(t.value(Float64Array.of(-1.01, 2, 0, 1.5, 0, 0, 0, 0, 2, -1)), Infinity);
    assert.deepEqual(
      applied({ kind: 'bounds', lower: -1, upper: 2, blocks: ['A', 'x0'] }, z0, 1),
      [0.5, -1, 0, 1.5, 3, -0.25, 0, 4, -1, 2],
    );
    assert.deepEqual(
      applied({ kind: 'bounds', lower: -1.5, upper: 1 }, z0, 1).slice(0, 8),
      [0.5, -1.5, 0, 1, 1, -0.25, 0, 1],
    );
  });
  it('bounds: lower = upper is a point; lower > upper or NaN is named', () => {
    assert.deepEqual(
      applied({ kind: 'bounds', lower: 0.5, upper: 0.5, blocks: ['B'] }, z0, 1),
      [0.5, -2, 0, 1.5, 0.5, 0.5, 0, 4, -1, 2],
    );
    throwsExactly(
      () => one({ kind: 'bounds', lower: 1, upper: 0 }),
      'bounds need lower ≤ upper, got [1, 0]',
      'bounds',
    );
    throwsExactly(
      () => one({ kind: 'bounds', lower: NaN, upper: 0 }),
      'bounds need lower ≤ upper, got [NaN, 0]',
      'bounds',
    );
  });
  it('integer: membership, rounding half away from zero, clipping into [lower, upper]', () => {
    const t = one({ kind: 'integer', lower: -2.5, upper: 3, blocks: ['A', 'B'] });
    assert.equal(t.isSet, true);
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 4, 5]);
    assert.equal(t.value(Float64Array.of(-2, 3, 0, 1, -1, 2, 0.5, 0.5, 0.5, 0.5)), 0);
    assert.equal(t.value(Float64Array.of(-2, 3, 0, 1, -1, 2.5, 0, 0, 0, 0)), Infinity);
    assert.equal(t.value(Float64Array.of(-3, 3, 0, 1, -1, 2, 0, 0, 0, 0)), Infinity);
    assert.equal(t.value(Float64Array.of(-2, 4, 0, 1, -1, 2, 0, 0, 0, 0)), Infinity);
    const v = Float64Array.of(0.5, -2.6, -0.5, 7, 2.5, -0.25, 1.7, 1.7, 1.7, 1.7);
    t.apply(v, 1);
    assert.deepEqual([...v], [1, -2, -1, 3, 3, -0, 1.7, 1.7, 1.7, 1.7]);
  });
  it('integer without bounds: any integer', () => {
    const t = one({ kind: 'integer' });
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(t.value(Float64Array.of(-40, 3, 0, 1, -1, 2, 0, 1e6, 0.5, 0.5)), 0);
    assert.deepEqual(
      applied({ kind: 'integer' }, [-40.4, 3.6, 0, 1, -1, 2, 0, 1e6, 0.5, 0.5], 1),
      [-40, 4, 0, 1, -1, 2, 0, 1e6, 0.5, 0.5],
    );
    assert.deepEqual(
      applied({ kind: 'integer', lower: 0 }, [-4.4, 13.6, 0, 1, -1, 2, 0, 9, 0, 0], 1),
      [0, 14, 0, 1, 0, 2, 0, 9, 0, 0],
    );
    assert.deepEqual(
      applied({ kind: 'integer', upper: 0 }, [-4.4, 13.6, 0, 1, -1, 2, 0, 9, 0, 0], 1),
      [-4, 0, 0, 0, -1, 0, 0, 0, 0, 0],
    );
  });
  it('an integer range without an integer is named; [0.5, 1] holds 1', () => {
    throwsExactly(
      () => one({ kind: 'integer', lower: 0.2, upper: 0.8 }),
      'integer range [0.2, 0.8] holds no integer',
      'integer',
    );
    assert.deepEqual(
      applied({ kind: 'integer', lower: 0.5, upper: 1, blocks: ['B'] }, z0, 1),
      [0.5, -2, 0, 1.5, 1, 1, 0, 4, -1, 2],
    );
  });
  it('quantise: levels deduplicated and sorted; membership and nearest level', () => {
    const t = one({ kind: 'quantize', levels: [0.5, -1, 0.5, 0, 2], blocks: ['A', 'C'] });
    assert.equal(t.isSet, true);
    assert.deepEqual([...t.indices], [0, 1, 2, 3, 6, 7]);
    assert.equal(t.value(Float64Array.of(0.5, -1, 0, 2, 9, 9, 0, 0.5, 9, 9)), 0);
    assert.equal(t.value(Float64Array.of(0.5, -1, 0, 2, 9, 9, 0, 0.25, 9, 9)), Infinity);
    const v = Float64Array.of(0.3, -0.5, -7, 1.25, 9, 9, 1.3, 0.2, 9, 9);
    t.apply(v, 1);
    // ties (−0.5 between −1 and 0; 1.25 between 0.5 and 2) go to the lower level
    assert.deepEqual([...v], [0.5, -1, -1, 0.5, 9, 9, 2, 0, 9, 9]);
  });
  it('quantise: an empty or non-finite level set is named', () => {
    throwsExactly(
      () => one({ kind: 'quantize', levels: [] }),
      'a quantised set needs at least one level',
      'levels',
    );
    throwsExactly(
      () => one({ kind: 'quantize', levels: 'x' as unknown as number[] }),
      'a quantised set needs at least one level',
      'levels',
    );
    throwsExactly(
      () => one({ kind: 'quantize', levels: [0, Infinity] }),
      'quantisation level Infinity is not a finite number',
      'levels',
    );
    throwsExactly(
      () => one({ kind: 'quantize', levels: [NaN] }),
      'quantisation level NaN is not a finite number',
      'levels',
    );
  });
  it('mixed-integer: the listed positions within the blocks are integers, or levels', () => {
    // blocks A, C → entries [0 1 2 3 6 7]; positions 1, 4 → z[1], z[6]
    const t = one({ kind: 'mixed-integer', discrete: [1, 4], blocks: ['A', 'C'] });
    assert.equal(t.isSet, true);
    assert.deepEqual([...t.indices], [1, 6]);
    assert.equal(t.value(Float64Array.of(0.5, -2, 0.1, 0.1, 0.1, 0.1, 3, 0.1, 0.1, 0.1)), 0);
    assert.equal(t.value(Float64Array.of(0.5, -2.5, 0, 0, 0, 0, 3, 0, 0, 0)), Infinity);
    assert.deepEqual(
      applied(
        { kind: 'mixed-integer', discrete: [1, 4], blocks: ['A', 'C'] },
        [0.5, -2.5, 0.5, 0.5, 0.5, 0.5, 3.4, 0.5, 0.5, 0.5],
        1,
      ),
      [0.5, -3, 0.5, 0.5, 0.5, 0.5, 3, 0.5, 0.5, 0.5],
    );
    const q = one({ kind: 'mixed-integer', discrete: [0, 5], levels: [0.25, -0.25, 0.25] });
    assert.deepEqual([...q.indices], [0, 5]);
    assert.equal(q.value(Float64Array.of(0.25, 0, 0, 0, 0, -0.25, 0, 0, 0, 0)), 0);
    assert.equal(q.value(Float64Array.of(0, 0, 0, 0, 0, -0.25, 0, 0, 0, 0)), Infinity);
    const v = Float64Array.of(0.1, 9, 9, 9, 9, -3, 9, 9, 9, 9);
    q.apply(v, 1);
    assert.deepEqual([...v], [0.25, 9, 9, 9, 9, -0.25, 9, 9, 9, 9]);
  });
  it('mixed-integer: positions outside the selection and bad levels are named', () => {
    for (const d of [6, -1, 1.5])
      throwsExactly(
        () => one({ kind: 'mixed-integer', discrete: [0, d], blocks: ['A', 'C'] }),
        `mixed-integer entry ${d} is outside the 6 selected entries (0-based)`,
        'discrete',
      );
    assert.deepEqual(
      [...one({ kind: 'mixed-integer', discrete: [5, 0], blocks: ['A', 'C'] }).indices],
      [7, 0],
    );
    throwsExactly(
      () => one({ kind: 'mixed-integer', discrete: [0], levels: [] }),
      'a quantised set needs at least one level',
      'levels',
    );
  });
});

describe('order, combination and unknown kinds', () => {
  it('penalties first, then budgets, then sets, whatever the order given', () => {
    const kinds = (cs: TermConfig[]) => resolveTerms(Z, cs).map((t) => t.config.kind);
    const sets: TermConfig[] = [
      { kind: 'bounds', lower: -1, upper: 1 },
      { kind: 'integer' },
      { kind: 'quantize', levels: [0, 1] },
      { kind: 'mixed-integer', discrete: [0] },
    ];
    const budget: TermConfig = { kind: 'l0-budget', k: 2 };
    const penalties: TermConfig[] = [
      { kind: 'l1', tau: 1 },
      { kind: 'l0', tau: 1 },
      { kind: 'group-lasso', tau: 1, groups: 'states' },
      { kind: 'group-l0', tau: 1, groups: 'inputs' },
    ];
    assert.deepEqual(kinds([...sets, budget, ...penalties]), [
      'l1',
      'l0',
      'group-lasso',
      'group-l0',
      'l0-budget',
      'bounds',
      'integer',
      'quantize',
      'mixed-integer',
    ]);
    assert.deepEqual(kinds([sets[0]!, budget, penalties[1]!, sets[2]!, penalties[2]!]), [
      'l0',
      'group-lasso',
      'l0-budget',
      'bounds',
      'quantize',
    ]);
    assert.deepEqual(kinds([budget, sets[3]!, penalties[3]!]), [
      'group-l0',
      'l0-budget',
      'mixed-integer',
    ]);
  });
  it('an unknown kind is named', () => {
    throwsExactly(
      () => resolveTerms(Z, [{ kind: 'l2', tau: 1 } as unknown as TermConfig]),
      "unknown regulariser or constraint 'l2'",
      'kind',
    );
  });
});

describe('levelRange', () => {
  it('{lo, lo + step, …, hi}·scale', () => {
    assert.deepEqual(levelRange(-2, 2), [-2, -1, 0, 1, 2]);
    assert.deepEqual(levelRange(-8, 8, 4, 0.25), [-2, -1, 0, 1, 2]);
    assert.deepEqual(levelRange(1, 1), [1]);
    assert.deepEqual(levelRange(0, 7, 2), [0, 2, 4, 6]);
    // 0.3 / 0.1 = 2.9999999999999996: the 1e-9 guard keeps 0.3
    assert.equal(levelRange(0, 0.3, 0.1).length, 4);
    assert.equal(levelRange(0, 1, 0.1).length, 11);
  });
  it('an empty range is named', () => {
    for (const [lo, hi, step] of [
      [3, 1, 1],
      [0, 1, 0],
      [0, 1, -1],
      [0, 1, NaN],
    ] as const)
      throwsExactly(
        () => levelRange(lo, hi, step),
        `level range ${lo}..${hi} step ${step} is empty`,
        'levels',
      );
  });
});
