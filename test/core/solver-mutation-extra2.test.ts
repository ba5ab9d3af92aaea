/**
 * Third round of the solver's mutation tests: L-BFGS's search directions against an independent
 * two-loop recursion (memory, scaling γ, the pairs kept), its Wolfe constants, Adam after a
 * non-finite epoch, the first-order baselines' checks, the adjoint pass's polling.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment.js';
import { makeLoss } from '../../src/core/losses/index.js';
import { linearModel } from '../../src/core/models/model-factory.js';
import { adam } from '../../src/core/solver/adam.js';
import { valueAndGradient } from '../../src/core/solver/adjoint-gradient.js';
import { lbfgs } from '../../src/core/solver/lbfgs.js';
import type { Problem } from '../../src/core/solver/problem.js';
import { assertClose } from '../helpers.js';
import { Residuals, residualProblem } from './solver-test-models.js';

// r = Aθ − b (4 residuals, 3 parameters): V = ‖r‖², ∇V = 2Aᵀr.
const A = [
  [2, 1, 0],
  [1, 3, 1],
  [0, 1, 4],
  [1, 1, 1],
];
const b = [1, -2, 3, 5];
const residual = (t: ArrayLike<number>) =>
  A.map((row, i) => row.reduce((s, a, j) => s + a * t[j]!, 0) - b[i]!);
const gradient = (t: ArrayLike<number>) => {
  const r = residual(t);
  return [0, 1, 2].map((j) => 2 * A.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
};
const quadratic = residualProblem(
  new Residuals(4, 3, (t, r, J) => {
    r.set(residual(t));
    if (J) for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) J[i * 3 + j] = A[i]![j]!;
  }),
);
const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);

/** The L-BFGS direction −H∇V from the last `memory` pairs (Nocedal & Wright, Algorithm 7.4). */
function twoLoop(g: number[], pairs: { s: number[]; y: number[] }[], memory: number): number[] {
  const used = pairs.slice(-memory);
  const q = [...g];
  const al: number[] = [];
  for (let i = used.length - 1; i >= 0; i--) {
    const { s, y } = used[i]!;
    al[i] = dot(s, q) / dot(y, s);
    for (let k = 0; k < q.length; k++) q[k] = q[k]! - al[i]! * y[k]!;
  }
  const last = used.at(-1);
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1 / Math.hypot(...g);
  const r = q.map((v) => v * gamma);
  for (let i = 0; i < used.length; i++) {
    const { s, y } = used[i]!;
    const be = dot(y, r) / dot(y, s);
    for (let k = 0; k < r.length; k++) r[k] = r[k]! + (al[i]! - be) * s[k]!;
  }
  return r.map((v) => -v);
}

describe('L-BFGS directions', () => {
  for (const memory of [1, 2, 10])
    it(`every step is α·(−H∇V) of the two-loop recursion with the last ${memory} pair(s)`, () => {
      const zs: number[][] = [[0, 0, 0]];
      const r = lbfgs(quadratic, new Float64Array(3), {
        memory,
        maxIterations: 6,
        gtol: 1e-14,
        ftol: 0,
        xtol: 0,
        onIteration: (_, z) => zs.push([...z]),
      });
      assert.ok(r.iterations >= 4, `${r.iterations} iterations`);
      const pairs: { s: number[]; y: number[] }[] = [];
      for (let k = 0; k < r.iterations; k++) {
        const g = gradient(zs[k]!);
        const d = twoLoop(g, pairs, memory);
        const alpha = r.history[k]!.alpha!;
        const want = zs[k]!.map((v, i) => v + alpha * d[i]!);
        assertClose(zs[k + 1]!, want, 1e-9, 1e-12, `z after step ${k + 1}`);
        const s = zs[k + 1]!.map((v, i) => v - zs[k]![i]!);
        const y = gradient(zs[k + 1]!).map((v, i) => v - g[i]!);
        pairs.push({ s, y });
      }
    });

  it('the memory changes the third step (one pair against two)', () => {
    const one = lbfgs(quadratic, new Float64Array(3), { memory: 1, maxIterations: 3 });
    const ten = lbfgs(quadratic, new Float64Array(3), { maxIterations: 3 });
    assert.deepEqual(
      [...one.history.slice(0, 2).map((h) => h.value)],
      [...ten.history.slice(0, 2).map((h) => h.value)],
    );
    assert.notEqual(one.history[2]!.value, ten.history[2]!.value);
  });
});

describe('L-BFGS line search constants', () => {
  const shifted3 = residualProblem(
    new Residuals(1, 1, (t, r, J) => {
      r[0] = t[0]! - 3;
      if (J) J[0] = 1;
    }),
  );
  it('c₁ = 0.9 rejects α = 1 on V = (θ − 3)² from 0 (4 > 9 − 0.9·6) and takes α = ½', () => {
    const r = lbfgs(shifted3, Float64Array.of(0), { c1: 0.9, maxIterations: 1 });
    assert.equal(r.history[0]!.alpha, 0.5);
    assert.equal(r.value, 6.25);
    assert.equal(lbfgs(shifted3, Float64Array.of(0), { maxIterations: 1 }).history[0]!.alpha, 1);
  });

  it('the zoom bisects [0, α] until the cubic minimiser lies inside its safeguard', () => {
    // V = 100(θ − 0.02)²: α = 1, ½, ¼, ⅛ fail sufficient decrease; in [0, ⅛] the cubic (exact
    // on a quadratic) gives 0.02 ∈ [0.0125, 0.1125]: six passes in all.
    const p = residualProblem(
      new Residuals(1, 1, (t, r, J) => {
        r[0] = 10 * (t[0]! - 0.02);
        if (J) J[0] = 10;
      }),
    );
    const r = lbfgs(p, Float64Array.of(0), { maxIterations: 1 });
    assert.ok(Math.abs(r.history[0]!.alpha! - 0.02) < 1e-12, `${r.history[0]!.alpha}`);
    assert.equal(r.sensitivities, 1 + 5);
  });
});

describe('Adam after a non-finite epoch', () => {
  it('goes back to the best point and its gradient, and goes on from there', () => {
    // V = (θ − 3)², not finite for θ in [1.583, 1.585]; η = 0.8 from 0: θ₁ = 0.8, θ₂ = 1.584
    // (not finite: back to 0.8, where the next epoch's moments give θ = 1.582, accepted).
    const p = residualProblem(
      new Residuals(1, 1, (t, r, J) => {
        const x = t[0]!;
        r[0] = x >= 1.583 && x <= 1.585 ? NaN : x - 3;
        if (J) J[0] = 1;
      }),
    );
    const r = adam(p, Float64Array.of(0), { learningRate: 0.8, maxIterations: 20, ftol: 0 });
    assert.deepEqual(
      r.history.slice(0, 3).map((h) => h.accepted),
      [true, false, true],
    );
    assert.ok(Math.abs(r.history[2]!.value - (1.582 - 3) ** 2) < 1e-2, `${r.history[2]!.value}`);
    assert.ok(r.value < 1, `${r.value}`);
  });
});

describe('the first-order baselines check the problem', () => {
  it('a model that does not fit the data is named, and ADMM terms are refused with the subject', () => {
    const wrong = residualProblem(new Residuals(1, 1, () => {}));
    const bad: Problem = { ...wrong, model: new Residuals(2, 1, () => {}) };
    for (const solver of [adam, lbfgs]) {
      assert.throws(
        () => solver(bad, Float64Array.of(0)),
        /^NailsError: the data have nu=1, ny=1 but the model has nu=1, ny=2$/,
      );
      assert.throws(() => solver({ ...wrong, fixed: Uint8Array.of(1) }, Float64Array.of(0)), {
        name: 'NailsError',
        subject: 'method',
      });
    }
  });
});

describe('the adjoint pass', () => {
  it('polls the stop request once every 4096 steps (once for 300 samples)', () => {
    const p: Problem = {
      model: linearModel({ nx: 1, nu: 1, ny: 1 }),
      experiments: [
        makeExperiment({ u: new Float64Array(300).fill(1), y: new Float64Array(300) }),
        makeExperiment({ u: new Float64Array(5000).fill(1), y: new Float64Array(5000) }),
      ],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    let calls = 0;
    const g = new Float64Array(5);
    valueAndGradient(p, Float64Array.of(0.5, 1, 1, 0, 0), g, () => (calls++, false));
    // k = 0 in the first record; k = 4096 and 0 in the second.
    assert.equal(calls, 3);
  });
});
