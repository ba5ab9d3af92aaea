/**
 * One loss per run (src/core/fit-job.ts): the result's value is V(z) at the returned point and
 * the last history row; ADMM rows are V at z with z_I = ν (the pattern kept), not V + G.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTerms, type TermConfig } from '../../src/core/admm/terms';
import { makeExperiment } from '../../src/core/data/experiment';
import { closeHistory, runFit, type FitSpec } from '../../src/core/fit-job';
import { makeLoss } from '../../src/core/losses';
import { linearModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { evaluateV, type Problem } from '../../src/core/solver/problem';
import type { SolverResult } from '../../src/core/solver/types';

function spec(terms: TermConfig[]): FitSpec {
  const rng = new Random(5);
  const model = linearModel({ nx: 2, nu: 1, ny: 1 });
  const truth = model.init(new Random(9));
  const N = 300;
  const u = rng.fillNormal(new Float64Array(N));
  const y = simulate(model, truth, u, N, new Float64Array(2)).y;
  for (let k = 0; k < N; k++) y[k] = y[k]! + 0.05 * rng.normal();
  return {
    model: model.config,
    train: [makeExperiment({ u, y })],
    loss: { name: 'mse' },
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
    method: 'nailm',
    options: { maxIterations: 10 },
    init: { seed: 2 },
    ...(terms.length ? { regularize: { terms, admm: { iterations: 8, inner: 2 } } } : {}),
  };
}

describe('the run loss: one definition in progress, history and result', () => {
  it('a smooth run: value = last history row = every progress record as reported', () => {
    const seen: number[] = [];
    const r = runFit(spec([]), { onIteration: (rec) => seen.push(rec.value) }).result;
    assert.equal(r.history.at(-1)!.value, r.value);
    assert.deepEqual(
      seen,
      r.history.map((h) => h.value),
    );
  });

  it('an ADMM run: the polished point closes the history; value is V without the penalty G', () => {
    const terms: TermConfig[] = [{ kind: 'l1', tau: 1e-4 }];
    const s = spec(terms);
    const out = runFit(s);
    const r = out.result;
    assert.ok(out.admm?.polishedValue !== undefined, 'polished');
    const last = r.history.at(-1)!;
    assert.equal(last.value, r.value);
    assert.equal(r.value, out.admm.polishedValue);
    const admmRows = r.history.filter((h) => h.primal !== undefined);
    assert.ok(admmRows.length > 0);
    assert.ok(last.iteration > admmRows.at(-1)!.iteration);
    // V at the returned point, recomputed: the objective without the ADMM penalty G.
    const problem: Problem = {
      model: linearModel({ nx: 2, nu: 1, ny: 1 }),
      experiments: s.train,
      loss: makeLoss(s.loss),
      rhoTheta: s.rhoTheta,
      rhoX0: s.rhoX0,
      trainX0: true,
    };
    const v = evaluateV(problem, r.z);
    assert.ok(Math.abs(v - r.value) <= 1e-12 * v, `${v} vs ${r.value}`);
    const G = resolveTerms({ model: problem.model, experiments: 1, trainX0: true }, terms).reduce(
      (sum, t) => sum + t.value(r.z),
      0,
    );
    assert.ok(G > 0 && Math.abs(out.admm.polishedObjective! - (v + G)) <= 1e-9 * (v + G));
  });

  it('closeHistory adds a row when the solver returned a point it had not recorded', () => {
    const rec = {
      iteration: 4,
      value: 2,
      gradNorm: 0,
      stepNorm: 0,
      accepted: true,
      elapsed: 1,
      seconds: 0.1,
    };
    const base = { history: [rec], iterations: 5, elapsed: 1.2 } as unknown as SolverResult;
    assert.equal(closeHistory({ ...base, value: 2 }).length, 1);
    const closed = closeHistory({ ...base, value: 1.5 });
    assert.equal(closed.length, 2);
    assert.deepEqual([closed[1]!.iteration, closed[1]!.value], [5, 1.5]);
  });
});
