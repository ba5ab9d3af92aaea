import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { makeLoss } from '../../src/core/losses';
import { channelMetrics } from '../../src/core/metrics';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { adam } from '../../src/core/solver/adam';
import { lbfgs } from '../../src/core/solver/lbfgs';
import { nailm } from '../../src/core/solver/nailm';
import { nails } from '../../src/core/solver/nails';
import { evaluateV, packZ, unpackZ, type Problem } from '../../src/core/solver/problem';
import { estimateX0Ekf, estimateX0LeastSquares } from '../../src/core/solver/x0-estimation';
import { assertClose, fixture } from '../helpers';

interface LsqCase {
  name: string;
  N: number;
  nu?: number;
  nx?: number;
  hidden: number;
  u: number[];
  y: number[];
  rho_theta: number;
  rho_x0: number;
  start: number[];
  theta?: number[];
  z?: number[];
  value: number;
}

function fixtureProblem(c: LsqCase): Problem {
  if (c.name === 'feedforward') {
    const model = feedforwardModel({ nu: c.nu!, ny: 1, hidden: [c.hidden], activation: 'tanh' });
    const e = makeExperiment({ u: Float64Array.from(c.u), nu: c.nu!, y: Float64Array.from(c.y) });
    return {
      model,
      experiments: [e],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: c.rho_theta,
      rhoX0: 0,
      trainX0: false,
    };
  }
  const model = rnnModel({
    nx: c.nx!,
    nu: 1,
    ny: 1,
    state: { hidden: [c.hidden], linear: true },
    output: { hidden: [], linear: true },
  });
  const e = makeExperiment({ u: Float64Array.from(c.u), y: Float64Array.from(c.y) });
  return {
    model,
    experiments: [e],
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: c.rho_theta,
    rhoX0: c.rho_x0,
    trainX0: true,
  };
}

describe('NAILS and NAILM reach the optimum of scipy.optimize.least_squares', () => {
  // Tolerance: |V − V*| ≤ 1e-9·V* and ŷ within 1e-6; z within 1e-5 for the feedforward net (the RNN's
  // optimum is flat along near-similarity transforms, so its z is compared through V and ŷ only).
  for (const c of fixture<LsqCase[]>('least-squares.json')) {
    for (const [name, solver] of [
      ['NAILS', nails],
      ['NAILM', nailm],
    ] as const) {
      it(`${name} on the ${c.name} problem`, () => {
        const p = fixtureProblem(c);
        assert.equal(
          p.model.nTheta + (p.trainX0 ? p.model.nx : 0),
          c.start.length,
          'same parameter count as the fixture',
        );
        const r = solver(p, Float64Array.from(c.start), {
          maxIterations: 500,
          ftol: 1e-15,
          gtol: 1e-7,
        });
        assert.equal(r.status, 'converged', r.message);
        assert.equal(r.stopTest, 'gradient');
        assert.ok(r.firstOrder <= 1e-7, `first-order measure ${r.firstOrder}`);
        assertClose([r.value], [c.value], 1e-9, 0, 'V');
        // Same outputs to 1e-6 (the RNN's parameters are only weakly determined: θ to 1e-2).
        const { theta, x0s } = unpackZ(p, r.z);
        const ref = unpackZ(p, Float64Array.from(c.theta ?? c.z!));
        const e = p.experiments[0]!;
        assertClose(
          simulate(p.model, theta, e.u, e.N, x0s).y,
          simulate(p.model, ref.theta, e.u, e.N, ref.x0s).y,
          0,
          1e-6,
          'ŷ',
        );
        if (c.name === 'feedforward') assertClose(r.z, c.theta!, 0, 1e-5, 'z');
      });
    }
  }

  it('L-BFGS (baseline) reaches the same optimum on the feedforward problem', () => {
    const c = fixture<LsqCase[]>('least-squares.json')[0]!;
    const p = fixtureProblem(c);
    const r = lbfgs(p, Float64Array.from(c.start), {
      maxIterations: 5000,
      ftol: 1e-16,
      gtol: 1e-12,
    });
    assertClose([r.value], [c.value], 1e-7, 0, 'V');
  });
});

describe('system identification checks', () => {
  it('a noise-free linear system is identified to fit > 99.9 % on fresh data', () => {
    const rng = new Random(12);
    const truth = linearModel({ nx: 2, nu: 1, ny: 1 });
    const thTrue = Float64Array.of(0.9, 0.2, -0.3, 0.7, 1, 0.5, 1, -0.8); // A, B, C
    const u = rng.fillNormal(new Float64Array(600));
    const y = simulate(truth, thTrue, u, 600, [0, 0]).y;
    const train = makeExperiment({ u: u.slice(0, 400), y: y.slice(0, 400) });
    const p: Problem = {
      model: linearModel({ nx: 2, nu: 1, ny: 1 }),
      experiments: [train],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const r = nailm(p, packZ(p, p.model.init(new Random(1)), new Float64Array(2)), {
      maxIterations: 200,
    });
    // Test on the whole record from the training x0 (continues past the training part).
    const sim = simulate(p.model, r.theta, u, 600, r.x0s);
    const [m] = channelMetrics(y.slice(400), sim.y.slice(400), 1);
    assert.ok(m!.fit > 99.9, `fit ${m!.fit} %`);
  });

  it('a deliberately unstable start is a rejected step or a clear status, never a crash', () => {
    const rng = new Random(3);
    const u = rng.fillNormal(new Float64Array(300));
    const e = makeExperiment({ u, y: rng.fillNormal(new Float64Array(300)) });
    const model = linearModel({ nx: 1, nu: 1, ny: 1 });
    const p: Problem = {
      model,
      experiments: [e],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 1e-4,
      rhoX0: 1e-4,
      trainX0: true,
    };
    // A = 50 overflows in 300 steps: the start itself is not finite.
    for (const solver of [nails, nailm, lbfgs, adam]) {
      const r = solver(p, Float64Array.of(50, 1, 1, 1), { maxIterations: 5 });
      assert.equal(r.status, 'diverged', r.method);
      assert.equal(r.stopTest, 'start-not-finite', r.method);
      assert.match(r.message, /start from a stable model/);
    }
    // A = 1.05 is finite but large; trials that overflow are rejected and the solvers go on.
    for (const solver of [nails, nailm]) {
      const r = solver(p, Float64Array.of(1.05, 1, 1, 0), { maxIterations: 30 });
      assert.ok(
        Number.isFinite(r.value) && r.value < evaluateV(p, Float64Array.of(1.05, 1, 1, 0)),
        `${r.method} decreased V`,
      );
    }
  });

  it('cancel returns the best parameters so far with status cancelled', () => {
    const rng = new Random(4);
    const model = rnnModel({ nx: 2, nu: 1, ny: 1 });
    const e = makeExperiment({
      u: rng.fillNormal(new Float64Array(3000)),
      y: rng.fillNormal(new Float64Array(3000)),
    });
    const p: Problem = {
      model,
      experiments: [e],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 1e-4,
      rhoX0: 1e-4,
      trainX0: true,
    };
    const z0 = packZ(p, model.init(rng), new Float64Array(2));
    let calls = 0;
    const r = nailm(p, z0, { maxIterations: 1000, chunk: 100, shouldStop: () => ++calls > 200 });
    assert.equal(r.status, 'cancelled');
    assert.ok(r.iterations < 1000);
    assertClose([evaluateV(p, r.z)], [r.value], 1e-12, 0, 'returned value is V of the returned z');
    assert.ok(r.value <= evaluateV(p, z0));
  });

  it('Adam decreases the loss and keeps the best iterate', () => {
    const c = fixture<LsqCase[]>('least-squares.json')[0]!;
    const p = fixtureProblem(c);
    const z0 = Float64Array.from(c.start);
    const r = adam(p, z0, { maxIterations: 300, learningRate: 0.01 });
    assert.ok(r.value < evaluateV(p, z0));
    assertClose([evaluateV(p, r.z)], [r.value], 1e-12, 0, 'value of the returned z');
  });
});

describe('initial state on new data (ALGORITHM.md §6)', () => {
  const model = rnnModel({ nx: 3, nu: 1, ny: 2, output: { feedthrough: true } });
  const theta = model.init(new Random(21));
  const rng = new Random(22);
  const u = rng.fillNormal(new Float64Array(400));
  const x0True = Float64Array.of(0.8, -0.5, 0.3);
  const y = simulate(model, theta, u, 400, x0True).y;

  it('least squares on the first n_init samples recovers a known x0', () => {
    const est = estimateX0LeastSquares(model, theta, u, y, { window: 50 });
    assertClose(est.x0, x0True, 0, 1e-6, 'x0');
    const whole = estimateX0LeastSquares(model, theta, u, y);
    assertClose(whole.x0, x0True, 0, 1e-6, 'x0 (whole record)');
  });

  it('the EKF + RTS smoother is exact on a noise-free linear system and close on a noisy RNN', () => {
    const lin = linearModel({ nx: 2, nu: 1, ny: 1 });
    const th = Float64Array.of(0.9, 0.2, -0.3, 0.7, 1, 0.5, 1, -0.8);
    const yl = simulate(lin, th, u, 400, [1, -1]).y;
    assertClose(
      estimateX0Ekf(lin, th, u, yl, { window: 100, q: 1e-10, r: 1e-6, p0: 10 }).x0,
      [1, -1],
      0,
      1e-6,
      'linear x0',
    );
    const noisy = Float64Array.from(y, (v) => v + 0.001 * rng.normal());
    const est = estimateX0Ekf(model, theta, u, noisy, { window: 100, q: 1e-8, r: 1e-6, p0: 1 });
    assertClose(est.x0, x0True, 0, 0.05, 'RNN x0 (first-order filter: approximate)');
  });

  it('a window outside the record is named', () => {
    assert.throws(
      () => estimateX0LeastSquares(model, theta, u, y, { window: 500 }),
      /window 500 must be an integer in \[1, 400\]/,
    );
  });
});
