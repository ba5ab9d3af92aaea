/**
 * The ONNX export (src/core/export/onnx-model.ts) runs in onnxruntime and simulates like the
 * project's own simulation (src/core/simulate.ts): for small seeded models of every kind the C
 * header supports — each activation, with and without feedthrough and linear parts, nx > 0 and
 * nx = 0, custom equations — driven by a multisine of N = 500 samples with offsets and scales far
 * from 0 and 1, max |ŷ_onnx − ŷ| / σ_y ≤ 1e-5 per output (float32 against float64).
 * The models are seeded and contracting (as trained models are): a simulation that amplifies
 * perturbations would amplify float32 rounding too, and no float32 export could match it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Scaling } from '../../src/core/data/scaling';
import { modelToOnnx } from '../../src/core/export/onnx-model';
import { ACTIVATION_NAMES } from '../../src/core/models/activations';
import { CustomModel } from '../../src/core/models/custom-model';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import type { Model } from '../../src/core/models/model';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';

const N = 500;

/** u: N × nu, a multisine per channel around an offset, in engineering units. */
function multisine(nu: number, scaling: Scaling, seed: number): Float64Array {
  const rng = new Random(seed);
  const u = new Float64Array(N * nu);
  for (let c = 0; c < nu; c++) {
    const phases = Array.from({ length: 8 }, () => 2 * Math.PI * rng.uniform());
    for (let k = 0; k < N; k++) {
      let s = 0;
      for (let h = 0; h < 8; h++) s += Math.sin((2 * Math.PI * (h + 1) * 3 * k) / N + phases[h]!);
      u[k * nu + c] = scaling.uMean[c]! + (scaling.uStd[c]! * s) / 2;
    }
  }
  return u;
}

function scalingFor(nu: number, ny: number): Scaling {
  return {
    uMean: Array.from({ length: nu }, (_, c) => 2.5 - 3 * c),
    uStd: Array.from({ length: nu }, (_, c) => 0.7 + c),
    yMean: Array.from({ length: ny }, (_, r) => 10 + 5 * r),
    yStd: Array.from({ length: ny }, (_, r) => 3 - r),
  };
}

/** Runs the export in onnxruntime and the project's simulation; returns max |Δy| / σ_y and max |Δx_end|. */
async function compare(
  model: Model,
  theta: Float64Array,
  seed: number,
): Promise<{ dy: number; dx: number }> {
  const { nx, nu, ny } = model;
  const scaling = scalingFor(nu, ny);
  // The same float32 inputs for both (the export's inputs are float32).
  const u = Float64Array.from(Float32Array.from(multisine(nu, scaling, seed)));
  const rng = new Random(seed + 100);
  const x0 = Float64Array.from(Float32Array.from({ length: nx }, () => 0.5 * rng.normal()));
  const us = u.map((v, i) => (v - scaling.uMean[i % nu]!) / scaling.uStd[i % nu]!);
  const ref = simulate(model, theta, us, N, x0);
  assert.ok(ref.finite);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'nails-onnx-')), 'model.onnx');
  writeFileSync(file, modelToOnnx({ model, theta, scaling, name: 'test' }));
  const session = await InferenceSession.create(file);
  const feeds: Record<string, Tensor> = {
    u: new Tensor('float32', Float32Array.from(u), [N, nu]),
  };
  if (nx > 0) feeds.x0 = new Tensor('float32', Float32Array.from(x0), [nx]);
  const out = await session.run(feeds);
  const y = out.y!;
  assert.deepEqual(y.dims, [N, ny]);
  let dy = 0;
  for (let k = 0; k < N; k++)
    for (let r = 0; r < ny; r++) {
      const yRef = ref.y[k * ny + r]! * scaling.yStd[r]! + scaling.yMean[r]!;
      const d = Math.abs((y.data as Float32Array)[k * ny + r]! - yRef) / scaling.yStd[r]!;
      dy = Math.max(dy, d);
    }
  let dx = 0;
  if (nx > 0) {
    const xe = out.x_end!;
    assert.deepEqual(xe.dims, [nx]);
    for (let i = 0; i < nx; i++)
      dx = Math.max(dx, Math.abs((xe.data as Float32Array)[i]! - ref.xEnd[i]!));
  } else assert.equal(out.x_end, undefined);
  await session.release();
  return { dy, dx };
}

/** Seeded θ: the model's own initialisation, perturbed so that the nonlinear parts matter. */
function thetaFor(model: Model, seed: number, spread = 0.3): Float64Array {
  const rng = new Random(seed);
  const theta = model.init(rng);
  for (const b of model.layout.blocks)
    if (b.name !== 'A')
      for (let k = 0; k < b.size; k++) theta[b.offset + k]! += spread * rng.normal();
  return theta;
}

const measured: Record<string, number> = {};

async function check(name: string, model: Model, seed: number, spread = 0.3): Promise<void> {
  const { dy, dx } = await compare(model, thetaFor(model, seed, spread), seed);
  measured[name] = dy;
  assert.ok(dy <= 1e-5, `${name}: max |Δy| / σ_y = ${dy}`);
  assert.ok(dx <= 1e-4, `${name}: max |Δx_end| = ${dx}`);
}

describe('ONNX export simulates like the project (onnxruntime-node, N = 500)', () => {
  for (const [i, act] of ACTIVATION_NAMES.entries())
    it(`rnn, ${act} activation, linear parts, no feedthrough`, () =>
      check(
        `rnn ${act}`,
        rnnModel({
          nx: 3,
          nu: 2,
          ny: 2,
          state: { hidden: [6, 5], activation: act },
          output: { hidden: [4], activation: act },
        }),
        i + 1,
        // A linear MLP adds to A: keep the whole state map contracting.
        act === 'identity' ? 0.05 : 0.3,
      ));

  it('rnn with feedthrough (D and the output MLP read u)', () =>
    check(
      'rnn feedthrough',
      rnnModel({ nx: 2, nu: 2, ny: 1, output: { feedthrough: true, activation: 'swish' } }),
      11,
    ));

  it('rnn without linear parts, with feedthrough, sigmoid final output', () =>
    check(
      'rnn no linear',
      rnnModel({
        nx: 2,
        nu: 1,
        ny: 1,
        state: { linear: false, activation: 'elu' },
        output: { linear: false, feedthrough: true, final: 'sigmoid', activation: 'softplus' },
      }),
      12,
      0.1,
    ));

  it('rnn with linear parts only in the state map', () =>
    check(
      'rnn mixed linear',
      rnnModel({
        nx: 3,
        nu: 1,
        ny: 2,
        state: { linear: true, hidden: [] },
        output: { linear: false, activation: 'atan' },
      }),
      13,
    ));

  it('linear state space, with and without feedthrough', async () => {
    await check('linear', linearModel({ nx: 4, nu: 2, ny: 2 }), 14);
    await check('linear feedthrough', linearModel({ nx: 4, nu: 2, ny: 2, feedthrough: true }), 15);
  });

  it('feedforward (nx = 0): no x0 input, no x_end output', async () => {
    await check(
      'feedforward',
      feedforwardModel({ nu: 3, ny: 2, hidden: [8, 4], activation: 'tanh' }),
      16,
    );
    await check(
      'feedforward linear sigmoid',
      feedforwardModel({ nu: 2, ny: 1, hidden: [5], linear: true, final: 'sigmoid' }),
      17,
    );
  });

  it('custom equations (every operator and function)', () =>
    check(
      'custom',
      new CustomModel({
        kind: 'custom',
        nx: 2,
        nu: 1,
        ny: 1,
        parameters: [
          { name: 'a', init: 0.8 },
          { name: 'b', init: 0.3 },
          { name: 'c', init: 1.5 },
        ],
        // x1⁺ = a x1 + b tanh(x2) − sin(u1)/c,  x2⁺ = 0.5 x2 + exp(−x1²) · sigmoid(u1) − cos(x1)^2/(2 + sqrt(1 + x2²))
        state: [
          {
            k: 'sub',
            a: {
              k: 'add',
              a: { k: 'mul', a: { k: 'p', i: 0 }, b: { k: 'x', i: 0 } },
              b: {
                k: 'mul',
                a: { k: 'p', i: 1 },
                b: { k: 'call', f: 'tanh', a: { k: 'x', i: 1 } },
              },
            },
            b: { k: 'div', a: { k: 'call', f: 'sin', a: { k: 'u', i: 0 } }, b: { k: 'p', i: 2 } },
          },
          {
            k: 'sub',
            a: {
              k: 'add',
              a: { k: 'mul', a: { k: 'num', v: 0.5 }, b: { k: 'x', i: 1 } },
              b: {
                k: 'mul',
                a: {
                  k: 'call',
                  f: 'exp',
                  a: { k: 'neg', a: { k: 'pow', a: { k: 'x', i: 0 }, b: { k: 'num', v: 2 } } },
                },
                b: { k: 'call', f: 'sigmoid', a: { k: 'u', i: 0 } },
              },
            },
            b: {
              k: 'div',
              a: {
                k: 'pow',
                a: { k: 'call', f: 'cos', a: { k: 'x', i: 0 } },
                b: { k: 'num', v: 2 },
              },
              b: {
                k: 'add',
                a: { k: 'num', v: 2 },
                b: {
                  k: 'call',
                  f: 'sqrt',
                  a: {
                    k: 'add',
                    a: { k: 'num', v: 1 },
                    b: { k: 'pow', a: { k: 'x', i: 1 }, b: { k: 'num', v: 2 } },
                  },
                },
              },
            },
          },
        ],
        // y = x1 + log(1 + x2²)
        output: [
          {
            k: 'add',
            a: { k: 'x', i: 0 },
            b: {
              k: 'call',
              f: 'log',
              a: {
                k: 'add',
                a: { k: 'num', v: 1 },
                b: { k: 'pow', a: { k: 'x', i: 1 }, b: { k: 'num', v: 2 } },
              },
            },
          },
        ],
      }),
      18,
      0.05,
    ));

  it('reports the measured differences', () => {
    process.stdout.write(
      `# max |Δy|/σ_y: ${Object.entries(measured)
        .map(([k, v]) => `${k} ${v.toExponential(1)}`)
        .join(', ')}\n`,
    );
    assert.ok(Object.keys(measured).length >= ACTIVATION_NAMES.length + 8);
  });
});
