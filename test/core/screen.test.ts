import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { prepareFit, runFit, type FitSpec } from '../../src/core/fit-job';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { nailm } from '../../src/core/solver/nailm';
import { screenIterations } from '../../src/language/compiler';

/** A record of a random rnn driven by white noise (noise σ 0.02). */
function record() {
  const truth = rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [6] }, output: { hidden: [] } });
  const rng = new Random(31);
  const N = 400;
  const u = rng.fillNormal(new Float64Array(N));
  const y = simulate(truth, truth.init(rng), u, N, [0.3, -0.2]).y.map(
    (v) => v + 0.02 * rng.normal(),
  );
  return { truth, exp: makeExperiment({ u, y }) };
}

describe('screening of seeded starts', () => {
  it('runs each start for the screening iterations, continues the lowest one, within the budget', () => {
    const { truth, exp } = record();
    const spec: FitSpec = {
      model: truth.config,
      train: [exp],
      loss: { name: 'mse' },
      rhoTheta: 1e-5,
      rhoX0: 1e-5,
      trainX0: true,
      method: 'nailm',
      options: { maxIterations: 24 },
      init: { seed: 3 },
      screen: { starts: 3, iterations: 4 },
    };
    const out = runFit(spec);
    const sc = out.screen!;
    assert.deepEqual(sc.seeds, [3, 4, 5]);
    // each start's value after 4 iterations, computed independently
    const values = sc.seeds.map((seed) => {
      const { problem, z0 } = prepareFit({ ...spec, init: { seed } });
      return nailm(problem, z0, { maxIterations: 4 }).value;
    });
    for (let i = 0; i < 3; i++)
      assert.ok(Math.abs(sc.values[i]! - values[i]!) <= 1e-12 * values[i]!);
    const best = values.indexOf(Math.min(...values));
    assert.equal(sc.chosen, 3 + best);
    assert.ok(out.result.iterations <= 24, `${out.result.iterations} iterations`);
    assert.equal(out.result.history.length, out.result.iterations);
    assert.ok(out.result.value <= Math.min(...values));
    assert.ok(new Set(values).size === 3, 'the starts differ');
  });

  it('takes an eighth of the budget per start, at least 5', () => {
    assert.equal(screenIterations(150), 19);
    assert.equal(screenIterations(20), 5);
  });
});
