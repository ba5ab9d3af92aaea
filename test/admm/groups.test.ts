/**
 * Index sets over z = (θ, x0_1..x0_E): blocks by name, glob, `weights`, `all`, `x0`, and the
 * state and input groups of ALGORITHM.md §5, as exact index lists on small models.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockIndices, inputGroups, stateGroups, type ZLayout } from '../../src/core/admm/groups';
import { NailsError } from '../../src/core/errors';
import { CustomModel } from '../../src/core/models/custom-model';
import type { Expr } from '../../src/core/models/expression';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';

const lists = (gs: Int32Array[]) => gs.map((g) => [...g]);
const idx = (z: ZLayout, sel: string[]) => [...blockIndices(z, sel)];
/** Asserts a NailsError with exactly this message and subject. */
function throwsExactly(fn: () => unknown, message: string, subject: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NailsError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.subject, subject);
    return true;
  });
}

// nx 2, nu 1: A[2×2]@0 B[2×1]@4 state.W1[3×3]@6 state.b1[3]@15 state.W2[2×3]@18 state.b2[2]@24
// C[1×2]@26 output.W1[2×2]@28 output.b1[2]@32 output.W2[1×2]@34 output.b2[1]@36; nθ = 37.
const rnn = rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [3] }, output: { hidden: [2] } });
// With feedthrough: … C[1×2]@26 D[1×1]@28 output.W1[2×3]@29 output.b1[2]@35 output.W2[1×2]@37 output.b2@39.
const rnnFt = rnnModel({
  nx: 2,
  nu: 1,
  ny: 1,
  state: { hidden: [3] },
  output: { hidden: [2], feedthrough: true },
});

describe('blockIndices', () => {
  const z: ZLayout = { model: rnn, experiments: 2, trainX0: true };

  it('names, sorted and without duplicates, whatever the order of the selectors', () => {
    assert.deepEqual(idx(z, ['C', 'B', 'C']), [4, 5, 26, 27]);
    assert.deepEqual(idx(z, ['output.b2', 'A']), [0, 1, 2, 3, 36]);
  });

  it("'all' is θ without the initial states; 'x0' is every trained initial state", () => {
    assert.deepEqual(
      idx(z, ['all']),
      Array.from({ length: 37 }, (_, i) => i),
    );
    assert.deepEqual(idx(z, ['x0']), [37, 38, 39, 40]);
    assert.deepEqual(idx(z, ['x0', 'output.b2']), [36, 37, 38, 39, 40]);
  });

  it("'x0' without trained initial states is an error naming the setting", () => {
    throwsExactly(
      () => blockIndices({ model: rnn, experiments: 2, trainX0: false }, ['x0']),
      "'x0' names the initial states, but they are not trained in this problem",
      'x0',
    );
  });

  it("'weights' is every block except the biases", () => {
    const w = idx(z, ['weights']);
    const expected = [
      ...[0, 1, 2, 3, 4, 5], // A, B
      ...Array.from({ length: 9 }, (_, k) => 6 + k), // state.W1
      ...Array.from({ length: 6 }, (_, k) => 18 + k), // state.W2
      ...[26, 27, 28, 29, 30, 31, 34, 35], // C, output.W1, output.W2
    ];
    assert.deepEqual(w, expected);
  });

  it("'weights' leaves out biases with two-digit layer numbers (state.b10, state.b11)", () => {
    const deep = rnnModel({
      nx: 1,
      nu: 1,
      ny: 1,
      state: { hidden: Array.from({ length: 10 }, () => 1), linear: false },
      output: { hidden: [1], linear: false },
    });
    const zz: ZLayout = { model: deep, experiments: 1, trainX0: false };
    const names = deep.layout.blocks.map((b) => b.name);
    assert.ok(names.includes('state.b10') && names.includes('state.b11'), names.join(' '));
    const w = new Set(idx(zz, ['weights']));
    for (const b of deep.layout.blocks) {
      const isBias = /\.b\d+$/.test(b.name);
      for (let k = 0; k < b.size; k++)
        assert.equal(w.has(b.offset + k), !isBias, `${b.name}[${k}] in 'weights'`);
    }
  });

  it('globs select every matching block, and only those', () => {
    assert.deepEqual(idx(z, ['output.W*']), [28, 29, 30, 31, 34, 35]);
    assert.deepEqual(idx(z, ['state.b*']), [15, 16, 17, 24, 25]);
    assert.deepEqual(idx(z, ['*.b2']), [24, 25, 36]);
  });

  it('a glob that matches nothing lists the blocks; regular-expression characters are literal', () => {
    const blocks =
      'A, B, state.W1, state.b1, state.W2, state.b2, C, output.W1, output.b1, output.W2, output.b2';
    throwsExactly(
      () => blockIndices(z, ['foo.*']),
      `'foo.*' matches no parameter block; the blocks are ${blocks}`,
      'foo.*',
    );
    // Unescaped, these would be an invalid or a different regular expression.
    for (const sel of [
      'state(.*',
      'A)*',
      'state.W[1*',
      'A+*',
      'stat?e.*',
      'Q|A*',
      'state.W{1}*',
      'A\\*',
    ])
      throwsExactly(
        () => blockIndices(z, [sel]),
        `'${sel}' matches no parameter block; the blocks are ${blocks}`,
        sel,
      );
    // '.' is a literal dot: 'outpu.*' does not match output.W1.
    throwsExactly(
      () => blockIndices(z, ['outpu.*']),
      `'outpu.*' matches no parameter block; the blocks are ${blocks}`,
      'outpu.*',
    );
  });

  it('an unknown name suggests the nearest block when there is one', () => {
    throwsExactly(
      () => blockIndices(z, ['sate.W1']),
      "the model has no parameter block 'sate.W1' (did you mean 'state.W1'?); its blocks are A, B, state.W1, state.b1, state.W2, state.b2, C, output.W1, output.b1, output.W2, output.b2",
      'sate.W1',
    );
    throwsExactly(
      () => blockIndices(z, ['recurrence']),
      "the model has no parameter block 'recurrence'; its blocks are A, B, state.W1, state.b1, state.W2, state.b2, C, output.W1, output.b1, output.W2, output.b2",
      'recurrence',
    );
  });
});

describe('state groups: everything that reads or writes state i, and x0_i', () => {
  it('RNN with one hidden state layer, two experiments', () => {
    const g = stateGroups({ model: rnn, experiments: 2, trainX0: true });
    assert.deepEqual(lists(g), [
      // A row 0 + column 0, B row 0, state.W1 column 0, state.W2 row 0, state.b2[0], C column 0,
      // output.W1 column 0, x0_1[0], x0_2[0]
      [0, 1, 2, 4, 6, 9, 12, 18, 19, 20, 24, 26, 28, 30, 37, 39],
      [1, 2, 3, 5, 7, 10, 13, 21, 22, 23, 25, 27, 29, 31, 38, 40],
    ]);
  });

  it('without trained initial states, with feedthrough (output.W1 has nx + nu columns)', () => {
    const g = stateGroups({ model: rnnFt, experiments: 2, trainX0: false });
    assert.deepEqual(lists(g), [
      [0, 1, 2, 4, 6, 9, 12, 18, 19, 20, 24, 26, 29, 32],
      [1, 2, 3, 5, 7, 10, 13, 21, 22, 23, 25, 27, 30, 33],
    ]);
  });

  it('a deeper state MLP: the last layer (state.W3, state.b3) writes the states', () => {
    // state.W1[3×3]@0 state.b1@9 state.W2[2×3]@12 state.b2@18 state.W3[2×2]@20 state.b3@24
    // output.W1[2×2]@26 output.b1@30 output.W2@32 output.b2@34
    const m = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [3, 2], linear: false },
      output: { hidden: [2], linear: false },
    });
    const g = stateGroups({ model: m, experiments: 1, trainX0: true });
    assert.deepEqual(lists(g), [
      [0, 3, 6, 20, 21, 24, 26, 28, 35],
      [1, 4, 7, 22, 23, 25, 27, 29, 36],
    ]);
  });

  it('a model without states has none', () => {
    const ff = feedforwardModel({ nu: 2, ny: 1, hidden: [3], linear: true });
    assert.deepEqual(stateGroups({ model: ff, experiments: 1, trainX0: true }), []);
  });

  it('a custom model whose scalar parameters are named A, B, C: only the entries that exist', () => {
    const x = (i: number): Expr => ({ k: 'x', i });
    const u = (i: number): Expr => ({ k: 'u', i });
    const p = (i: number): Expr => ({ k: 'p', i });
    const mul = (a: Expr, b: Expr): Expr => ({ k: 'mul', a, b });
    const add = (a: Expr, b: Expr): Expr => ({ k: 'add', a, b });
    const m = new CustomModel({
      kind: 'custom',
      nx: 2,
      nu: 2,
      ny: 1,
      parameters: [
        { name: 'A', init: 0.5 },
        { name: 'B', init: 1 },
        { name: 'C', init: 1 },
      ],
      state: [add(mul(p(0), x(0)), mul(p(1), u(0))), add(mul(p(0), x(1)), mul(p(1), u(1)))],
      output: [mul(p(2), x(0))],
    });
    const z: ZLayout = { model: m, experiments: 1, trainX0: true };
    // A, B, C are 1×1: state 0 has A[0,0], B[0,0], C[0,0] and x0[0]; state 1 only x0[1].
    assert.deepEqual(lists(stateGroups(z)), [[0, 1, 2, 3], [4]]);
    // input 0 reads B[0,0]; B has no column 1.
    assert.deepEqual(lists(inputGroups(z)), [[1], []]);
  });
});

describe('input groups: everything that reads input j', () => {
  it('linear model with feedthrough: B column j and D column j', () => {
    // A[2×2]@0 B[2×2]@4 C[1×2]@8 D[1×2]@10
    const m = linearModel({ nx: 2, nu: 2, ny: 1, feedthrough: true });
    assert.deepEqual(lists(inputGroups({ model: m, experiments: 1, trainX0: true })), [
      [4, 6, 10],
      [5, 7, 11],
    ]);
  });

  it('RNN: B column j and state.W1 column nx + j; output.W1 only with feedthrough', () => {
    assert.deepEqual(lists(inputGroups({ model: rnn, experiments: 1, trainX0: true })), [
      [4, 5, 8, 11, 14],
    ]);
    assert.deepEqual(lists(inputGroups({ model: rnnFt, experiments: 1, trainX0: true })), [
      [4, 5, 8, 11, 14, 28, 31, 34],
    ]);
  });

  it('RNN with two inputs: state.W1 columns nx + j', () => {
    // A[2×2]@0 B[2×2]@4 state.W1[3×4]@8 state.b1@20 state.W2[2×3]@23 state.b2@29 C[1×2]@31 …
    const m = rnnModel({ nx: 2, nu: 2, ny: 1, state: { hidden: [3] }, output: { hidden: [2] } });
    assert.deepEqual(lists(inputGroups({ model: m, experiments: 1, trainX0: false })), [
      [4, 6, 10, 14, 18],
      [5, 7, 11, 15, 19],
    ]);
  });

  it('feedforward net: D column j and output.W1 column j', () => {
    // D[1×2]@0 output.W1[3×2]@2 …
    const ff = feedforwardModel({ nu: 2, ny: 1, hidden: [3], linear: true });
    assert.deepEqual(lists(inputGroups({ model: ff, experiments: 1, trainX0: false })), [
      [0, 2, 4, 6],
      [1, 3, 5, 7],
    ]);
  });
});
