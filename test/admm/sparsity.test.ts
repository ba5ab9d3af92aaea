/**
 * The sparsity report (non-zeros, distinct values, removable states and inputs) and the reduced
 * model without the removed states and inputs, which simulates identically.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputGroups, stateGroups } from '../../src/core/admm/groups';
import { reduceModel, sparsityReport } from '../../src/core/admm/sparsity';
import { NailsError } from '../../src/core/errors';
import { CustomModel } from '../../src/core/models/custom-model';
import type { Expr } from '../../src/core/models/expression';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import type { Model } from '../../src/core/models/model';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { assertClose } from '../helpers';

function throwsExactly(fn: () => unknown, message: string, subject: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NailsError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.subject, subject);
    return true;
  });
}

/** z = (θ, x0_1..x0_E) with random values and the given state and input groups zeroed. */
function sparseZ(model: Model, E: number, states: number[], inputs: number[], seed = 4) {
  const rng = new Random(seed);
  const z = Float64Array.from({ length: model.nTheta + E * model.nx }, () => 0.4 * rng.normal());
  const layout = { model, experiments: E, trainX0: true };
  const sg = model.nx > 0 ? stateGroups(layout) : [];
  const ig = inputGroups(layout);
  for (const s of states) for (const i of sg[s]!) z[i] = 0;
  for (const j of inputs) for (const i of ig[j]!) z[i] = 0;
  return z;
}

/** Asserts the reduced model simulates as the full one on every experiment. */
function sameOutputs(
  model: Model,
  z: Float64Array,
  E: number,
  red: ReturnType<typeof reduceModel>,
  trainX0 = true,
) {
  const rng = new Random(8);
  const N = 60;
  for (let j = 0; j < E; j++) {
    const u = rng.fillNormal(new Float64Array(N * model.nu));
    const uRed = new Float64Array(N * red.keptInputs.length);
    for (let k = 0; k < N; k++)
      red.keptInputs.forEach(
        (c, ci) => (uRed[k * red.keptInputs.length + ci] = u[k * model.nu + c]!),
      );
    const x0 = trainX0
      ? z.subarray(model.nTheta + j * model.nx, model.nTheta + (j + 1) * model.nx)
      : new Float64Array(model.nx);
    const nxr = red.model.nx;
    const full = simulate(model, z.subarray(0, model.nTheta), u, N, x0).y;
    const reduced = simulate(
      red.model,
      red.theta,
      uRed,
      N,
      red.x0s.subarray(j * nxr, (j + 1) * nxr),
    ).y;
    assertClose(reduced, full, 1e-12, 1e-12, `experiment ${j}`);
  }
}

describe('sparsityReport', () => {
  it('non-zeros and distinct values per block, totals, removable states and inputs', () => {
    // A[2×2]@0 B[2×2]@4 C[1×2]@8 D[1×2]@10, x0 at 12, 13
    const m = linearModel({ nx: 2, nu: 2, ny: 1, feedthrough: true });
    const z = Float64Array.of(0.5, 0, 0, -0.25, 1, 0, 0, 0, 2, 0, 0.5, 0, 0, 0);
    const rep = sparsityReport(m, z, 1, true);
    assert.deepEqual(rep.blocks, [
      { name: 'A', rows: 2, cols: 2, nonZeros: 2, distinct: 3, levels: [-0.25, 0, 0.5] },
      { name: 'B', rows: 2, cols: 2, nonZeros: 1, distinct: 2, levels: [0, 1] },
      { name: 'C', rows: 1, cols: 2, nonZeros: 1, distinct: 2, levels: [0, 2] },
      { name: 'D', rows: 1, cols: 2, nonZeros: 1, distinct: 2, levels: [0, 0.5] },
    ]);
    assert.equal(rep.nonZeros, 5);
    assert.equal(rep.parameters, 12);
    // state 1: A row/col 1 = 0, -0.25 … not zero; input 1: B[:,1], D[:,1] zero
    assert.deepEqual(rep.removableStates, []);
    assert.deepEqual(rep.removableInputs, [1]);
    z[3] = 0;
    const rep2 = sparsityReport(m, z, 1, true);
    assert.deepEqual(rep2.removableStates, [1]);
    assert.equal(rep2.nonZeros, 4);
    // The x0 entries count in the state groups when trained.
    z[13] = 0.1;
    assert.deepEqual(sparsityReport(m, z, 1, true).removableStates, []);
    assert.deepEqual(sparsityReport(m, z, 1, false).removableStates, [1]);
  });

  it('lists up to 64 distinct values, sorted, and counts them all', () => {
    const m = rnnModel({ nx: 1, nu: 1, ny: 1, state: { hidden: [40] }, output: { hidden: [1] } });
    const z = new Float64Array(m.nTheta + 1);
    const w1 = m.layout.get('state.W1'); // 40 × 2
    for (let k = 0; k < w1.size; k++) z[w1.offset + k] = (k % 2 === 0 ? 1 : -1) * (k + 1);
    const rep = sparsityReport(m, z, 1, true);
    const b = rep.blocks.find((x) => x.name === 'state.W1')!;
    assert.equal(b.distinct, 80);
    assert.equal(b.nonZeros, 80);
    assert.equal(b.levels.length, 64);
    const all = Array.from({ length: 80 }, (_, k) => (k % 2 === 0 ? 1 : -1) * (k + 1)).sort(
      (x, y) => x - y,
    );
    assert.deepEqual(b.levels, all.slice(0, 64));
  });

  it('a model without states has no removable states; an empty group is not removable', () => {
    const ff = feedforwardModel({ nu: 2, ny: 1, hidden: [], linear: true });
    const rep = sparsityReport(ff, Float64Array.of(0, 1.5), 1, false);
    assert.deepEqual(rep.removableStates, []);
    assert.deepEqual(rep.removableInputs, [0]);
    // A custom model with a 1×1 parameter named B: input 1 reads nothing named (empty group).
    const x = (i: number): Expr => ({ k: 'x', i });
    const uu = (i: number): Expr => ({ k: 'u', i });
    const p = (i: number): Expr => ({ k: 'p', i });
    const mul = (a: Expr, b: Expr): Expr => ({ k: 'mul', a, b });
    const add = (a: Expr, b: Expr): Expr => ({ k: 'add', a, b });
    const cm = new CustomModel({
      kind: 'custom',
      nx: 1,
      nu: 2,
      ny: 1,
      parameters: [
        { name: 'A', init: 0.5 },
        { name: 'B', init: 1 },
      ],
      state: [add(mul(p(0), x(0)), add(mul(p(1), uu(0)), uu(1)))],
      output: [x(0)],
    });
    assert.deepEqual(
      sparsityReport(cm, Float64Array.of(0.5, 0, 0.2), 1, true).removableInputs,
      [0],
    );
  });
});

describe('reduceModel', () => {
  it('RNN with feedthrough: drop state 1 and input 0; identical outputs on two experiments', () => {
    const m = rnnModel({
      nx: 3,
      nu: 2,
      ny: 2,
      state: { hidden: [4] },
      output: { hidden: [3], feedthrough: true },
    });
    const z = sparseZ(m, 2, [1], [0]);
    const rep = sparsityReport(m, z, 2, true);
    assert.deepEqual(rep.removableStates, [1]);
    assert.deepEqual(rep.removableInputs, [0]);
    const red = reduceModel(m, z, 2, true, { states: [1], inputs: [0] });
    assert.deepEqual(red.keptStates, [0, 2]);
    assert.deepEqual(red.keptInputs, [1]);
    assert.equal(red.model.nx, 2);
    assert.equal(red.model.nu, 1);
    assert.equal(red.model.kind, 'rnn');
    assert.deepEqual(
      red.model.layout.blocks.map((b) => `${b.name} ${b.rows}×${b.cols}`),
      [
        'A 2×2',
        'B 2×1',
        'state.W1 4×3',
        'state.b1 4×1',
        'state.W2 2×4',
        'state.b2 2×1',
        'C 2×2',
        'D 2×1',
        'output.W1 3×3',
        'output.b1 3×1',
        'output.W2 2×3',
        'output.b2 2×1',
      ],
    );
    // x0s: experiment j, kept states 0 and 2
    assert.deepEqual(
      [...red.x0s],
      [0, 2, 3, 5].map((k) => z[m.nTheta + k]!),
    );
    sameOutputs(m, z, 2, red);
  });

  it('an RNN without feedthrough and a deeper state MLP: drop state 0', () => {
    const m = rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [3, 2] }, output: { hidden: [2] } });
    const z = sparseZ(m, 1, [0], []);
    const red = reduceModel(m, z, 1, true, { states: [0], inputs: [] });
    assert.deepEqual(
      red.model.layout.blocks.map((b) => `${b.name} ${b.rows}×${b.cols}`),
      [
        'A 1×1',
        'B 1×1',
        'state.W1 3×2',
        'state.b1 3×1',
        'state.W2 2×3',
        'state.b2 2×1',
        'state.W3 1×2',
        'state.b3 1×1',
        'C 1×1',
        'output.W1 2×1',
        'output.b1 2×1',
        'output.W2 1×2',
        'output.b2 1×1',
      ],
    );
    sameOutputs(m, z, 1, red);
  });

  it('dropping every state leaves a feedforward model with feedthrough', () => {
    const m = rnnModel({
      nx: 2,
      nu: 2,
      ny: 1,
      state: { hidden: [3] },
      output: { hidden: [2], feedthrough: true },
    });
    const z = sparseZ(m, 1, [0, 1], []);
    const red = reduceModel(m, z, 1, true, { states: [0, 1], inputs: [] });
    assert.equal(red.model.nx, 0);
    assert.equal(red.model.kind, 'feedforward');
    assert.equal(red.model.config.kind, 'feedforward');
    const cfg = red.model.config as {
      state: { hidden: number[]; linear: boolean };
      output: { feedthrough: boolean };
    };
    assert.deepEqual(cfg.state.hidden, []);
    assert.equal(cfg.state.linear, false);
    assert.equal(cfg.output.feedthrough, true);
    assert.deepEqual(
      red.model.layout.blocks.map((b) => `${b.name} ${b.rows}×${b.cols}`),
      ['D 1×2', 'output.W1 2×2', 'output.b1 2×1', 'output.W2 1×2', 'output.b2 1×1'],
    );
    assert.equal(red.x0s.length, 0);
    sameOutputs(m, z, 1, red);
    // A model that had no states stays as it is.
    const ff = feedforwardModel({ nu: 2, ny: 1, hidden: [2], linear: true });
    const zf = Float64Array.from({ length: ff.nTheta }, (_, k) => 0.1 * (k + 1));
    const same = reduceModel(ff, zf, 1, false, { states: [], inputs: [] });
    assert.deepEqual([...same.theta], [...zf]);
    assert.equal(same.model.kind, 'feedforward');
  });

  it('a linear model without trained initial states: x0s are zeros', () => {
    const m = linearModel({ nx: 3, nu: 1, ny: 1 });
    const z = sparseZ(m, 2, [2], []).subarray(0, m.nTheta);
    const red = reduceModel(m, Float64Array.from(z), 2, false, { states: [2], inputs: [] });
    assert.deepEqual([...red.x0s], [0, 0, 0, 0]);
    assert.equal(red.model.kind, 'linear');
    sameOutputs(m, Float64Array.from(z), 2, red, false);
  });

  it('only zero groups can be removed; custom models cannot be reduced', () => {
    const m = linearModel({ nx: 2, nu: 2, ny: 1, feedthrough: true });
    const z = sparseZ(m, 1, [1], [1]);
    throwsExactly(
      () => reduceModel(m, z, 1, true, { states: [0], inputs: [] }),
      'state 0 is still used by the model; only zero state groups can be removed',
      'states',
    );
    throwsExactly(
      () => reduceModel(m, z, 1, true, { states: [1], inputs: [0] }),
      'input 0 is still used by the model; only zero input groups can be removed',
      'inputs',
    );
    assert.equal(reduceModel(m, z, 1, true, { states: [1], inputs: [1] }).model.nx, 1);
    const x = (i: number): Expr => ({ k: 'x', i });
    const p = (i: number): Expr => ({ k: 'p', i });
    const cm = new CustomModel({
      kind: 'custom',
      nx: 2,
      nu: 0,
      ny: 1,
      parameters: [{ name: 'a', init: 0.5 }],
      state: [{ k: 'mul', a: p(0), b: x(0) }, x(1)],
      output: [x(0)],
    });
    // state 1 reads or writes no named block: its group is x0[1] only, zero here.
    throwsExactly(
      () => reduceModel(cm, Float64Array.of(0.5, 1, 0), 1, true, { states: [1], inputs: [] }),
      'model reduction applies to linear, RNN and feedforward models, not to custom equations',
      'model',
    );
  });
});
