/**
 * simulateOutputsKernel (src/core/solver/rnn-simulate-outputs.ts) against the TypeScript
 * simulation, and the degeneracy test simulating through it (no TypeScript model step).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { degeneracy } from '../../src/core/solver/degenerate';
import { packZ, type Problem } from '../../src/core/solver/problem';
import { simulateOutputsKernel } from '../../src/core/solver/rnn-simulate-outputs';
import { simulationKernel } from '../../src/core/solver/simulation-kernel';
import { simulateExperiments } from '../../src/core/simulate';
import { assertClose } from '../helpers';
import { countSteps, experiments, identityRnn, problem } from './rnn-fixtures';

describe('simulateOutputsKernel', () => {
  it('the TypeScript simulation to the bit without transcendentals (records across blocks)', () => {
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [3], activation: 'identity' },
      output: { hidden: [3], activation: 'identity' },
    });
    const rng = new Random(3);
    const theta = model.init(rng);
    for (let i = 0; i < theta.length; i++) theta[i] = 0.3 * theta[i]!;
    // 256 samples per kernel call: records shorter, equal and longer than one call.
    const ex = experiments(rng, [100, 256, 601], 1, 1);
    const x0s = rng.fillNormal(new Float64Array(3 * model.nx));
    const a = simulateOutputsKernel(simulationKernel(model)!, theta, ex, x0s);
    const b = simulateExperiments(model, theta, ex, x0s);
    assert.equal(a.finite, true);
    assert.equal(b.finite, true);
    assert.equal(a.y.length, 3);
    a.y.forEach((y, j) => assert.deepEqual([...y], [...b.y[j]!], `record ${j}`));
  });

  it('tanh layers: the TypeScript simulation to rounding', () => {
    const model = rnnModel({
      nx: 3,
      nu: 1,
      ny: 1,
      state: { hidden: [5] },
      output: { hidden: [4] },
    });
    const rng = new Random(4);
    const theta = model.init(rng);
    const ex = experiments(rng, [700], 1, 1);
    const x0s = rng.fillNormal(new Float64Array(model.nx));
    const a = simulateOutputsKernel(simulationKernel(model)!, theta, ex, x0s);
    const b = simulateExperiments(model, theta, ex, x0s);
    assertClose(a.y[0]!, b.y[0]!, 1e-12, 1e-14, 'ŷ');
  });

  it('a state that overflows: not finite, as in the TypeScript simulation', () => {
    const model = identityRnn();
    const theta = new Float64Array(model.nTheta);
    model.layout.view(theta, 'A').set([2]);
    model.layout.view(theta, 'C').set([1e-300]);
    const ex = experiments(new Random(5), [300], 1, 1);
    // x_k = 2^k · x0: infinite at x_200, in the second kernel call.
    const x0s = Float64Array.of(2 ** (1023 - 199));
    const a = simulateOutputsKernel(simulationKernel(model)!, theta, ex, x0s);
    assert.equal(a.finite, false);
    assert.equal(simulateExperiments(model, theta, ex, x0s).finite, false);
  });

  it('an output that overflows while the state stays finite: not finite, as in TypeScript', () => {
    const model = identityRnn();
    const theta = new Float64Array(model.nTheta);
    // x stays 4 (A = 1): ŷ = C x is finite with C = 1e-300 and ∞ with C = 1.7e308.
    model.layout.view(theta, 'A').set([1]);
    const ex = experiments(new Random(7), [300], 1, 1);
    const x0s = Float64Array.of(4);
    model.layout.view(theta, 'C').set([1e-300]);
    assert.equal(simulateOutputsKernel(simulationKernel(model)!, theta, ex, x0s).finite, true);
    model.layout.view(theta, 'C').set([1.7e308]);
    assert.equal(simulateOutputsKernel(simulationKernel(model)!, theta, ex, x0s).finite, false);
    assert.equal(simulateExperiments(model, theta, ex, x0s).finite, false);
  });
});

describe('degeneracy simulates in WebAssembly', () => {
  const model = rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [4] }, output: { hidden: [4] } });
  const rng = new Random(6);
  const p = problem(model, experiments(rng, [500], 1, 1), { name: 'mse' });

  it('a constant model: constant output, with no TypeScript model step; the same verdict in TypeScript', () => {
    // θ = 0: ŷ = 0 for every input.
    const z = packZ(p, new Float64Array(model.nTheta), new Float64Array(model.nx));
    const steps = countSteps(model);
    const a = degeneracy(p, z);
    assert.equal(steps(), 0, 'TypeScript model steps');
    assert.equal(a?.test, 'constant-output');
    const b = degeneracy(p, z, null);
    assert.ok(steps() > 0, 'null: the TypeScript simulation');
    assert.equal(b?.test, 'constant-output');
    assert.equal(a.loss, b.loss);
  });

  it('a model that follows the data is not degenerate, by either simulation', () => {
    // ŷ = C x with x⁺ = u: ŷ_k = u_{k−1}; the data are that plus a little noise.
    const theta = new Float64Array(model.nTheta);
    model.layout.view(theta, 'B').set([1, 0]);
    model.layout.view(theta, 'C').set([1, 0]);
    const e = p.experiments[0]!;
    const y = Float64Array.from(e.u, (_, k) => (e.u[k - 1] ?? 0) + 0.01 * rng.normal());
    const q: Problem = {
      ...p,
      experiments: [makeExperiment({ name: 'e', u: e.u, nu: 1, y, ny: 1 })],
    };
    const z = packZ(q, theta, new Float64Array(model.nx));
    assert.equal(degeneracy(q, z), undefined);
    assert.equal(degeneracy(q, z, null), undefined);
  });
});
