/**
 * The first-order baselines with figures worked by hand: Adam's first epochs on V = (θ − 3)²,
 * L-BFGS's two-loop recursion and strong-Wolfe line search on 1-D quadratics (expansion, zoom,
 * exhaustion), and the adjoint gradient against central differences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment.js';
import { makeLoss } from '../../src/core/losses/index.js';
import { linearModel, rnnModel } from '../../src/core/models/model-factory.js';
import { Random } from '../../src/core/random.js';
import { adam } from '../../src/core/solver/adam.js';
import { valueAndGradient } from '../../src/core/solver/adjoint-gradient.js';
import { Cancelled } from '../../src/core/solver/cancellation.js';
import { lbfgs } from '../../src/core/solver/lbfgs.js';
import { nails } from '../../src/core/solver/nails.js';
import { evaluateV, packZ, zSize, type Problem } from '../../src/core/solver/problem.js';
import { assertClose } from '../helpers.js';
import { Residuals, residualProblem } from './solver-test-models.js';

/** V = (θ − c)² (one residual θ − c). */
const shifted = (c: number) =>
  residualProblem(
    new Residuals(1, 1, (t, r, J) => {
      r[0] = t[0]! - c;
      if (J) J[0] = 1;
    }),
  );
/** V is finite only at θ = 0 (V = 9 there). */
const onlyAtZero = residualProblem(
  new Residuals(1, 1, (t, r, J) => {
    r[0] = t[0] === 0 ? -3 : NaN;
    if (J) J[0] = 1;
  }),
);
const close = (a: number | undefined, b: number, rtol = 1e-12, atol = 0) =>
  assert.ok(a !== undefined && Math.abs(a - b) <= atol + rtol * Math.abs(b), `${a} vs ${b}`);

/** Adam on V = (θ − 3)² by hand. */
function adamByHand(t0: number, epochs: number, lr: number, b1: number, b2: number, eps: number) {
  let x = t0;
  let m = 0;
  let v = 0;
  const xs: number[] = [];
  for (let t = 1; t <= epochs; t++) {
    const g = 2 * (x - 3);
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    x -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
    xs.push(x);
  }
  return xs;
}

describe('Adam', () => {
  it('the iterates follow the bias-corrected update (defaults: η 1e-3, β 0.9 / 0.999, ε 1e-8)', () => {
    const r = adam(shifted(3), Float64Array.of(0), { maxIterations: 5 });
    const xs = adamByHand(0, 5, 1e-3, 0.9, 0.999, 1e-8);
    close(r.z[0], xs[4]!);
    close(xs[0], 1e-3, 1e-6); // the first step is η·sign(−∇V)
    r.history.forEach((h, k) => {
      assert.equal(h.accepted, true);
      close(h.value, (xs[k]! - 3) ** 2);
      close(h.gradNorm, Math.abs(2 * (xs[k]! - 3)));
      assert.equal(h.alpha, 1e-3);
      assert.ok(Number.isNaN(h.stepNorm));
    });
    assert.equal(r.method, 'Adam');
    assert.equal(r.sensitivities, 6);
    assert.equal(r.simulations, 0);
  });

  it('the options η, β₁, β₂ and ε are used', () => {
    const o = { learningRate: 0.1, beta1: 0.5, beta2: 0.75, epsilon: 2 };
    const r = adam(shifted(3), Float64Array.of(0), { ...o, maxIterations: 4 });
    const xs = adamByHand(0, 4, 0.1, 0.5, 0.75, 2);
    r.history.forEach((h, k) => close(h.value, (xs[k]! - 3) ** 2));
    close(r.z[0], xs[3]!);
  });

  it('keeps the best iterate: an epoch that does not improve V is rejected', () => {
    // η = 4 from θ = 0 overshoots: θ₁ = 4 (V 1, best), θ₂ ≈ 4 − 4·…: worse epochs are rejected.
    const r = adam(shifted(3), Float64Array.of(0), { learningRate: 4, maxIterations: 6, ftol: 0 });
    const xs = adamByHand(0, 6, 4, 0.9, 0.999, 1e-8);
    let best = 9;
    r.history.forEach((h, k) => {
      const v = (xs[k]! - 3) ** 2;
      assert.equal(h.accepted, v < best, `epoch ${k + 1}`);
      if (v < best) best = v;
      close(h.value, best);
      if (!h.accepted) assert.ok(Number.isNaN(h.gradNorm));
    });
    assert.ok(r.history.some((h) => !h.accepted));
    close(r.value, best);
    close(evaluateV(shifted(3), r.z), best);
  });

  it('a non-finite epoch goes back to the best point; the stall window defaults to 100 epochs', () => {
    const r = adam(onlyAtZero, Float64Array.of(0), { learningRate: 1 });
    assert.equal(r.status, 'stalled');
    assert.equal(r.stopTest, 'no-decrease');
    assert.equal(r.iterations, 100);
    assert.deepEqual([...r.z], [0]);
    assert.equal(r.value, 9);
    // The start, then two passes per epoch (the non-finite one and the one back at the best point).
    assert.equal(r.sensitivities, 1 + 2 * 100);
    const w = adam(onlyAtZero, Float64Array.of(0), { learningRate: 1, stallWindow: 3 });
    assert.equal(w.iterations, 3);
  });

  it('the first-order baselines refuse an ADMM term or fixed entries', () => {
    const q: Problem = {
      ...shifted(3),
      quadratic: { index: Int32Array.of(0), weight: 1, center: Float64Array.of(0) },
    };
    const f: Problem = { ...shifted(3), fixed: Uint8Array.of(1) };
    for (const solver of [adam, lbfgs])
      for (const p of [q, f])
        assert.throws(
          () => solver(p, Float64Array.of(0)),
          /the first-order baselines take the smooth objective only/,
        );
  });
});

describe('L-BFGS', () => {
  it('on V = (θ − 3)² from 0: a unit steepest-descent step, then the quasi-Newton step lands on 3', () => {
    // Step 1: d = −∇V/‖∇V‖ = 1, α = 1 satisfies both Wolfe conditions (φ = 4, |φ'| = 4 ≤ 0.9·6).
    // Step 2: s = 1, y = 2, H = s/y: d = 2, α = 1 gives θ = 3 exactly.
    const r = lbfgs(shifted(3), Float64Array.of(0));
    assert.equal(r.method, 'L-BFGS');
    assert.equal(r.status, 'converged');
    assert.equal(r.iterations, 2);
    assert.deepEqual([...r.z], [3]);
    assert.deepEqual(
      r.history.map((h) => [h.value, h.gradNorm, h.stepNorm, h.alpha, h.accepted]),
      [
        [4, 4, 1, 1, true],
        [0, 0, 2, 1, true],
      ],
    );
    assert.equal(r.sensitivities, 3);
    assert.equal(r.simulations, 0);
  });

  it('the line search expands (α = 1, 2, 4) until the curvature condition holds', () => {
    // V = (θ − 30)²: φ'(α) = 2(α − 30), φ'(0) = −60; |φ'(α)| ≤ 54 first at α = 4.
    const r = lbfgs(shifted(30), Float64Array.of(0), { maxIterations: 1 });
    assert.equal(r.history[0]!.alpha, 4);
    assert.equal(r.history[0]!.value, 26 ** 2);
    assert.equal(r.sensitivities, 1 + 3);
  });

  it('the line search zooms when the trial overshoots (cubic interpolation lands on the minimum)', () => {
    // V = (θ − 0.6)², c₂ = 0.1: α = 1 decreases V but φ'(1) = 0.8 > 0: zoom(1, 0) → α = 0.6.
    const r = lbfgs(shifted(0.6), Float64Array.of(0), { maxIterations: 1, c2: 0.1 });
    close(r.history[0]!.alpha, 0.6);
    assert.ok(r.history[0]!.value < 1e-28);
    assert.equal(r.sensitivities, 1 + 2);
    // c₂ = 0.9 accepts α = 1 (|φ'(1)| = 0.8 ≤ 1.08).
    const loose = lbfgs(shifted(0.6), Float64Array.of(0), { maxIterations: 1 });
    assert.equal(loose.history[0]!.alpha, 1);
  });

  it('the line search zooms when the trial fails sufficient decrease (bisection, then cubic)', () => {
    // V = 100(θ − 0.01)²: α = 1 is far too long; the zoom bisects while the cubic's minimiser
    // 0.01 lies outside the safeguard [lo + 0.1 w, lo + 0.9 w], then takes it.
    const p = residualProblem(
      new Residuals(1, 1, (t, r, J) => {
        r[0] = 10 * (t[0]! - 0.01);
        if (J) J[0] = 10;
      }),
    );
    const r = lbfgs(p, Float64Array.of(0), { maxIterations: 1 });
    close(r.history[0]!.alpha, 0.01, 1e-9);
    assert.ok(r.history[0]!.value < 1e-20);
    // α = 1, 0.5, 0.25, 0.125, 0.0625, then the cubic's 0.01.
    assert.equal(r.sensitivities, 1 + 6);
    // c₁ = 0.99 still accepts the exact minimiser (φ(0.01) = 0 ≤ 0.01 − 0.99·0.01·2·0.01·…).
    const c1 = lbfgs(p, Float64Array.of(0), { maxIterations: 1, c1: 0.4 });
    close(c1.history[0]!.alpha, 0.01, 1e-9);
  });

  it('no finite trial within maxLineSearch evaluations: stalled (line search)', () => {
    const r = lbfgs(onlyAtZero, Float64Array.of(0), { maxLineSearch: 5 });
    assert.equal(r.status, 'stalled');
    assert.equal(r.stopTest, 'line-search');
    assert.equal(r.iterations, 1);
    assert.equal(r.sensitivities, 1 + 5);
    assert.equal(r.value, 9);
    assert.deepEqual([...r.z], [0]);
    assert.equal(r.history[0]!.accepted, false);
    const d = lbfgs(onlyAtZero, Float64Array.of(0));
    assert.equal(d.sensitivities, 1 + 25);
  });

  it('converges to the least-squares solution of an overdetermined linear problem (as NAILS does in one step)', () => {
    // r = Aθ − b, 4 residuals, 3 parameters, b not in the range of A (V* > 0).
    const A = [
      [2, 1, 0],
      [1, 3, 1],
      [0, 1, 4],
      [1, 1, 1],
    ];
    const b = [1, -2, 3, 5];
    const p = residualProblem(
      new Residuals(4, 3, (t, r, J) => {
        for (let i = 0; i < 4; i++) {
          r[i] = A[i]!.reduce((s, a, j) => s + a * t[j]!, 0) - b[i]!;
          if (J) for (let j = 0; j < 3; j++) J[i * 3 + j] = A[i]![j]!;
        }
      }),
    );
    const gn = nails(p, new Float64Array(3), { maxIterations: 3 });
    const r = lbfgs(p, new Float64Array(3), { gtol: 1e-8, maxIterations: 50 });
    assert.equal(r.status, 'converged', r.message);
    assertClose(r.z, gn.z, 0, 1e-8, 'θ');
    close(r.value, gn.value, 1e-12);
    assert.ok(r.iterations <= 15, `${r.iterations} iterations`);
    const m1 = lbfgs(p, new Float64Array(3), { gtol: 1e-8, maxIterations: 200, memory: 1 });
    assertClose(m1.z, gn.z, 0, 1e-5, 'θ (memory 1)');
  });
});

describe('the adjoint gradient', () => {
  function centralDifferences(p: Problem, z: Float64Array, h = 1e-6): Float64Array {
    const g = new Float64Array(z.length);
    for (let i = 0; i < z.length; i++) {
      const a = Float64Array.from(z);
      const b = Float64Array.from(z);
      a[i] = a[i]! + h;
      b[i] = b[i]! - h;
      g[i] = (evaluateV(p, a) - evaluateV(p, b)) / (2 * h);
    }
    return g;
  }

  it('equals central differences of V: RNN, 2 outputs, 3 experiments, x0 trained, ρ terms', () => {
    const rng = new Random(31);
    const model = rnnModel({ nx: 3, nu: 2, ny: 2, state: { hidden: [4] } });
    const experiments = [17, 9, 12].map((N) =>
      makeExperiment({
        u: rng.fillNormal(new Float64Array(N * 2)),
        nu: 2,
        y: rng.fillNormal(new Float64Array(N * 2)),
        ny: 2,
      }),
    );
    const p: Problem = {
      model,
      experiments,
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0.05,
      rhoX0: 0.2,
      trainX0: true,
    };
    const z = packZ(p, model.init(rng), rng.fillNormal(new Float64Array(9)));
    const g = new Float64Array(zSize(p)).fill(7);
    const v = valueAndGradient(p, z, g);
    close(v, evaluateV(p, z), 1e-12);
    assertClose(g, centralDifferences(p, z), 1e-6, 1e-8, '∇V');
  });

  it('with fixed initial states: ∇_θ only, ρ_x0 on the fixed x0 counted in V', () => {
    const rng = new Random(32);
    const model = linearModel({ nx: 2, nu: 1, ny: 1 });
    const e = makeExperiment({
      u: rng.fillNormal(new Float64Array(25)),
      y: rng.fillNormal(new Float64Array(25)),
    });
    const p: Problem = {
      model,
      experiments: [e],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0.1,
      rhoX0: 0.3,
      trainX0: false,
      fixedX0: Float64Array.of(0.5, -1),
    };
    const z = Float64Array.of(0.5, 0.1, -0.2, 0.3, 1, 0.4, -0.7, 0.9);
    const g = new Float64Array(z.length);
    const v = valueAndGradient(p, z, g);
    close(v, evaluateV(p, z), 1e-12);
    assertClose(g, centralDifferences(p, z), 1e-6, 1e-8, '∇_θ V');
  });

  it('a record that does not simulate gives +∞ and a NaN gradient; a stop request throws Cancelled', () => {
    const model = linearModel({ nx: 1, nu: 1, ny: 1 });
    const p: Problem = {
      model,
      experiments: [makeExperiment({ u: new Float64Array(300).fill(1), y: new Float64Array(300) })],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const g = new Float64Array(4);
    assert.equal(valueAndGradient(p, Float64Array.of(50, 1, 1, 1), g), Infinity);
    assert.ok(g.every(Number.isNaN));
    assert.throws(
      () => valueAndGradient(p, Float64Array.of(0.5, 1, 1, 1), g, () => true),
      Cancelled,
    );
    assert.ok(Number.isFinite(valueAndGradient(p, Float64Array.of(0.5, 1, 1, 1), g, () => false)));
  });
});
