import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import { makeLoss, type LossConfig } from '../../src/core/losses';
import { linearModel, rnnModel } from '../../src/core/models/model-factory';
import { objective } from '../../src/core/objective';
import { Random } from '../../src/core/random';
import { simulate, simulateExperiments } from '../../src/core/simulate';
import { assertClose, finiteDifferenceJacobian } from '../helpers';

const isNails = (re: RegExp) => (e: unknown) => e instanceof NailsError && re.test(e.message);

describe('simulation', () => {
  it('many experiments at once equal each experiment alone', () => {
    const m = rnnModel({ nx: 2, nu: 2, ny: 1 });
    const rng = new Random(2);
    const th = m.init(rng);
    const exps = [17, 40, 5].map((N, j) =>
      makeExperiment({
        name: `e${j}`,
        u: rng.fillNormal(new Float64Array(N * 2)),
        nu: 2,
        y: new Float64Array(N),
      }),
    );
    const x0s = rng.fillNormal(new Float64Array(3 * 2));
    const all = simulateExperiments(m, th, exps, x0s);
    assert.ok(all.finite);
    exps.forEach((e, j) => {
      const alone = simulate(m, th, e.u, e.N, x0s.subarray(j * 2, j * 2 + 2));
      assert.deepEqual([...all.y[j]!], [...alone.y]);
    });
  });

  it('a diverging simulation is reported as non-finite, not thrown', () => {
    const m = linearModel({ nx: 1, nu: 1, ny: 1 });
    const th = Float64Array.from([1e3, 1, 1]); // A = 1000: explodes
    const s = simulate(m, th, new Float64Array(400).fill(1), 400, [1]);
    assert.equal(s.finite, false);
    const exps = [makeExperiment({ u: new Float64Array(400).fill(1), y: new Float64Array(400) })];
    const v = objective(m, th, Float64Array.from([1]), exps, makeLoss({ name: 'mse' }), {
      rhoTheta: 0,
      rhoX0: 0,
    });
    assert.equal(v.value, Infinity);
    assert.equal(v.finite, false);
  });

  it('states are returned on request: x[k+1] = A x[k] + B u[k]', () => {
    const m = linearModel({ nx: 1, nu: 1, ny: 1 });
    const s = simulate(
      m,
      Float64Array.from([0.5, 2, 1]),
      Float64Array.from([1, 0, 0]),
      3,
      [4],
      true,
    );
    assert.deepEqual([...s.x!], [4, 4, 2, 1]);
    assert.deepEqual([...s.y], [4, 4, 2]);
  });

  it('shape errors are named', () => {
    const m = linearModel({ nx: 2, nu: 1, ny: 1 });
    const th = new Float64Array(m.nTheta);
    assert.throws(
      () => simulate(m, th, new Float64Array(3), 3, [0]),
      isNails(/x0 has 1 entries but the model has nx = 2/),
    );
    assert.throws(
      () => simulate(m, new Float64Array(2), new Float64Array(3), 3, [0, 0]),
      isNails(/theta has 2 entries but the model has 8/),
    );
    const e = makeExperiment({ u: [1, 2], y: [1, 2] });
    assert.throws(
      () => simulateExperiments(m, th, [e, e], new Float64Array(2)),
      isNails(/x0s has 2 entries, expected experiments × nx = 2 × 2/),
    );
  });
});

describe('objective V(z) (ALGORITHM.md §2)', () => {
  it('equals the hand computation: (1/N) Σ ℓ + ρ_θ‖θ‖² + ρ_x0 Σ‖x0‖², N over all experiments', () => {
    const m = linearModel({ nx: 1, nu: 1, ny: 1 }); // θ = [A, B, C]
    const th = Float64Array.from([0.5, 1, 2]);
    // e1: x0 = 1, u = [1, 0] → x = [1, 1.5], ŷ = [2, 3]; e2: x0 = 0, u = [2] → ŷ = [0].
    const e1 = makeExperiment({ u: [1, 0], y: [1, 1] });
    const e2 = makeExperiment({ u: [2], y: [3] });
    const v = objective(m, th, Float64Array.from([1, 0]), [e1, e2], makeLoss({ name: 'mse' }), {
      rhoTheta: 0.1,
      rhoX0: 0.01,
    });
    const data = ((2 - 1) ** 2 + (3 - 1) ** 2 + (0 - 3) ** 2) / 3;
    assertClose(
      [v.data, v.regularization, v.value],
      [data, 0.1 * (0.25 + 1 + 4) + 0.01 * 1, data + 0.525 + 0.01],
      1e-15,
    );
  });

  it('negative or non-finite ρ is refused with the argument named', () => {
    const m = linearModel({ nx: 1, nu: 1, ny: 1 });
    const e = makeExperiment({ u: [1], y: [1] });
    const loss = makeLoss({ name: 'mse' });
    assert.throws(
      () =>
        objective(m, new Float64Array(3), new Float64Array(1), [e], loss, {
          rhoTheta: -1,
          rhoX0: 0,
        }),
      isNails(/rhoTheta is -1; it must be a finite number ≥ 0/),
    );
    assert.throws(
      () =>
        objective(m, new Float64Array(3), new Float64Array(1), [e], loss, {
          rhoTheta: 0,
          rhoX0: NaN,
        }),
      isNails(/rhoX0 is NaN/),
    );
  });
});

describe('losses: value, gradient and Hessian in ŷ', () => {
  const cases: [LossConfig, number[], number[]][] = [
    [{ name: 'mse' }, [0.3, -1.2], [1.1, 0.4]],
    [{ name: 'weighted_mse', weights: [2, 0.5] }, [0.3, -1.2], [1.1, 0.4]],
    [{ name: 'cross_entropy', epsilon: 1e-4 }, [1, 0], [0.7, 0.2]],
    [{ name: 'logistic' }, [1, 0], [0.8, -1.5]],
    [{ name: 'pseudo_huber', delta: 0.5 }, [0.3, -1.2], [1.1, 0.4]],
  ];
  for (const [cfg, y, yhat] of cases) {
    it(`${cfg.name} derivatives match finite differences`, () => {
      const loss = makeLoss(cfg);
      const Y = Float64Array.from(y);
      const value = (h: Float64Array) => Float64Array.of(loss.evaluate(Y, 0, h, 0, 2));
      const grad = (h: Float64Array) => {
        const g = new Float64Array(2);
        loss.evaluate(Y, 0, h, 0, 2, g);
        return g;
      };
      const H = Float64Array.from(yhat);
      const g = new Float64Array(2);
      const hd = new Float64Array(2);
      loss.evaluate(Y, 0, H, 0, 2, g, hd);
      assertClose(g, finiteDifferenceJacobian(value, H), 1e-6, 1e-9, 'gradient');
      const hess = finiteDifferenceJacobian(grad, H); // 2 × 2, diagonal
      assertClose([hess[1]!, hess[2]!], [0, 0], 0, 1e-8, 'off-diagonal Hessian');
      assertClose(hd, [hess[0]!, hess[3]!], 1e-6, 1e-9, 'Hessian diagonal');
      assert.ok(
        hd.every((v) => v >= 0),
        'convex',
      );
    });
  }

  it('known values: cross-entropy is −log(ε+ŷ) for y = 1; pseudo-Huber ≈ r²/2 for small r', () => {
    const ce = makeLoss({ name: 'cross_entropy' });
    assertClose(
      [ce.evaluate(Float64Array.of(1), 0, Float64Array.of(0.25), 0, 1)],
      [-Math.log(0.2501)],
      1e-15,
    );
    const ph = makeLoss({ name: 'pseudo_huber', delta: 1 });
    assertClose([ph.evaluate(Float64Array.of(0), 0, Float64Array.of(1e-3), 0, 1)], [0.5e-6], 1e-6);
  });

  it('bad loss settings are named', () => {
    assert.throws(
      () => makeLoss({ name: 'l2' } as unknown as LossConfig),
      isNails(/unknown loss 'l2'; use one of mse, weighted_mse/),
    );
    assert.throws(
      () => makeLoss({ name: 'weighted_mse', weights: [1, -2] }),
      isNails(/loss weight 1 is -2/),
    );
    assert.throws(
      () => makeLoss({ name: 'cross_entropy', epsilon: 0 }),
      isNails(/epsilon must be in \(0, 1\)/),
    );
    assert.throws(
      () => makeLoss({ name: 'pseudo_huber', delta: -1 }),
      isNails(/delta must be positive/),
    );
  });
});
