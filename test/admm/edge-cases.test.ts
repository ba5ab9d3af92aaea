/**
 * Boundaries the other ADMM tests do not reach: integer bounds that are integers, a model without
 * states, reducing away every state, a path that removes an input under a non-quadratic loss, and
 * the residual test at exact equality.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admm } from '../../src/core/admm/admm';
import { regularizationPath } from '../../src/core/admm/path';
import { reduceModel, sparsityReport } from '../../src/core/admm/sparsity';
import { resolveTerms } from '../../src/core/admm/terms';
import { makeExperiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import { makeLoss } from '../../src/core/losses';
import { channelMetrics } from '../../src/core/metrics';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import { dataLoss } from '../../src/core/objective';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { packZ, type Problem } from '../../src/core/solver/problem';
import { estimateX0LeastSquares } from '../../src/core/solver/x0-estimation';

describe('integer range with integer ends', () => {
  it('both ends are members', () => {
    const m = linearModel({ nx: 1, nu: 1, ny: 1 });
    const [t] = resolveTerms({ model: m, experiments: 1, trainX0: false }, [
      { kind: 'integer', lower: -2, upper: 3 },
    ]);
    assert.equal(t!.value(Float64Array.of(-2, 3, 0)), 0);
    assert.equal(t!.value(Float64Array.of(-3, 3, 0)), Infinity);
  });
});

describe('model reduction at the edges', () => {
  it('a linear model without states (ŷ = D u) stays linear when an input is dropped', () => {
    const m = linearModel({ nx: 0, nu: 2, ny: 1, feedthrough: true });
    const rep = sparsityReport(m, Float64Array.of(0.5, 0), 1, false);
    assert.deepEqual(rep.removableStates, []);
    assert.deepEqual(rep.removableInputs, [1]);
    const red = reduceModel(m, Float64Array.of(0.5, 0), 1, false, { states: [], inputs: [1] });
    assert.equal(red.model.kind, 'linear');
    assert.deepEqual([...red.theta], [0.5]);
  });

  it('removing every state of a model without feedthrough is refused with a reason', () => {
    for (const m of [
      linearModel({ nx: 2, nu: 1, ny: 1 }),
      rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [3] }, output: { hidden: [2] } }),
    ]) {
      assert.throws(
        () => reduceModel(m, new Float64Array(m.nTheta), 1, false, { states: [0, 1], inputs: [] }),
        (e: unknown) =>
          e instanceof NailsError &&
          e.subject === 'states' &&
          e.message ===
            'removing every state of a model without feedthrough leaves an output that does not depend on the input; keep at least one state',
      );
    }
    // With feedthrough it is a feedforward model.
    const ft = linearModel({ nx: 2, nu: 1, ny: 1, feedthrough: true });
    const z = new Float64Array(ft.nTheta);
    z[ft.layout.get('D').offset] = 0.7;
    assert.equal(
      reduceModel(ft, z, 1, false, { states: [0, 1], inputs: [] }).model.kind,
      'feedforward',
    );
  });
});

describe('a path that removes an input, under the pseudo-Huber loss', () => {
  // y = 0.8 x, x⁺ = 0.6 x + u1 (u2 is not used); outliers in y.
  const truth = linearModel({ nx: 1, nu: 2, ny: 1 });
  const rng = new Random(31);
  const exp = (N: number) => {
    const u = rng.fillNormal(new Float64Array(2 * N));
    const y = simulate(truth, Float64Array.of(0.6, 1, 0, 0.8), u, N, [0.5]).y.map(
      (v, k) => v + 0.05 * rng.normal() + (k % 17 === 0 ? 2 : 0),
    );
    return makeExperiment({ u, nu: 2, y });
  };
  const model = linearModel({ nx: 1, nu: 2, ny: 1 });
  const p: Problem = {
    model,
    experiments: [exp(150)],
    loss: makeLoss({ name: 'pseudo_huber', delta: 0.2 }),
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
  };
  const validation = [exp(80)];
  it('inputs kept, and validation x0 estimated under the problem loss', () => {
    const z0 = packZ(p, Float64Array.of(0.5, 0.8, 0.3, 0.7), Float64Array.of(0));
    const o = { method: 'nailm' as const, rho: 0.5, iterations: 15, inner: 2 };
    const terms = (tau: number) => [
      { kind: 'group-lasso' as const, tau, groups: 'inputs' as const },
    ];
    const [pt] = regularizationPath(p, z0, terms, [0.05], { ...o, validation });
    const r = admm(p, z0, terms(0.05), o);
    const zf = r.polished!.z;
    assert.deepEqual(sparsityReport(model, zf, 1, true).removableInputs, [1]);
    assert.equal(pt!.inputsKept, 1);
    assert.equal(pt!.statesKept, 1);
    const theta = zf.subarray(0, model.nTheta);
    const v = validation[0]!;
    const x0 = estimateX0LeastSquares(model, theta, v.u, v.y, { loss: p.loss }).x0;
    const yv = simulate(model, theta, v.u, v.N, x0).y;
    assert.equal(pt!.validationLoss, dataLoss(p.loss, validation, [yv]));
    assert.equal(pt!.validationFit, channelMetrics(v.y, yv, 1)[0]!.fit);
    // (the squared-error x0 would differ)
    const x0mse = estimateX0LeastSquares(model, theta, v.u, v.y).x0;
    const ymse = simulate(model, theta, v.u, v.N, x0mse).y;
    assert.notEqual(pt!.validationLoss, dataLoss(p.loss, validation, [ymse]));
  });
});

describe('the residual test at equality', () => {
  it('started at an exact solution with zero tolerances, ADMM stops at iteration 2 (r = s = 0 ≤ 0)', () => {
    // ŷ = D u on data ŷ = 0 from d = 0: z = ν = w = 0 throughout.
    const u = new Random(2).fillNormal(new Float64Array(60));
    const p: Problem = {
      model: feedforwardModel({ nu: 2, ny: 1, hidden: [], linear: true }),
      experiments: [makeExperiment({ u, nu: 2, y: new Float64Array(30) })],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: false,
    };
    const r = admm(p, new Float64Array(2), [{ kind: 'l1', tau: 0.1 }], {
      method: 'nails',
      rho: 1,
      epsAbs: 0,
      epsRel: 0,
      iterations: 10,
      polish: false,
    });
    assert.equal(r.status, 'converged');
    assert.equal(r.iterations, 2);
    assert.deepEqual(
      r.history.map((h) => [h.primal, h.dual]),
      [
        [0, 0],
        [0, 0],
      ],
    );
  });
});
