import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment, type Experiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import { prepareFit, runFit, type FitSpec } from '../../src/core/fit-job';
import { linearInitTheta } from '../../src/core/linear/linear-init';
import { simulateLinear, type LinearStateSpace } from '../../src/core/linear/state-space';
import { rnnModel } from '../../src/core/models/model-factory';
import type { StateSpaceNetConfig } from '../../src/core/models/state-space-net';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { unpackZ } from '../../src/core/solver/problem';

/** A stable 2-state system with a static output nonlinearity y = v + 0.3 v², plus 1% noise. */
function data(N: number, seed: number): Experiment {
  const rng = new Random(seed);
  const sys: LinearStateSpace = {
    nx: 2,
    nu: 1,
    ny: 1,
    A: Float64Array.of(0.7, 0.2, -0.3, 0.8),
    B: Float64Array.of(1, 0.5),
    C: Float64Array.of(0.6, -0.4),
    D: Float64Array.of(0),
    feedthrough: false,
  };
  const u = Float64Array.from({ length: N }, () => rng.normal());
  const { y } = simulateLinear(sys, u, N, [0, 0]);
  for (let k = 0; k < N; k++) y[k] = y[k]! + 0.3 * y[k]! ** 2 + 0.01 * rng.normal();
  return makeExperiment({ u, y, nu: 1, ny: 1 });
}

function spec(model: StateSpaceNetConfig, linear: FitSpec['linear'], N = 600): FitSpec {
  return {
    model,
    train: [data(N, 4)],
    loss: { name: 'mse' },
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
    method: 'nailm',
    options: { maxIterations: 15 },
    init: { seed: 1 },
    ...(linear ? { linear } : {}),
  };
}

const withLinear = rnnModel({
  nx: 2,
  nu: 1,
  ny: 1,
  state: { hidden: [6] },
  output: { hidden: [4] },
}).config as StateSpaceNetConfig;
const withoutLinear = rnnModel({
  nx: 2,
  nu: 1,
  ny: 1,
  state: { hidden: [6], linear: false },
  output: { hidden: [4], linear: false },
}).config as StateSpaceNetConfig;

describe('linear initialisation of an rnn (init linear)', () => {
  it("starts at the linear model's simulation and ends no worse than it", () => {
    const s = spec(withLinear, { init: true, required: true });
    const { problem, z0, linear } = prepareFit(s);
    assert.ok(linear?.used && linear.estimate);
    const est = linear.estimate;
    const lin: LinearStateSpace = {
      nx: 2,
      nu: 1,
      ny: 1,
      A: Float64Array.from(est.A),
      B: Float64Array.from(est.B),
      C: Float64Array.from(est.C),
      D: Float64Array.from(est.D),
      feedthrough: false,
    };
    const e = s.train[0]!;
    const { theta, x0s } = unpackZ(problem, z0);
    const ref = simulateLinear(lin, e.u, e.N, est.x0s);
    const gap = (th: Float64Array) => {
      const net = simulate(problem.model, th, e.u, e.N, x0s);
      let d = 0;
      let ss = 0;
      for (let k = 0; k < e.N; k++) {
        d = Math.max(d, Math.abs(net.y[k]! - ref.y[k]!));
        ss += ref.y[k]! ** 2;
      }
      return d / Math.sqrt(ss / e.N);
    };
    // the start: the linear model plus a last MLP layer of ~1 % (relative to the outputs' RMS)
    const g = gap(theta);
    assert.ok(
      g > 0 && g < 0.05,
      `initial simulation differs from the linear model's by ${g} (relative)`,
    );
    // with a zero last layer it is exactly the linear model
    const exact = linearInitTheta(problem.model, lin, new Random(1), 0);
    assert.ok(gap(exact) < 1e-12, `zero last layer: ${gap(exact)}`);
    // the MLPs are not all zero (the hidden layers carry the seeded start)
    assert.ok(problem.model.layout.view(theta, 'state.W1').some((v) => v !== 0));

    const out = runFit(s);
    assert.ok(out.linear?.used);
    assert.ok(
      out.result.value <= est.value,
      `final V ${out.result.value} above the linear model's ${est.value}`,
    );
    // the nonlinearity is real: the net improves on the best linear model clearly
    assert.ok(out.result.value < 0.8 * est.value, `${out.result.value} vs ${est.value}`);
  });

  it('the last MLP layers start at ×0.1, and ×0.1·(1 − ρ(A)) in the state map; A, B, C, D are the linear model', () => {
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [6] },
      output: { hidden: [4] },
    });
    const lin: LinearStateSpace = {
      nx: 2,
      nu: 1,
      ny: 1,
      A: Float64Array.of(0.9, 0, 0, 0.5), // ρ(A) = 0.9
      B: Float64Array.of(1, 0.5),
      C: Float64Array.of(0.6, -0.4),
      D: Float64Array.of(0),
      feedthrough: false,
    };
    const seeded = model.init(new Random(1));
    const theta = linearInitTheta(model, lin, new Random(1));
    const view = (th: Float64Array, name: string) => [...model.layout.view(th, name)];
    for (const name of ['A', 'B', 'C'])
      assert.deepEqual(view(theta, name), [...lin[name as 'A' | 'B' | 'C']]);
    const scaled = (name: string, f: number) => {
      const a = view(theta, name);
      const b = view(seeded, name);
      assert.ok(b.some((v) => v !== 0));
      a.forEach((v, k) => assert.ok(Math.abs(v - f * b[k]!) <= 1e-15, `${name}[${k}]`));
    };
    scaled('output.W2', 0.1);
    scaled('state.W2', 0.1 * (1 - 0.9));
    assert.deepEqual(view(theta, 'state.W1'), view(seeded, 'state.W1'), 'hidden layers seeded');
  });

  it('a fit that ends above the linear model returns the linear model, with its objective value', () => {
    // No iterations: the start carries ρ_θ‖hidden weights‖² on top of the linear model's V.
    const s = {
      ...spec(withLinear, { init: true, required: true }),
      options: { maxIterations: 0 },
    };
    const out = runFit(s);
    const est = out.linear!.estimate!;
    assert.equal(out.linear?.fellBack, true);
    assert.ok(
      Math.abs(out.result.value - est.value) <= 1e-12 * est.value,
      `${out.result.value} vs ${est.value}`,
    );
    assert.match(out.result.message, /the linear model is returned/);
    const { problem } = prepareFit(s);
    assert.ok(problem.model.layout.view(out.result.theta, 'state.W1').every((v) => v === 0));
    // with iterations the fit ends below it and keeps its own parameters
    assert.equal(
      runFit(spec(withLinear, { init: true, required: true })).linear?.fellBack,
      undefined,
    );
  });

  it('a given estimate is used as it is (the starts of a multi-start run share one)', () => {
    const first = prepareFit(spec(withLinear, { init: true, required: true }));
    const estimate = first.linear!.estimate!;
    const again = prepareFit(spec(withLinear, { init: true, required: true, estimate }));
    assert.deepEqual([...again.z0], [...first.z0]);
    assert.equal(again.linear?.estimate, estimate);
    assert.throws(
      () =>
        prepareFit(
          spec(withLinear, { init: true, required: true, estimate: { ...estimate, nx: 3 } }),
        ),
      (e: unknown) =>
        e instanceof NailsError && /does not match the model and data/.test(e.message),
    );
  });

  it('init random keeps the seeded start but still reports the linear baseline', () => {
    const s = spec(withLinear, { init: false, required: false });
    const { problem, z0, linear } = prepareFit(s);
    assert.equal(linear?.used, false);
    assert.match(linear?.note ?? '', /init random/);
    assert.ok(linear?.estimate && linear.estimate.value > 0);
    const seeded = problem.model.init(new Random(1));
    assert.deepEqual([...z0.subarray(0, seeded.length)], [...seeded]);
  });

  it('falls back to a random start, and says so, for a model without linear parts', () => {
    const { linear } = prepareFit(spec(withoutLinear, { init: true, required: false }));
    assert.equal(linear?.used, false);
    assert.match(linear?.note ?? '', /no linear part/);
    assert.throws(
      () => prepareFit(spec(withoutLinear, { init: true, required: true })),
      (e: unknown) =>
        e instanceof NailsError && /init linear: the model has no linear part/.test(e.message),
    );
  });

  it('too little data for the order: a clear error when required, a note otherwise', () => {
    const big = rnnModel({ nx: 30, nu: 1, ny: 1 }).config as StateSpaceNetConfig;
    assert.throws(
      () => prepareFit(spec(big, { init: true, required: true }, 200)),
      (e: unknown) => e instanceof NailsError && /cannot estimate nx = 30 states/.test(e.message),
    );
    const { linear } = prepareFit(spec(big, { init: true, required: false }, 200));
    assert.equal(linear?.used, false);
    assert.match(linear?.note ?? '', /linear stage skipped: .*nx = 30/);
  });
});
