/**
 * V(z) summed while simulating (core/simulate-loss.ts, used by evaluateV) against the data term
 * over stored simulations (objective.ts dataLoss over simulateExperiments): the same value to the
 * last bit for several experiments and losses, +∞ when the simulation leaves the finite numbers,
 * Cancelled when asked to stop, and the shape errors of `simulate`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import { makeLoss } from '../../src/core/losses/index';
import { rnnModel } from '../../src/core/models/model-factory';
import { dataLoss, sumSquares } from '../../src/core/objective';
import { Random } from '../../src/core/random';
import { simulateExperiments } from '../../src/core/simulate';
import { simulateLoss } from '../../src/core/simulate-loss';
import { Cancelled } from '../../src/core/solver/cancellation';
import { evaluateV, packZ, type Problem } from '../../src/core/solver/problem';

const rng = new Random(5);
const model = rnnModel({ nx: 3, nu: 2, ny: 2, state: { hidden: [5] }, output: { hidden: [4] } });
const experiments = [900, 5000, 17].map((N, j) =>
  makeExperiment({
    name: `e${j}`,
    u: rng.fillNormal(new Float64Array(N * 2)),
    y: rng.fillNormal(new Float64Array(N * 2)),
    nu: 2,
    ny: 2,
  }),
);
const theta = model.init(rng);
const x0s = rng.fillNormal(new Float64Array(3 * 3));

describe('simulateLoss / evaluateV', () => {
  for (const loss of [
    makeLoss({ name: 'mse' }),
    makeLoss({ name: 'weighted_mse', weights: [2, 0.5] }),
  ]) {
    it(`${loss.name}: bit-identical to the data term over stored simulations`, () => {
      const sim = simulateExperiments(model, theta, experiments, x0s);
      const stored = dataLoss(loss, experiments, sim.y);
      const streamed = simulateLoss(model, theta, experiments, x0s, loss);
      assert.equal(streamed.finite, true);
      assert.equal(streamed.sum / (900 + 5000 + 17), stored);
      streamed.xEnd.forEach((x, j) => assert.deepEqual([...x], [...sim.xEnd[j]!]));
      const p: Problem = { model, experiments, loss, rhoTheta: 1e-3, rhoX0: 1e-2, trainX0: true };
      assert.equal(
        evaluateV(p, packZ(p, theta, x0s)),
        stored + 1e-3 * sumSquares(theta) + 1e-2 * sumSquares(x0s),
      );
    });
  }

  it('a simulation that blows up gives V = +∞', () => {
    const big = Float64Array.from(theta, (v) => v * 1e300);
    const r = simulateLoss(model, big, experiments, x0s, makeLoss({ name: 'mse' }));
    assert.equal(r.finite, false);
    const p: Problem = {
      model,
      experiments,
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    assert.equal(evaluateV(p, packZ(p, big, x0s)), Infinity);
  });

  it('stops with Cancelled when asked, and checks shapes like simulate', () => {
    let polls = 0;
    assert.throws(
      () =>
        simulateLoss(model, theta, experiments, x0s, makeLoss({ name: 'mse' }), () => ++polls > 0),
      Cancelled,
    );
    assert.equal(polls, 1, 'polled once, at sample 4095');
    assert.throws(
      () => simulateLoss(model, theta, experiments, x0s.subarray(1), makeLoss({ name: 'mse' })),
      (e: unknown) =>
        e instanceof NailsError &&
        /x0s has 8 entries, expected experiments × nx = 3 × 3/.test(e.message),
    );
  });
});
