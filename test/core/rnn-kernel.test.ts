/**
 * The state-space net's step derivatives in WebAssembly (kernels/rnn-model.ts, rnn-pass.ts)
 * against the TypeScript model (the oracle) and against finite differences.
 *
 * Tolerance: 1e-12 relative (plus 1e-14 absolute for entries that cancel to near zero). The two
 * paths do the same arithmetic in the same order; they differ only where AssemblyScript's libm and
 * V8's Math disagree in the last bit of tanh, atan, exp, expm1, log1p, sin and cos.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { makeLoss, type LossConfig } from '../../src/core/losses';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/core/models/activations';
import { allocJacobians, type Model, type StepJacobians } from '../../src/core/models/model';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { Cancelled } from '../../src/core/solver/cancellation';
import {
  accumulateGaussNewton,
  denseMatrix,
  GaussNewtonWorkspace,
  gradientVector,
} from '../../src/core/solver/gauss-newton';
import { nailm } from '../../src/core/solver/nailm';
import { nails } from '../../src/core/solver/nails';
import { evaluateV, packZ, type Problem } from '../../src/core/solver/problem';
import { simulationKernel } from '../../src/core/solver/simulation-kernel';
import { simulateLossKernel } from '../../src/core/solver/rnn-simulate-loss';
import { simulateLoss, type SimulatedLoss } from '../../src/core/simulate-loss';
import { admm } from '../../src/core/admm/admm';
import { assertClose, finiteDifferenceJacobian } from '../helpers';
import { countSteps, customModel, experiments, identityRnn, problem } from './rnn-fixtures';

const RTOL = 1e-12;
const ATOL = 1e-14;

/** Random models covering every activation, the linear parts on and off, feedthrough, φ. */
function models(): [string, Model][] {
  const out: [string, Model][] = [];
  ACTIVATION_NAMES.forEach((act: ActivationName, i) => {
    out.push([
      `rnn ${act}, nx 3, hidden [5]/[4], linear`,
      rnnModel({
        nx: 3,
        nu: 2,
        ny: 2,
        state: { hidden: [5], activation: act },
        output: { hidden: [4], activation: act },
      }),
    ]);
    out.push([
      `rnn ${act}, nx ${1 + (i % 4)}, two hidden layers, no linear parts, feedthrough${i % 2 ? ', sigmoid output' : ''}`,
      rnnModel({
        nx: 1 + (i % 4),
        nu: 1 + (i % 2),
        ny: 1 + ((i + 1) % 2),
        state: { hidden: [4, 3], activation: act, linear: false },
        output: {
          hidden: [3, 2],
          activation: act,
          linear: false,
          feedthrough: true,
          final: i % 2 ? 'sigmoid' : 'identity',
        },
      }),
    ]);
  });
  // One output and nx a multiple of 3: the recursion three rows at a time (sensitivity.ts's
  // threeRows, threeRowsAndJ), with odd column counts.
  out.push([
    'rnn tanh, nx 3, one output (the last three rows with J)',
    rnnModel({ nx: 3, nu: 1, ny: 1, state: { hidden: [5] }, output: { hidden: [3] } }),
  ]);
  out.push([
    'rnn elu, nx 9, one output (three rows, then three with J)',
    rnnModel({
      nx: 9,
      nu: 2,
      ny: 1,
      state: { hidden: [4], activation: 'elu' },
      output: { hidden: [2], activation: 'elu' },
    }),
  ]);
  out.push([
    'scaling problem (nx 6, hidden [12])',
    rnnModel({ nx: 6, nu: 1, ny: 1, state: { hidden: [12] }, output: { hidden: [12] } }),
  ]);
  out.push(['linear, feedthrough', linearModel({ nx: 4, nu: 2, ny: 3, feedthrough: true })]);
  out.push([
    'feedforward (nx 0), linear + sigmoid',
    feedforwardModel({
      nu: 3,
      ny: 2,
      hidden: [6],
      activation: 'swish',
      linear: true,
      final: 'sigmoid',
    }),
  ]);
  out.push([
    'rnn, output linear only',
    rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [3], activation: 'elu' },
      output: { hidden: [] },
    }),
  ]);
  return out;
}

/** θ away from the initialisation (so that every block is non-zero). */
function perturbed(model: Model, rng: Random, scale = 0.3): Float64Array {
  const th = model.init(rng);
  for (let i = 0; i < th.length; i++) th[i] = th[i]! + scale * rng.normal();
  return th;
}

describe('step derivatives: WebAssembly against the TypeScript model', () => {
  for (const [name, model] of models()) {
    it(name, () => {
      const rng = new Random(21);
      const p = problem(model, experiments(rng, [4], model.nu, model.ny), { name: 'mse' });
      const ws = new GaussNewtonWorkspace(p, 8, undefined, 'wasm');
      assert.ok(ws.rnn, 'the WebAssembly derivatives serve this model');
      const ts = allocJacobians(model);
      const wa = allocJacobians(model);
      for (let trial = 0; trial < 5; trial++) {
        const theta = perturbed(model, rng);
        const x = rng.fillNormal(new Float64Array(model.nx), 1.5);
        const u = rng.fillNormal(new Float64Array(model.nu + 3), 2);
        model.jacobians(theta, x, u, 3, ts);
        ws.rnn.jacobians(theta, x, u, 3, wa);
        for (const key of Object.keys(ts) as (keyof StepJacobians)[])
          assertClose(wa[key], ts[key], RTOL, ATOL, `${key} (trial ${trial})`);
      }
    });
  }

  it('a custom (equation) model keeps the TypeScript path', () => {
    const model = customModel();
    const rng = new Random(1);
    const p = problem(model, experiments(rng, [20], 1, 1), { name: 'mse' });
    const ws = new GaussNewtonWorkspace(p, 8, undefined, 'wasm');
    assert.equal(ws.rnn, null);
    const sys = accumulateGaussNewton(p, packZ(p, model.init(rng), new Float64Array(1)), {}, ws);
    assert.ok(sys.finite);
  });
});

/** The Gauss–Newton system by both engines at the same z. */
function bothPasses(p: Problem, z: Float64Array, chunk: number) {
  const wsW = new GaussNewtonWorkspace(p, chunk, undefined, 'wasm');
  const wsT = new GaussNewtonWorkspace(p, chunk, undefined, 'typescript');
  assert.ok(wsW.rnn);
  assert.equal(wsT.rnn, null);
  return [
    accumulateGaussNewton(p, z, { chunk }, wsW),
    accumulateGaussNewton(p, z, { chunk }, wsT),
  ] as const;
}

describe('the Gauss–Newton pass with WebAssembly derivatives', () => {
  const losses: LossConfig[] = [{ name: 'mse' }, { name: 'pseudo_huber', delta: 0.5 }];
  for (const [name, model] of models()) {
    it(`loss, ∇V and M equal the TypeScript-derivative pass: ${name}`, () => {
      const rng = new Random(5);
      const binary = model.config.kind !== 'custom' && model.config.output.final === 'sigmoid';
      const loss = binary ? { name: 'cross_entropy' as const } : losses[model.nTheta % 2]!;
      const p = problem(model, experiments(rng, [300, 77], model.nu, model.ny, binary), loss);
      const z = packZ(p, perturbed(model, rng), rng.fillNormal(new Float64Array(2 * model.nx)));
      const [a, b] = bothPasses(p, z, 64);
      assert.ok(a.finite && b.finite);
      assertClose([a.value], [b.value], RTOL, 0, 'V');
      assertClose(gradientVector(a), gradientVector(b), RTOL, ATOL, '∇V');
      assertClose(denseMatrix(a), denseMatrix(b), RTOL, ATOL, 'M');
    });
  }

  it('fixed initial states, several chunk sizes (1, 7, 512) and a chunk longer than the record', () => {
    const rng = new Random(8);
    const model = rnnModel({
      nx: 4,
      nu: 2,
      ny: 2,
      state: { hidden: [6] },
      output: { hidden: [5] },
    });
    const p = problem(model, experiments(rng, [600, 5], 2, 2), { name: 'mse' }, false);
    const z = packZ(p, perturbed(model, rng));
    for (const chunk of [1, 7, 512, 4096]) {
      const [a, b] = bothPasses(p, z, chunk);
      assertClose([a.value], [b.value], RTOL, 0, `V, chunk ${chunk}`);
      assertClose(gradientVector(a), gradientVector(b), RTOL, ATOL, `∇V, chunk ${chunk}`);
      assertClose(denseMatrix(a), denseMatrix(b), RTOL, ATOL, `M, chunk ${chunk}`);
    }
  });

  it('∇V and M against finite differences (central, of V and of ŷ)', () => {
    const rng = new Random(17);
    const model = rnnModel({
      nx: 3,
      nu: 2,
      ny: 2,
      state: { hidden: [4], activation: 'swish' },
      output: { hidden: [3], activation: 'atan', feedthrough: true },
    });
    const p = problem(model, experiments(rng, [23, 31], 2, 2), { name: 'mse' });
    const z = packZ(p, perturbed(model, rng, 0.1), rng.fillNormal(new Float64Array(6), 0.3));
    const ws = new GaussNewtonWorkspace(p, 7, undefined, 'wasm');
    assert.ok(ws.rnn);
    const sys = accumulateGaussNewton(p, z, { chunk: 7 }, ws);
    assertClose([sys.value], [evaluateV(p, z)], 1e-13, 0, 'V');
    const gFd = finiteDifferenceJacobian((zz) => Float64Array.of(evaluateV(p, zz)), z);
    assertClose(gradientVector(sys), gFd, 1e-5, 1e-8, '∇V');
    // M = (1/N) Σ J_kᵀ H_k J_k + 2ρ I with J by central differences of ŷ and H from the loss.
    const yhat = (zz: Float64Array) => {
      const out: number[] = [];
      const th = zz.subarray(0, model.nTheta);
      const xn = new Float64Array(model.nx);
      const y = new Float64Array(model.ny);
      p.experiments.forEach((e, j) => {
        const x = Float64Array.from(zz.subarray(model.nTheta + j * 3, model.nTheta + j * 3 + 3));
        for (let k = 0; k < e.N; k++) {
          model.step(th, x, e.u, k * e.nu, xn, y, 0);
          out.push(...y);
          x.set(xn);
        }
      });
      return Float64Array.from(out);
    };
    const J = finiteDifferenceJacobian(yhat, z);
    const nz = z.length;
    const h = new Float64Array(2);
    const g = new Float64Array(2);
    const yh = yhat(z);
    const yAll = Float64Array.from(p.experiments.flatMap((e) => [...e.y]));
    const N = yh.length / 2;
    const Mfd = new Float64Array(nz * nz);
    for (let k = 0; k < N; k++) {
      p.loss.evaluate(yAll, k * 2, yh, k * 2, 2, g, h);
      for (let r = 0; r < 2; r++) {
        const row = (k * 2 + r) * nz;
        for (let a = 0; a < nz; a++)
          for (let b = 0; b < nz; b++)
            Mfd[a * nz + b] = Mfd[a * nz + b]! + (h[r]! * J[row + a]! * J[row + b]!) / N;
      }
    }
    for (let a = 0; a < nz; a++)
      Mfd[a * nz + a] = Mfd[a * nz + a]! + 2 * (a < model.nTheta ? p.rhoTheta : p.rhoX0);
    const scale = Mfd.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    assertClose(denseMatrix(sys), Mfd, 1e-5, 1e-7 * scale, 'M');
  });

  it('a diverging simulation ends as not finite in both engines', () => {
    const rng = new Random(3);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [3] },
      output: { hidden: [3] },
    });
    const p = problem(model, experiments(rng, [400], 1, 1), { name: 'mse' });
    const theta = model.init(rng);
    const A = model.layout.view(theta, 'A');
    A.set([3, 0, 0, 3]);
    const z = packZ(p, theta, Float64Array.of(1, 1));
    const [a, b] = bothPasses(p, z, 64);
    assert.equal(a.finite, false);
    assert.equal(b.finite, false);
  });

  it('cancel stops the WebAssembly pass between chunks', () => {
    const rng = new Random(4);
    const model = rnnModel({ nx: 2, nu: 1, ny: 1 });
    const p = problem(model, experiments(rng, [1000], 1, 1), { name: 'mse' });
    const z = packZ(p, model.init(rng), new Float64Array(2));
    let calls = 0;
    assert.throws(
      () =>
        accumulateGaussNewton(p, z, {
          chunk: 64,
          derivatives: 'wasm',
          shouldStop: () => ++calls > 2,
        }),
      Cancelled,
    );
    assert.equal(calls, 3);
  });

  it('NAILM from the same start: the same history with either engine (60 iterations)', () => {
    const rng = new Random(11);
    const model = rnnModel({
      nx: 3,
      nu: 1,
      ny: 1,
      state: { hidden: [5], activation: 'sigmoid' },
      output: { hidden: [5], activation: 'sigmoid' },
    });
    const u = rng.fillNormal(new Float64Array(2000));
    const y = new Float64Array(2000);
    for (let k = 1; k < 2000; k++)
      y[k] = Math.tanh(0.6 * y[k - 1]! + u[k - 1]!) + 0.01 * rng.normal();
    const p = problem(model, [makeExperiment({ name: 'e', u, nu: 1, y, ny: 1 })], { name: 'mse' });
    const z0 = packZ(p, model.init(rng), new Float64Array(3));
    const a = nailm(p, z0, { maxIterations: 60, derivatives: 'wasm' });
    const b = nailm(p, z0, { maxIterations: 60, derivatives: 'typescript' });
    assert.equal(a.history.length, b.history.length);
    a.history.forEach((h, i) => {
      assert.equal(h.accepted, b.history[i]!.accepted, `accepted at ${i}`);
      assertClose([h.value], [b.history[i]!.value], 1e-9, 0, `V at iteration ${i}`);
    });
    assert.ok(a.value < a.initialValue);
  });
});

describe('V at a trial point with the simulation in WebAssembly (rnn-simulate-loss.ts)', () => {
  for (const [name, model] of models()) {
    it(`the TypeScript simulation's V (to the last bit where libm agrees): ${name}`, () => {
      const rng = new Random(9);
      const binary = model.config.kind !== 'custom' && model.config.output.final === 'sigmoid';
      const loss = binary ? { name: 'cross_entropy' as const } : { name: 'mse' as const };
      // Three records, one shorter than a block and one spanning several blocks of 64.
      const p = problem(model, experiments(rng, [300, 17, 129], model.nu, model.ny, binary), loss);
      const ws = new GaussNewtonWorkspace(p, 64, undefined, 'wasm');
      assert.ok(ws.rnn);
      // No transcendental function on the path: the same operations in the same order.
      const exact =
        model.config.kind !== 'custom' &&
        (model.config.state.hidden.length === 0 || model.config.state.activation === 'identity') &&
        (model.config.output.hidden.length === 0 ||
          model.config.output.activation === 'identity') &&
        (model.config.output.final ?? 'identity') === 'identity';
      for (let trial = 0; trial < 3; trial++) {
        const z = packZ(
          p,
          perturbed(model, rng, 0.1),
          rng.fillNormal(new Float64Array(3 * model.nx), 0.3),
        );
        const v = evaluateV(p, z, undefined, ws.rnn);
        assert.ok(Number.isFinite(v));
        if (exact)
          assert.equal(v, evaluateV(p, z, undefined, null), 'V of the TypeScript simulation');
        else
          assertClose(
            [v],
            [evaluateV(p, z, undefined, null)],
            1e-13,
            0,
            'V of the TypeScript simulation',
          );
        // The pass sums per record, then the records: the same value to rounding.
        assertClose([v], [accumulateGaussNewton(p, z, { chunk: 64 }, ws).value], 1e-13, 0, 'pass');
      }
    });
  }

  it('multiple shooting: the continuity terms see the same end states', () => {
    const rng = new Random(12);
    const model = rnnModel({
      nx: 3,
      nu: 1,
      ny: 1,
      state: { hidden: [4] },
      output: { hidden: [4] },
    });
    const p: Problem = {
      ...problem(model, experiments(rng, [90, 90, 90], 1, 1), { name: 'mse' }),
      shooting: { continues: Uint8Array.of(0, 1, 1), weight: 3 },
    };
    const ws = new GaussNewtonWorkspace(p, 32, undefined, 'wasm');
    const z = packZ(p, perturbed(model, rng), rng.fillNormal(new Float64Array(9)));
    const v = evaluateV(p, z, undefined, ws.rnn);
    assert.equal(v, accumulateGaussNewton(p, z, { chunk: 32 }, ws).value);
    assertClose([v], [evaluateV(p, z, undefined, null)], 1e-13, 0, 'V');
    // Moving one shooting state changes V only through its continuity term and its window.
    z[model.nTheta + 3] = z[model.nTheta + 3]! + 0.5;
    assertClose(
      [evaluateV(p, z, undefined, ws.rnn)],
      [evaluateV(p, z, undefined, null)],
      1e-13,
      0,
      'V moved',
    );
  });

  it('a diverging simulation is +∞, and a cancel stops between blocks', () => {
    const rng = new Random(3);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [3] },
      output: { hidden: [3] },
    });
    const p = problem(model, experiments(rng, [400], 1, 1), { name: 'mse' });
    const ws = new GaussNewtonWorkspace(p, 64, undefined, 'wasm');
    const theta = model.init(rng);
    const z0 = packZ(p, theta, Float64Array.of(0.1, -0.2));
    assert.ok(Number.isFinite(evaluateV(p, z0, undefined, ws.rnn)));
    let calls = 0;
    assert.throws(() => evaluateV(p, z0, () => ++calls > 2, ws.rnn), Cancelled);
    assert.equal(calls, 3);
    model.layout.view(theta, 'A').set([3, 0, 0, 3]);
    const z = packZ(p, theta, Float64Array.of(1, 1));
    assert.equal(evaluateV(p, z, undefined, ws.rnn), Infinity);
    assert.equal(evaluateV(p, z, undefined, null), Infinity);
  });

  it('the searches take their trial points through it: NAILS and NAILM count no TypeScript step', () => {
    const rng = new Random(6);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [4] },
      output: { hidden: [4] },
    });
    const p = problem(model, experiments(rng, [500], 1, 1), { name: 'mse' });
    const z0 = packZ(p, model.init(rng), new Float64Array(2));
    const steps = countSteps(model);
    const a = nailm(p, z0, { maxIterations: 5, derivatives: 'wasm' });
    const b = nails(p, z0, { maxIterations: 5, derivatives: 'wasm' });
    assert.ok(a.simulations > 0 && b.simulations > 0);
    assert.equal(steps(), 0, 'TypeScript model steps during the searches');
    nailm(p, z0, { maxIterations: 2, derivatives: 'typescript' });
    assert.ok(steps() > 0, 'the TypeScript engine still simulates in TypeScript');
  });
});

describe('simulateLossKernel against simulateLoss where the simulation stops', () => {
  // Identity activations: no transcendental function, so the two must agree to the bit.
  const model = identityRnn();
  const theta = new Float64Array(model.nTheta);
  const rng = new Random(15);
  const [e0, e1] = experiments(rng, [200, 50], 1, 1);
  const ws = new GaussNewtonWorkspace(
    problem(model, [e0!, e1!], { name: 'mse' }),
    64,
    undefined,
    'wasm',
  );
  const both = (x0: number, growth: number, c: number) => {
    theta.fill(0);
    model.layout.view(theta, 'A').set([growth]);
    model.layout.view(theta, 'C').set([c]);
    const x0s = Float64Array.of(x0, 0.5);
    const loss = makeLoss({ name: 'mse' });
    return [
      simulateLossKernel(ws.rnn!, theta, [e0!, e1!], x0s, loss),
      simulateLoss(model, theta, [e0!, e1!], x0s, loss),
    ] as const;
  };
  const same = (a: SimulatedLoss, b: SimulatedLoss) => {
    assert.equal(a.finite, b.finite);
    assert.equal(a.sum, b.sum);
    assert.equal(a.xEnd.length, b.xEnd.length);
    a.xEnd.forEach((x, j) => assert.deepEqual([...x], [...b.xEnd[j]!]));
  };
  // x_k = 2^k · x0 (u enters through B = 0): x0 = 2^(1023 − k0) overflows at x_{k0+1}.
  for (const k0 of [0, 62, 63, 64, 127, 199]) {
    it(`the state overflows at x_${k0 + 1} (block of 64: ${k0 % 64 === 63 ? 'the last sample of a block' : k0 % 64 === 0 ? 'the first sample of a block' : 'inside a block'})`, () => {
      const [a, b] = both(2 ** (1023 - k0), 2, 1e-300);
      assert.equal(b.finite, false);
      same(a, b);
    });
  }
  it('the output overflows while the state stays finite', () => {
    // x stays 4 (A = 1), ŷ = C x = 1.7e308 · 4 = ∞ at the first sample.
    const [a, b] = both(4, 1, 1.7e308);
    assert.equal(b.finite, false);
    same(a, b);
  });
  it('a finite run: the same sum and end states', () => {
    const [a, b] = both(0.3, 0.9, 0.7);
    assert.equal(b.finite, true);
    same(a, b);
  });
});

describe("V outside a search: the model's simulation kernel (simulation-kernel.ts)", () => {
  it('evaluateV without a kernel simulates in WebAssembly, with null in TypeScript', () => {
    const rng = new Random(13);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [6] },
      output: { hidden: [3] },
    });
    const p = problem(model, experiments(rng, [700, 40], 1, 1), { name: 'mse' });
    const z = packZ(p, perturbed(model, rng, 0.1), rng.fillNormal(new Float64Array(4), 0.3));
    assert.ok(simulationKernel(model));
    assert.equal(simulationKernel(model), simulationKernel(model), 'one kernel per model');
    const steps = countSteps(model);
    const ws = new GaussNewtonWorkspace(p, 64, undefined, 'wasm');
    const v = evaluateV(p, z);
    assert.equal(steps(), 0);
    assert.equal(v, evaluateV(p, z, undefined, ws.rnn), 'the same kernels as a search');
    assertClose([v], [evaluateV(p, z, undefined, null)], 1e-13, 0, 'the TypeScript model');
    assert.equal(steps(), 740);
  });

  it('a custom (equation) model has none: the TypeScript model simulates', () => {
    const model = customModel();
    assert.equal(simulationKernel(model), null);
  });

  it('an ADMM fit (ℓ1, polishing) and NAILS take every value in WebAssembly: no TypeScript step', () => {
    const rng = new Random(14);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [4] },
      output: { hidden: [4] },
    });
    const p = problem(model, experiments(rng, [300], 1, 1), { name: 'mse' });
    const z0 = packZ(p, model.init(rng), new Float64Array(2));
    const steps = countSteps(model);
    const r = admm(p, z0, [{ kind: 'l1', tau: 1e-3 }], {
      method: 'nailm',
      rho: 0.5,
      iterations: 6,
      inner: 2,
    });
    assert.ok(r.polished && Number.isFinite(r.polished.value));
    nails(p, z0, { maxIterations: 4 });
    assert.equal(steps(), 0);
  });
});

/** |a − b| in units in the last place (a, b finite, same sign or zero). */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const i = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = i[0]! - i[1]!;
  return Number(d < 0n ? -d : d);
}

/** (hidden units, the unit W₂ picks): both lanes of a SIMD pair, and one unit alone. */
const LANES = [
  [2, 0],
  [2, 1],
  [1, 0],
] as const;

/** 4,000 points from −1,490 to 1,490 (sinh of an even grid on ±8), denser near 0. */
const SINH_SWEEP = Array.from({ length: 4000 }, (_, i) => Math.sinh((i - 2000) / 250));

/**
 * The kernel's step of ŷ = W₂ σ(W₁ u) with one hidden layer of `hidden` units (1 or 2),
 * W₁ = (1, −1) so that z = (u, −u), and W₂ picking unit `pick`: lane 0 or lane 1 of a SIMD pair,
 * or lane 0 alone (the odd-unit path). Returns u ↦ the step's Jacobians (ŷ in y, ∂ŷ/∂u in gu).
 */
function unitProbe(
  activation: 'tanh' | 'elu',
  hidden: 1 | 2,
  pick: 0 | 1,
): (u: number) => StepJacobians {
  const m = feedforwardModel({ nu: 1, ny: 1, hidden: [hidden], activation, linear: false });
  const p = problem(m, experiments(new Random(1), [4], 1, 1), { name: 'mse' });
  const ws = new GaussNewtonWorkspace(p, 8, undefined, 'wasm');
  assert.ok(ws.rnn);
  const theta = new Float64Array(m.nTheta);
  m.layout.view(theta, 'output.W1').set(hidden === 2 ? [1, -1] : [1]);
  m.layout.view(theta, 'output.W2').set(hidden === 2 ? (pick ? [0, 1] : [1, 0]) : [1]);
  const jac = allocJacobians(m);
  return (u) => {
    ws.rnn!.jacobians(theta, new Float64Array(0), Float64Array.of(u), 0, jac);
    return jac;
  };
}

describe("the kernels' tanh (kernels/tanh.ts) against V8's Math.tanh", () => {
  // ŷ = σ(u) through one hidden layer of two units, z = (u, −u): lane 0 and lane 1 of a SIMD
  // pair (W_2 picks one), and lane 0 alone (one unit: the odd-unit path).
  const inputs = [
    0, -0, 5e-324, 1e-300, 1e-160, 1e-20, 1e-9, 3e-6, 1e-3, 0.1, 0.17, 0.2, 0.3465, 0.3466,
  ]
    .concat([0.5, 0.55, 0.7, 1, 1.5, 2, 3.7, 5, 8, 12.3, 17.5, 18.7, 19.06, 20, 22, 40, 1e3, 1e300])
    .concat(SINH_SWEEP);
  for (const [hidden, pick] of LANES) {
    it(`within 2 ulp everywhere, odd, ±∞ and NaN kept: ${hidden} unit(s), lane ${pick}`, () => {
      const probe = unitProbe('tanh', hidden, pick);
      const tanhOf = (v: number) => {
        const jac = probe(v);
        return pick ? -jac.y[0]! : jac.y[0]!;
      };
      let worst = 0;
      for (const v of inputs)
        for (const s of [v, -v]) {
          const got = tanhOf(s);
          const want = Math.tanh(s);
          // (±0 both read 0: the bias adds +0 to the unit's value.)
          assert.equal(Math.sign(got) || 0, Math.sign(want) || 0, `sign at ${s}`);
          worst = Math.max(worst, ulps(got, want));
          assert.ok(ulps(got, want) <= 2, `tanh(${s}) = ${got}, V8 ${want}`);
        }
      assert.ok(worst <= 2);
      assert.equal(tanhOf(Infinity), 1);
      assert.equal(tanhOf(-Infinity), -1);
      assert.ok(Number.isNaN(tanhOf(NaN)));
    });
  }
});

describe("the kernels' ELU (libm's exp and expm1, kernels/rnn-model.ts) against V8's", () => {
  // ŷ = σ(±u) through one hidden layer, z = (u, −u), as for tanh above; ∂ŷ/∂u = ±σ'(±u) (the
  // other unit's term is an exact zero).
  const inputs = [
    0, 5e-324, 1e-300, 1e-160, 1e-20, 1e-9, 3e-6, 1e-3, 0.1, 0.17, 0.2, 0.3465, 0.3466, 0.5,
  ]
    .concat([0.55, 0.69, 0.6931471805599452, Math.LN2, 0.6931471805599454, 0.7, 0.75, 1, 1.5, 2])
    .concat([3.7, 5, 8, 12.3, 20, 37, 40, 100, 700, 707.9, 708, 745, 746, 1e3])
    .concat(SINH_SWEEP);
  for (const [hidden, pick] of LANES) {
    it(`σ and σ' within 2 ulp, NaN kept: ${hidden} unit(s), lane ${pick}`, () => {
      const probe = unitProbe('elu', hidden, pick);
      const eluOf = (v: number) => {
        const jac = probe(pick ? -v : v);
        return { f: jac.y[0]!, df: pick ? -jac.gu[0]! : jac.gu[0]! };
      };
      let worst = 0;
      let exact = 0;
      for (const v of inputs)
        for (const s of [v, -v]) {
          const got = eluOf(s);
          const f = s > 0 ? s : Math.expm1(s);
          const df = s > 0 ? 1 : Math.exp(s);
          assert.ok(ulps(got.f, f) <= 2, `σ(${s}) = ${got.f}, V8 ${f}`);
          worst = Math.max(worst, ulps(got.f, f));
          if (got.f === f) exact++;
          assert.ok(ulps(got.df, df) <= 2, `σ'(${s}) = ${got.df}, V8 ${df}`);
        }
      assert.ok(worst <= 2);
      assert.ok(exact > inputs.length, `most values exact (${exact} of ${2 * inputs.length})`);
      if (hidden === 1) {
        // (With two units the other one's ∞ times its zero weight is NaN: one unit only.)
        assert.deepEqual(eluOf(-Infinity), { f: -1, df: 0 });
        assert.deepEqual(eluOf(Infinity), { f: Infinity, df: 1 });
      }
      const nan = eluOf(NaN);
      assert.ok(Number.isNaN(nan.f) && Number.isNaN(nan.df));
    });
  }
});
