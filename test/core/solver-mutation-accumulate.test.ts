/**
 * The Gauss–Newton accumulation's extra terms and edges (ADMM's quadratic, fixed entries, a
 * record that does not simulate, cancellation, chunking) and the problem's layout helpers, each
 * against a direct computation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment.js';
import { makeLoss } from '../../src/core/losses/index.js';
import { linearModel, rnnModel } from '../../src/core/models/model-factory.js';
import { Random } from '../../src/core/random.js';
import { Cancelled } from '../../src/core/solver/cancellation.js';
import {
  accumulateGaussNewton,
  denseMatrix,
  GaussNewtonWorkspace,
  gradientVector,
} from '../../src/core/solver/gauss-newton.js';
import {
  checkProblem,
  evaluateV,
  packZ,
  quadraticTerm,
  samples,
  unpackZ,
  zSize,
  type Problem,
} from '../../src/core/solver/problem.js';
import { assertClose } from '../helpers.js';

const rng = new Random(404);
const model = rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [3] } });
const experiments = [14, 9].map((N) =>
  makeExperiment({
    u: rng.fillNormal(new Float64Array(N)),
    y: rng.fillNormal(new Float64Array(N)),
  }),
);
const base: Problem = {
  model,
  experiments,
  loss: makeLoss({ name: 'mse' }),
  rhoTheta: 0.01,
  rhoX0: 0.02,
  trainX0: true,
};
const nt = model.nTheta;
const z = packZ(base, model.init(rng), rng.fillNormal(new Float64Array(4)));

function fdGradient(f: (z: Float64Array) => number, at: Float64Array, h = 1e-6) {
  const g = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const a = Float64Array.from(at);
    const b = Float64Array.from(at);
    a[i] = a[i]! + h;
    b[i] = b[i]! - h;
    g[i] = (f(a) - f(b)) / (2 * h);
  }
  return g;
}

describe('accumulation: extra terms and edges', () => {
  it("ADMM's quadratic (w/2)Σ(z_i − c_i)² adds w(z_i − c_i) to ∇V and w to M_ii, on θ and on x0 entries", () => {
    const quadratic = {
      index: Int32Array.of(1, nt + 3, nt),
      weight: 0.7,
      center: Float64Array.of(0.5, -1, 2),
    };
    const p: Problem = { ...base, quadratic };
    const plain = accumulateGaussNewton(base, z);
    const sys = accumulateGaussNewton(p, z);
    const q = 0.35 * ((z[1]! - 0.5) ** 2 + (z[nt + 3]! + 1) ** 2 + (z[nt]! - 2) ** 2);
    assertClose([quadraticTerm(p, z)], [q], 1e-14, 0, 'quadratic term');
    assertClose([sys.value], [plain.value + q], 1e-13, 0, 'V');
    assertClose([evaluateV(p, z)], [evaluateV(base, z) + q], 1e-13, 0, 'V by simulation');
    assertClose(
      gradientVector(sys),
      // evaluateV includes the quadratic (the value the line search compares)
      fdGradient((x) => evaluateV(p, x), z),
      1e-6,
      1e-8,
      '∇V',
    );
    const n = zSize(p);
    const d = denseMatrix(sys);
    const d0 = denseMatrix(plain);
    const want = Float64Array.from(d0);
    for (const i of quadratic.index) want[i * n + i] = want[i * n + i]! + 0.7;
    assertClose(d, want, 1e-14, 1e-14, 'M');
    assert.equal(quadraticTerm(base, z), 0);
  });

  it('fixed entries: gradient 0, row and column of M 0, diagonal 1; the rest unchanged', () => {
    const fixed = new Uint8Array(zSize(base));
    fixed[0] = 1;
    fixed[nt + 1] = 1; // x0 of experiment 0, component 1
    fixed[nt + 2] = 1; // x0 of experiment 1, component 0
    const sys = accumulateGaussNewton({ ...base, fixed }, z);
    const plain = accumulateGaussNewton(base, z);
    const n = zSize(base);
    const g = gradientVector(sys);
    const g0 = gradientVector(plain);
    const M = denseMatrix(sys);
    const M0 = denseMatrix(plain);
    for (let i = 0; i < n; i++) {
      assert.equal(g[i], fixed[i] ? 0 : g0[i], `g[${i}]`);
      for (let j = 0; j < n; j++) {
        const want = fixed[i] || fixed[j] ? (i === j ? 1 : 0) : M0[i * n + j];
        assert.equal(M[i * n + j], want, `M[${i}, ${j}]`);
      }
    }
    assert.equal(sys.value, plain.value);
  });

  it('a record that does not simulate gives finite = false and V = +∞', () => {
    const lin = linearModel({ nx: 1, nu: 1, ny: 1 });
    const p: Problem = {
      model: lin,
      experiments: [makeExperiment({ u: new Float64Array(400).fill(1), y: new Float64Array(400) })],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const sys = accumulateGaussNewton(p, Float64Array.of(50, 1, 1, 0));
    assert.equal(sys.finite, false);
    assert.equal(sys.value, Infinity);
    assert.equal(evaluateV(p, Float64Array.of(50, 1, 1, 0)), Infinity);
    const ok = accumulateGaussNewton(p, Float64Array.of(0.5, 1, 1, 0));
    assert.equal(ok.finite, true);
    assertClose([ok.value], [evaluateV(p, Float64Array.of(0.5, 1, 1, 0))], 1e-13, 0, 'V');
  });

  it('the chunk does not change the system; a stop request between chunks throws Cancelled', () => {
    const whole = accumulateGaussNewton(base, z);
    for (const chunk of [1, 3, 8, 14]) {
      const sys = accumulateGaussNewton(base, z, { chunk });
      assertClose(denseMatrix(sys), denseMatrix(whole), 1e-12, 1e-14, `M (chunk ${chunk})`);
      assertClose(gradientVector(sys), gradientVector(whole), 1e-12, 1e-14, `∇V (chunk ${chunk})`);
    }
    // A workspace for another chunk size is not used (a fresh one is).
    const ws = new GaussNewtonWorkspace(base, 4);
    const other = accumulateGaussNewton(base, z, { chunk: 5 }, ws);
    assertClose(denseMatrix(other), denseMatrix(whole), 1e-12, 1e-14, 'M (other workspace)');
    let calls = 0;
    assert.throws(
      () => accumulateGaussNewton(base, z, { chunk: 4, shouldStop: () => ++calls > 1 }),
      Cancelled,
    );
    assert.equal(calls, 2);
    // A record shorter than the chunk never asks.
    let asked = 0;
    accumulateGaussNewton(base, z, { chunk: 64, shouldStop: () => ++asked > 0 });
    assert.equal(asked, 0);
  });

  it('x0 not trained: θ only, with the fixed initial states', () => {
    const fixedX0 = Float64Array.of(0.3, -0.2, 0.1, 0.4);
    const p: Problem = { ...base, trainX0: false, fixedX0 };
    const th = z.slice(0, nt);
    const sys = accumulateGaussNewton(p, th);
    assert.equal(sys.gX.length, 0);
    assert.equal(gradientVector(sys).length, nt);
    assertClose([sys.value], [evaluateV(p, th)], 1e-13, 0, 'V');
    assertClose(
      gradientVector(sys),
      fdGradient((x) => evaluateV(p, x), th),
      1e-6,
      1e-8,
      '∇V',
    );
  });
});

describe('problem layout', () => {
  it('z = (θ, x0_1, …, x0_E): sizes, packing and views', () => {
    assert.equal(zSize(base), nt + 4);
    assert.equal(zSize({ ...base, trainX0: false }), nt);
    assert.equal(samples(base), 23);
    const th = Float64Array.from({ length: nt }, (_, i) => i + 1);
    const packed = packZ(base, th, Float64Array.of(-1, -2, -3, -4));
    assert.deepEqual([...packed.subarray(nt)], [-1, -2, -3, -4]);
    assert.deepEqual([...packed.subarray(0, nt)], [...th]);
    assert.deepEqual([...packZ(base, th).subarray(nt)], [0, 0, 0, 0]);
    assert.equal(packZ({ ...base, trainX0: false }, th, Float64Array.of(1, 2, 3, 4)).length, nt);
    const { theta, x0s } = unpackZ(base, packed);
    assert.deepEqual([...theta], [...th]);
    assert.deepEqual([...x0s], [-1, -2, -3, -4]);
    theta[0] = 99;
    assert.equal(packed[0], 99, 'views, not copies');
    const fixedX0 = Float64Array.of(5, 6, 7, 8);
    assert.equal(unpackZ({ ...base, trainX0: false, fixedX0 }, th).x0s, fixedX0);
    assert.deepEqual([...unpackZ({ ...base, trainX0: false }, th).x0s], [0, 0, 0, 0]);
  });

  it('V by simulation: the loss plus ρ_θ‖θ‖² + ρ_x0‖x0‖²', () => {
    const p: Problem = { ...base, rhoTheta: 0, rhoX0: 0 };
    const v0 = evaluateV(p, z);
    const { theta, x0s } = unpackZ(base, z);
    const st = theta.reduce((s, v) => s + v * v, 0);
    const sx = x0s.reduce((s, v) => s + v * v, 0);
    assertClose([evaluateV(base, z)], [v0 + 0.01 * st + 0.02 * sx], 1e-13, 0, 'V');
  });

  it('checkProblem names a model that does not fit the data, and a wrong fixedX0', () => {
    assert.throws(
      () => checkProblem({ ...base, model: rnnModel({ nx: 2, nu: 2, ny: 1 }) }),
      /^NailsError: the data have nu=1, ny=1 but the model has nu=2, ny=1$/,
    );
    assert.throws(
      () => checkProblem({ ...base, model: rnnModel({ nx: 2, nu: 1, ny: 3 }) }),
      /^NailsError: the data have nu=1, ny=1 but the model has nu=1, ny=3$/,
    );
    assert.throws(
      () => checkProblem({ ...base, trainX0: false, fixedX0: new Float64Array(3) }),
      /^NailsError: fixedX0 has 3 entries, expected experiments × nx = 4$/,
    );
    checkProblem({ ...base, trainX0: false, fixedX0: new Float64Array(4) });
    assert.throws(() => checkProblem({ ...base, rhoTheta: -1 }));
  });
});
