/**
 * The regularisation path: ADMM per τ with warm starts from the previous τ's iterate, and for each
 * τ the metrics of the polished model (training from the trained x0, validation from x0 by least
 * squares), the non-zeros and the states and inputs kept.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admm, type AdmmOptions } from '../../src/core/admm/admm';
import { regularizationPath, type PathPoint } from '../../src/core/admm/path';
import { sparsityReport } from '../../src/core/admm/sparsity';
import type { TermConfig } from '../../src/core/admm/terms';
import { makeExperiment, type Experiment } from '../../src/core/data/experiment';
import { makeLoss } from '../../src/core/losses';
import { channelMetrics } from '../../src/core/metrics';
import { linearModel } from '../../src/core/models/model-factory';
import { dataLoss } from '../../src/core/objective';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { packZ, type Problem } from '../../src/core/solver/problem';
import { estimateX0LeastSquares } from '../../src/core/solver/x0-estimation';

// Two outputs, two states, one input; experiments of different lengths.
const truth = linearModel({ nx: 2, nu: 1, ny: 2 });
// A = [0.7 0.2; −0.1 0.5], B = [1; 0.3], C = [1 0; 0.4 −0.8]
const thTrue = Float64Array.of(0.7, 0.2, -0.1, 0.5, 1, 0.3, 1, 0, 0.4, -0.8);
const rng = new Random(21);
function experiment(N: number, name: string): Experiment {
  const u = rng.fillNormal(new Float64Array(N));
  const y = simulate(truth, thTrue, u, N, [0.3, -0.2]).y.map((v) => v + 0.05 * rng.normal());
  return makeExperiment({ name, u, y, ny: 2 });
}
const model = linearModel({ nx: 3, nu: 1, ny: 2 });
const p: Problem = {
  model,
  experiments: [experiment(120, 'a'), experiment(70, 'b')],
  loss: makeLoss({ name: 'mse' }),
  rhoTheta: 1e-4,
  rhoX0: 1e-4,
  trainX0: true,
};
const validation = [experiment(90, 'v1'), experiment(50, 'v2')];
const z0 = packZ(p, model.init(new Random(3)), Float64Array.of(0.1, 0, -0.1, 0, 0.1, 0));
const terms = (tau: number): TermConfig[] => [{ kind: 'group-lasso', tau, groups: 'states' }];
const opts: AdmmOptions = {
  method: 'nailm',
  rho: 0.5,
  iterations: 6,
  inner: 2,
  polishIterations: 5,
};
const taus = [0.02, 0.3];

/** Mean over experiments of the mean fit over output channels. */
function meanFit(exps: readonly Experiment[], yhat: Float64Array[]) {
  const per = exps.map((e, j) => {
    const m = channelMetrics(e.y, yhat[j]!, e.ny);
    return m.reduce((s, c) => s + c.fit, 0) / m.length;
  });
  return per.reduce((a, b) => a + b, 0) / per.length;
}

function expectedPoint(tau: number, start: Float64Array, o: AdmmOptions, val?: Experiment[]) {
  const r = admm(p, start, terms(tau), o);
  const zf = r.polished?.z ?? r.z;
  const theta = zf.subarray(0, model.nTheta);
  const yhat = p.experiments.map(
    (e, j) =>
      simulate(
        model,
        theta,
        e.u,
        e.N,
        zf.subarray(model.nTheta + 3 * j, model.nTheta + 3 * (j + 1)),
      ).y,
  );
  const rep = sparsityReport(model, zf, 2, true);
  const pt: Omit<PathPoint, 'z'> & { z: number[] } = {
    tau,
    trainLoss: dataLoss(p.loss, p.experiments, yhat),
    trainFit: meanFit(p.experiments, yhat),
    nonZeros: rep.nonZeros,
    parameters: model.nTheta,
    statesKept: 3 - rep.removableStates.length,
    inputsKept: 1 - rep.removableInputs.length,
    admmIterations: r.iterations,
    z: [...zf],
  };
  if (val) {
    const vy = val.map(
      (e) =>
        simulate(
          model,
          theta,
          e.u,
          e.N,
          estimateX0LeastSquares(model, theta, e.u, e.y, { loss: p.loss }).x0,
        ).y,
    );
    pt.validationLoss = dataLoss(p.loss, val, vy);
    pt.validationFit = meanFit(val, vy);
  }
  return { pt, next: r.z, removable: rep.removableStates.length };
}
const plain = (pt: PathPoint) => ({ ...pt, z: [...pt.z] });

describe('regularizationPath', () => {
  it('each τ warm-starts from the previous ADMM iterate; metrics of the polished model', () => {
    const seen: PathPoint[] = [];
    const path = regularizationPath(p, z0, terms, taus, {
      ...opts,
      validation,
      onPoint: (pt) => seen.push(pt),
    });
    const e1 = expectedPoint(taus[0]!, z0, opts, validation);
    const e2 = expectedPoint(taus[1]!, e1.next, opts, validation);
    assert.deepEqual(path.map(plain), [e1.pt, e2.pt]);
    assert.deepEqual(seen, path);
    // The larger τ removes states; the path shows it.
    assert.ok(e2.removable > e1.removable, `${e1.removable} → ${e2.removable} states removed`);
    assert.equal(path[1]!.statesKept, 3 - e2.removable);
    assert.ok(path.every((pt) => pt.inputsKept === 1 && pt.parameters === 18));
    assert.ok(
      path.every((pt) => pt.trainFit > 50 && pt.validationFit! > 50),
      JSON.stringify(path.map((x) => [x.trainFit, x.validationFit])),
    );
  });

  it('without polishing the ADMM point is reported; without validation data no validation metrics', () => {
    const o = { ...opts, polish: false };
    const path = regularizationPath(p, z0, terms, [taus[1]!], { ...o, validation: [] });
    const e = expectedPoint(taus[1]!, z0, o);
    assert.deepEqual(path.map(plain), [e.pt]);
    assert.equal('validationLoss' in path[0]!, false);
    assert.equal('validationFit' in path[0]!, false);
  });
});
