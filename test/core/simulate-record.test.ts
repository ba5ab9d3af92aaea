/**
 * simulateRecord (src/core/solver/simulate-record.ts), the scoring's simulation, against
 * simulate.ts: to the bit without transcendental functions, to rounding with tanh, the same NaN
 * outputs from the same sample where the run stops being finite, and simulate.ts itself where the
 * model has no kernel. Also the scores of a spec's parts (evaluateParts) that come out of it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rnnModel } from '../../src/core/models/model-factory';
import type { Model } from '../../src/core/models/model';
import { Random } from '../../src/core/random';
import { simulationKernel } from '../../src/core/solver/simulation-kernel';
import { simulateRecord } from '../../src/core/solver/simulate-record';
import { simulate } from '../../src/core/simulate';
import { assertClose } from '../helpers';
import { countSteps, customModel, identityRnn } from './rnn-fixtures';

function record(rng: Random, model: Model, N: number) {
  return {
    u: rng.fillNormal(new Float64Array(N * model.nu)),
    x0: rng.fillNormal(new Float64Array(model.nx), 0.5),
  };
}

/** NaN positions equal, finite values equal to the bit. */
function sameOutputs(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    assert.ok(Object.is(a[i], b[i]), `${what}: ŷ[${i}] ${a[i]} vs ${b[i]}`);
}

describe('simulateRecord: the scoring simulation in WebAssembly', () => {
  it('without transcendentals: simulate.ts to the bit, across the kernel calls of 256 samples', () => {
    const model = rnnModel({
      nx: 2,
      nu: 2,
      ny: 2,
      state: { hidden: [3], activation: 'identity' },
      output: { hidden: [3], activation: 'identity' },
    });
    assert.ok(simulationKernel(model), 'the model has a kernel');
    const rng = new Random(7);
    const theta = model.init(rng);
    for (let i = 0; i < theta.length; i++) theta[i] = 0.3 * theta[i]!;
    for (const N of [0, 1, 255, 256, 257, 1000]) {
      const { u, x0 } = record(rng, model, N);
      const steps = countSteps(model);
      const a = simulateRecord(model, theta, u, N, x0);
      assert.equal(steps(), 0, 'no TypeScript model step');
      const b = simulate(model, theta, u, N, x0);
      assert.equal(a.finite, true);
      assert.equal(b.finite, true);
      sameOutputs(a.y, b.y, `N = ${N}`);
    }
  });

  it('tanh and elu layers: simulate.ts to rounding', () => {
    for (const activation of ['tanh', 'elu'] as const) {
      const model = rnnModel({
        nx: 3,
        nu: 1,
        ny: 2,
        state: { hidden: [6], activation },
        output: { hidden: [4], activation },
      });
      const rng = new Random(8);
      const theta = model.init(rng);
      const { u, x0 } = record(rng, model, 700);
      const a = simulateRecord(model, theta, u, 700, x0);
      const b = simulate(model, theta, u, 700, x0);
      assert.equal(a.finite, true);
      assertClose(a.y, b.y, 1e-12, 1e-14, `ŷ (${activation})`);
    }
  });

  // x_k = 2^k · x0 with A = 2: x0 = 2^(1023 − k0) overflows at x_{k0+1}; ŷ = C x.
  for (const k0 of [0, 254, 255, 256, 600]) {
    it(`a state that overflows at x_${k0 + 1}: the same NaN outputs as simulate.ts`, () => {
      const model = identityRnn();
      const theta = new Float64Array(model.nTheta);
      model.layout.view(theta, 'A').set([2]);
      model.layout.view(theta, 'C').set([1e-300]);
      const u = new Float64Array(700);
      const x0 = Float64Array.of(2 ** (1023 - k0));
      const a = simulateRecord(model, theta, u, 700, x0);
      const b = simulate(model, theta, u, 700, x0);
      assert.equal(a.finite, false);
      assert.equal(b.finite, false);
      sameOutputs(a.y, b.y, 'ŷ');
      assert.ok(Number.isNaN(a.y[k0]!) && (k0 === 0 || Number.isFinite(a.y[k0 - 1]!)));
    });
  }

  it('an output that overflows while the state stays finite: the same NaN outputs', () => {
    // x_k = 1.01^k · 0.5 stays finite; ŷ = 1.7e308 · x_k overflows once x_k > 1.06 (k = 76).
    const model = identityRnn();
    const theta = new Float64Array(model.nTheta);
    model.layout.view(theta, 'A').set([1.01]);
    model.layout.view(theta, 'C').set([1.7e308]);
    const u = new Float64Array(300);
    const a = simulateRecord(model, theta, u, 300, Float64Array.of(0.5));
    const b = simulate(model, theta, u, 300, Float64Array.of(0.5));
    assert.equal(b.finite, false);
    assert.equal(a.finite, false);
    assert.ok(Number.isFinite(b.y[70]!) && Number.isNaN(b.y[80]!));
    sameOutputs(a.y, b.y, 'ŷ');
  });

  it('a model without a kernel (an equation model) is simulate.ts itself', () => {
    const model = customModel(); // x⁺ = a·x + u, ŷ = x
    assert.equal(simulationKernel(model), null);
    const rng = new Random(9);
    const theta = Float64Array.of(0.8);
    const { u, x0 } = record(rng, model, 300);
    const steps = countSteps(model);
    const a = simulateRecord(model, theta, u, 300, x0);
    assert.equal(steps(), 300);
    sameOutputs(a.y, simulate(model, theta, u, 300, x0).y, 'ŷ');
  });

  it('wrong shapes: the same message as simulate.ts', () => {
    const model = identityRnn();
    const theta = new Float64Array(model.nTheta);
    assert.throws(
      () => simulateRecord(model, theta, new Float64Array(5), 4, Float64Array.of(0)),
      /u has 5 values, expected N × nu = 4 × 1/,
    );
    assert.throws(
      () => simulateRecord(model, theta, new Float64Array(4), 4, Float64Array.of(0, 0)),
      /x0 has 2 entries/,
    );
  });
});
