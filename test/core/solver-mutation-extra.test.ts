/**
 * Second round of the solver's mutation tests (the survivors of the first): the constant
 * predictors tried by the degeneracy test at the edges of (0, 1), a constant output channel,
 * cancellation inside a Gauss–Newton pass, the reported test of a cancel, the subjects of the
 * errors, the recovery returning the run itself when nothing was done.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment.js';
import { makeLoss } from '../../src/core/losses/index.js';
import { linearModel, rnnModel } from '../../src/core/models/model-factory.js';
import { accumulateGaussNewton, denseMatrix } from '../../src/core/solver/gauss-newton.js';
import { Cancelled } from '../../src/core/solver/cancellation.js';
import { degeneracy } from '../../src/core/solver/degenerate.js';
import { drive, type Search, type StepOutcome } from '../../src/core/solver/driver.js';
import { nailm } from '../../src/core/solver/nailm.js';
import { nails } from '../../src/core/solver/nails.js';
import { checkProblem, evaluateV, type Problem } from '../../src/core/solver/problem.js';
import { solveWithRecovery } from '../../src/core/solver/recovery.js';
import { resolveOptions, type SolverResult } from '../../src/core/solver/types.js';
import { affineProblem, Residuals, residualProblem } from './solver-test-models.js';

const softplus = (s: number) => Math.log1p(Math.exp(s));

describe('degeneracy: the constant predictors tried', () => {
  // Logistic loss on a logit output, model output ŷ ≡ 0 (constant). The mean of y is tried as a
  // constant, and its logit only when the mean is inside (0, 1).
  it('mean 1 (not inside (0, 1)): the logit is not tried; the best constant is ŷ = 1', () => {
    const p = affineProblem([1, 2], [0.5, 1.5], { name: 'logistic' });
    const d = degeneracy(p, Float64Array.of(0, 0));
    assert.equal(d?.test, 'constant-output');
    // mean over k of softplus(1) − y_k·1 = softplus(1) − 1.
    assert.ok(Math.abs(d.constantLoss - (softplus(1) - 1)) < 1e-12, `${d.constantLoss}`);
  });

  it('mean 0: the logit is not tried; the best constant is ŷ = 0', () => {
    const p = affineProblem([1, 2], [-0.5, 0.5], { name: 'logistic' });
    const d = degeneracy(p, Float64Array.of(0, 0));
    assert.equal(d?.test, 'constant-output');
    assert.ok(Math.abs(d.constantLoss - Math.LN2) < 1e-12, `${d.constantLoss}`);
  });

  it('a channel without variation in the data does not hide the other', () => {
    // y₀ = u varies, y₁ ≡ 3; the model outputs constants on both: constant output.
    const p = affineProblem([0, 1, 2, 3], [0, 3, 1, 3, 2, 3, 3, 3], { name: 'mse' }, 2);
    const d = degeneracy(p, Float64Array.of(0, 1.5, 0, 3));
    assert.equal(d?.test, 'constant-output');
    assert.equal(d.outputSpread, 0);
    assert.equal(d.constantLoss, 1.25);
  });
});

class Once implements Search {
  readonly method = 'once';
  readonly z = Float64Array.of(1, 0);
  simulations = 0;
  sensitivities = 0;
  constructor(private readonly fail: 'start' | 'step') {}
  start() {
    if (this.fail === 'start') throw new Cancelled();
    return { value: 5, gradNorm: 5 };
  }
  step(): StepOutcome {
    throw new Cancelled();
  }
}

describe('cancellation', () => {
  const p = affineProblem([-1, 1], [-2, 2]);

  it('a cancel thrown inside the search is reported as the cancel test, with its message', () => {
    for (const fail of ['start', 'step'] as const) {
      const r = drive(p, new Once(fail), resolveOptions({}, p));
      assert.equal(r.status, 'cancelled');
      assert.equal(r.stopTest, 'cancel');
      assert.equal(r.message, 'cancelled: best parameters so far returned');
    }
  });

  it('NAILS and NAILM pass the stop request into their sensitivity passes (polled per chunk)', () => {
    // N = 12, chunk 2: the start's pass polls 6 times; a request at its 2nd poll cancels it.
    const u = Array.from({ length: 12 }, (_, k) => k / 4);
    const q = affineProblem(
      u,
      u.map((v) => 3 * v - 1),
    );
    for (const solver of [nails, nailm]) {
      let calls = 0;
      const r = solver(q, Float64Array.of(0, 0), { chunk: 2, shouldStop: () => ++calls >= 2 });
      assert.equal(r.status, 'cancelled', r.method);
      assert.equal(r.iterations, 0, r.method);
      assert.equal(calls, 2, r.method);
      assert.equal(r.value, evaluateV(q, Float64Array.of(0, 0)));
    }
  });
});

describe('the start of the Gauss–Newton methods', () => {
  it('a start that does not simulate: diverged with V₀ = V = +∞', () => {
    const p = residualProblem(
      new Residuals(1, 1, (_t, r, J) => {
        r[0] = Infinity;
        if (J) J[0] = 1;
      }),
    );
    for (const solver of [nails, nailm]) {
      const r = solver(p, Float64Array.of(0));
      assert.equal(r.status, 'diverged');
      assert.equal(r.initialValue, Infinity);
      assert.equal(r.value, Infinity);
    }
  });
});

describe('errors name their subject', () => {
  const base: Problem = {
    ...affineProblem([1, 2], [3, 4]),
  };
  it('checkProblem: the model, fixedX0', () => {
    assert.throws(() => checkProblem({ ...base, model: rnnModel({ nx: 1, nu: 2, ny: 1 }) }), {
      name: 'NailsError',
      subject: 'model',
    });
    assert.throws(
      () =>
        checkProblem({
          ...base,
          model: rnnModel({ nx: 2, nu: 1, ny: 1 }),
          fixedX0: new Float64Array(3),
        }),
      { name: 'NailsError', subject: 'fixedX0' },
    );
  });
});

describe('the recovery', () => {
  it('returns the run itself when it was not degenerate', () => {
    const p = affineProblem([-1, 1], [-2, 2]);
    let returned: SolverResult | undefined;
    const r = solveWithRecovery(p, Float64Array.of(0, 0), (z, o) => (returned = nails(p, z, o)), {
      maxIterations: 5,
    });
    assert.equal(r, returned);
    assert.equal(r.status, 'converged');
  });
});

describe('NAILM with D = I: λ₀ and the cap follow max diag(M)', () => {
  it('λ₀ = τ·max diag(M) when the largest diagonal entry is not the first', () => {
    // r = θ₀ + 10θ₁: M = 2·[[1, 10], [10, 100]], max diag 200 (the off-diagonal is 20).
    const p = residualProblem(
      new Residuals(1, 2, (t, r, J) => {
        r[0] = t[0]! + 10 * t[1]! - 1;
        if (J) J.set([1, 10]);
      }),
    );
    const r = nailm(p, Float64Array.of(0, 0), { maxIterations: 0, scaling: 'identity' });
    assert.ok(Math.abs(r.lambda - 0.2) < 1e-15, `${r.lambda}`);
  });

  it('… and when it is the last entry of an initial-state block', () => {
    // ŷ = C x with C = (1, 5), A = 0.5 I, x0 = 0, small inputs: M's largest entry is x0₂'s.
    const lin = linearModel({ nx: 2, nu: 1, ny: 1 });
    const p: Problem = {
      model: lin,
      experiments: [
        makeExperiment({
          u: Array.from({ length: 20 }, (_, k) => 0.01 * Math.sin(k)),
          y: Array.from({ length: 20 }, (_, k) => Math.cos(k)),
        }),
      ],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const z = Float64Array.of(0.5, 0, 0, 0.5, 0.01, 0.01, 1, 5, 0, 0);
    const sys = accumulateGaussNewton(p, z);
    const n = z.length;
    const M = denseMatrix(sys);
    const diag = Array.from({ length: n }, (_, a) => M[a * n + a]!);
    const max = Math.max(...diag);
    assert.equal(diag.indexOf(max), n - 1);
    const r = nailm(p, z, { maxIterations: 0, scaling: 'identity' });
    assert.ok(Math.abs(r.lambda - 1e-3 * max) < 1e-12 * max, `${r.lambda} vs ${1e-3 * max}`);
  });

  it('the cap is updated from the M of each accepted point', () => {
    // From θ = 0 (r = 10θ − 4, M = 200) one step to θ ≈ 0.4, where r = 0.001 with J = 1000
    // (M = 2e6) and no trial decreases V: λ grows from 0.2/3 until it passes 1e16·2e6 — 12
    // rejections (1e16·200, the start's M, would stop after 11).
    const p = residualProblem(
      new Residuals(1, 1, (t, r, J) => {
        const x = t[0]!;
        if (x < 0.3) {
          r[0] = 10 * x - 4;
          if (J) J[0] = 10;
        } else {
          r[0] = 0.001;
          if (J) J[0] = 1000;
        }
      }),
    );
    const res = nailm(p, Float64Array.of(0), {
      scaling: 'identity',
      ftol: 0,
      maxIterations: 100,
    });
    assert.equal(res.history[0]!.accepted, true);
    assert.equal(res.stopTest, 'damping-cap');
    assert.equal(res.iterations, 13);
    assert.ok(res.lambda > 2e22 && res.lambda / 2 ** 12 <= 2e22, `${res.lambda}`);
  });
});
