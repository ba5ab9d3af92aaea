import { paperBinaryOutputModel } from '../../src/core/generators/binary-output';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Experiment } from '../../src/core/data/experiment';
import { choleskyInPlace, choleskySolveInPlace } from '../../src/core/linalg/cholesky';
import { syrkUpper, syrkUpperReference } from '../../src/core/linalg/syrk';
import {
  kernelVariant,
  SyrkAccumulator,
  syrkUpperWasm,
  wasmKernelAvailable,
  type KernelVariant,
} from '../../src/core/linalg/syrk-wasm';
import { makeLoss, type LossConfig } from '../../src/core/losses';
import type { Model } from '../../src/core/models/model';
import { linearModel, rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { simulateExperiments } from '../../src/core/simulate';
import { valueAndGradient } from '../../src/core/solver/adjoint-gradient';
import { solveDamped } from '../../src/core/solver/block-arrow';
import {
  accumulateGaussNewton,
  denseMatrix,
  GaussNewtonWorkspace,
  gradientVector,
} from '../../src/core/solver/gauss-newton';
import { evaluateV, packZ, unpackZ, zSize, type Problem } from '../../src/core/solver/problem';
import { assertClose, finiteDifferenceJacobian } from '../helpers';
import { experiments } from './rnn-fixtures';

function problem(
  model: Model,
  experiments: Experiment[],
  loss: LossConfig,
  trainX0 = true,
): Problem {
  return { model, experiments, loss: makeLoss(loss), rhoTheta: 0.003, rhoX0: 0.02, trainX0 };
}

/** ŷ of all experiments stacked, as a function of z. */
function stackedOutputs(p: Problem) {
  return (z: Float64Array) => {
    const { theta, x0s } = unpackZ(p, z);
    const sim = simulateExperiments(p.model, theta, p.experiments, x0s);
    const out = new Float64Array(sim.y.reduce((s, y) => s + y.length, 0));
    let o = 0;
    for (const y of sim.y) {
      out.set(y, o);
      o += y.length;
    }
    return out;
  };
}

describe('Gauss–Newton accumulation against a materialised finite-difference Jacobian', () => {
  const cases: [string, Model, LossConfig, boolean][] = [
    [
      'RNN, squared error, 2 outputs, x0 trained',
      rnnModel({
        nx: 3,
        nu: 2,
        ny: 2,
        state: { hidden: [4] },
        output: { hidden: [3], feedthrough: true },
      }),
      { name: 'mse' },
      false,
    ],
    [
      'paper model, cross-entropy on a sigmoid output',
      paperBinaryOutputModel(),
      { name: 'cross_entropy' },
      true,
    ],
    [
      'linear model, pseudo-Huber',
      linearModel({ nx: 2, nu: 1, ny: 1, feedthrough: true }),
      { name: 'pseudo_huber', delta: 0.3 },
      false,
    ],
  ];
  for (const [name, model, lossCfg, binary] of cases) {
    it(name, () => {
      const rng = new Random(17);
      const p = problem(model, experiments(rng, [23, 31, 9], model.nu, model.ny, binary), lossCfg);
      const theta = model.init(rng);
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! + 0.1 * rng.normal();
      const z = packZ(p, theta, rng.fillNormal(new Float64Array(3 * model.nx), 0.3));
      const sys = accumulateGaussNewton(p, z, { chunk: 7 });
      assert.ok(sys.finite);
      // V, ∇V (central differences of V) and M = (1/N) Jᵀ H J + 2ρ (J by central differences of ŷ).
      assertClose([sys.value], [evaluateV(p, z)], 1e-13, 0, 'V');
      const gFd = finiteDifferenceJacobian((zz) => Float64Array.of(evaluateV(p, zz)), z);
      assertClose(gradientVector(sys), gFd, 1e-5, 1e-8, '∇V');
      const J = finiteDifferenceJacobian(stackedOutputs(p), z);
      const nz = z.length;
      const yhat = stackedOutputs(p)(z);
      const yAll = new Float64Array(yhat.length);
      let o = 0;
      for (const e of p.experiments) {
        yAll.set(e.y, o);
        o += e.y.length;
      }
      const ny = model.ny;
      const h = new Float64Array(ny);
      const gbuf = new Float64Array(ny);
      const Nrows = yhat.length;
      const N = Nrows / ny;
      const Mfd = new Float64Array(nz * nz);
      for (let k = 0; k < N; k++) {
        p.loss.evaluate(yAll, k * ny, yhat, k * ny, ny, gbuf, h);
        for (let r = 0; r < ny; r++) {
          const row = (k * ny + r) * nz;
          for (let a = 0; a < nz; a++)
            for (let b = 0; b < nz; b++)
              Mfd[a * nz + b] = Mfd[a * nz + b]! + (h[r]! * J[row + a]! * J[row + b]!) / N;
        }
      }
      for (let a = 0; a < nz; a++)
        Mfd[a * nz + a] = Mfd[a * nz + a]! + 2 * (a < model.nTheta ? p.rhoTheta : p.rhoX0);
      let scale = 0;
      for (const v of Mfd) scale = Math.max(scale, Math.abs(v));
      assertClose(denseMatrix(sys), Mfd, 1e-5, 1e-7 * scale, 'M');
    });
  }

  it('the adjoint gradient (baselines) equals the sensitivity gradient', () => {
    const rng = new Random(5);
    const model = rnnModel({ nx: 2, nu: 1, ny: 1, output: { feedthrough: true } });
    const p = problem(model, experiments(rng, [40, 25], 1, 1), { name: 'mse' });
    const z = packZ(p, model.init(rng), rng.fillNormal(new Float64Array(4)));
    const g = new Float64Array(zSize(p));
    const v = valueAndGradient(p, z, g);
    const sys = accumulateGaussNewton(p, z);
    assertClose([v], [sys.value], 1e-13, 0, 'V');
    assertClose(g, gradientVector(sys), 1e-10, 1e-13, '∇V');
  });

  it('chunked and unchunked accumulation agree on a record of 20,000 samples', () => {
    const rng = new Random(8);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 2,
      state: { hidden: [3] },
      output: { hidden: [3] },
    });
    const p = problem(model, experiments(rng, [20000], 1, 2), { name: 'mse' });
    const z = packZ(p, model.init(rng), new Float64Array(2));
    const a = accumulateGaussNewton(p, z, { chunk: 20000 });
    const b = accumulateGaussNewton(p, z, { chunk: 333 });
    assertClose([b.value], [a.value], 1e-13, 0, 'V');
    assertClose(gradientVector(b), gradientVector(a), 1e-10, 1e-14, '∇V');
    assertClose(denseMatrix(b), denseMatrix(a), 1e-10, 1e-14, 'M');
  });

  it('the WebAssembly sensitivity step and the TypeScript recursion give the same system (nx 1–6, with and without x0, two outputs)', () => {
    const rng = new Random(13);
    for (const [nx, trainX0, state] of [
      [1, true, [3]],
      [2, false, [4]],
      [3, true, [5]],
      [4, true, []],
      [6, true, [2]],
    ] as const) {
      const model = rnnModel({
        nx,
        nu: 2,
        ny: 2,
        state: { hidden: [...state] },
        output: { hidden: [3] },
      });
      const p = problem(model, experiments(rng, [700, 300], 2, 2), { name: 'mse' }, trainX0);
      const z = packZ(p, model.init(rng), rng.fillNormal(new Float64Array(trainX0 ? 2 * nx : 0)));
      const wsW = new GaussNewtonWorkspace(p, 256);
      const wsT = new GaussNewtonWorkspace(p, 256, 'typescript');
      assert.notEqual(wsW.acc.step, null, 'the WebAssembly step is in use');
      assert.equal(wsT.acc.step, null);
      const a = accumulateGaussNewton(p, z, { chunk: 256 }, wsW);
      const b = accumulateGaussNewton(p, z, { chunk: 256 }, wsT);
      assertClose([a.value], [b.value], 1e-13, 0, `V nx ${nx}`);
      assertClose(gradientVector(a), gradientVector(b), 1e-11, 1e-14, `∇V nx ${nx}`);
      assertClose(denseMatrix(a), denseMatrix(b), 1e-11, 1e-14, `M nx ${nx}`);
    }
  });

  it('the block-arrow (Schur) solve equals a dense Cholesky solve of (M + λI) Δ = −∇V', () => {
    const rng = new Random(9);
    const model = rnnModel({ nx: 3, nu: 1, ny: 1 });
    const p = problem(model, experiments(rng, [30, 20, 25, 10], 1, 1), { name: 'mse' });
    const z = packZ(p, model.init(rng), rng.fillNormal(new Float64Array(12)));
    const sys = accumulateGaussNewton(p, z);
    for (const lambda of [0, 1e-3, 10]) {
      const delta = new Float64Array(z.length);
      assert.ok(solveDamped(sys, lambda, 'identity', delta));
      const n = z.length;
      const M = denseMatrix(sys);
      for (let a = 0; a < n; a++) M[a * n + a] = M[a * n + a]! + lambda;
      assert.ok(choleskyInPlace(M, n));
      const d = gradientVector(sys).map((v) => -v);
      choleskySolveInPlace(M, n, d);
      assertClose(delta, d, 1e-8, 1e-12, `Δ at λ = ${lambda}`);
    }
  });
});

describe('linear-algebra kernels', () => {
  it('blocked SYRK equals the reference kernel for every remainder size', () => {
    const rng = new Random(4);
    for (const [rows, n] of [
      [13, 1],
      [50, 7],
      [64, 8],
      [33, 13],
      [100, 30],
    ] as const) {
      const ld = rows + 3;
      const At = rng.fillNormal(new Float64Array(n * ld));
      const M1 = rng.fillNormal(new Float64Array(n * n));
      const M2 = Float64Array.from(M1);
      syrkUpperReference(At, ld, rows, n, M1);
      syrkUpper(At, ld, rows, n, M2);
      for (let i = 0; i < n; i++)
        for (let j = i; j < n; j++)
          assert.ok(
            Math.abs(M1[i * n + j]! - M2[i * n + j]!) < 1e-12 * (1 + Math.abs(M1[i * n + j]!)),
          );
    }
  });

  it('both WebAssembly builds (relaxed SIMD with FMA, plain SIMD) load and equal the reference for every remainder size', () => {
    assert.ok(wasmKernelAvailable(), 'WebAssembly SIMD kernel loads on this Node');
    assert.equal(
      kernelVariant(),
      'wasm-relaxed-simd',
      'Node 22 (V8 12) runs the relaxed-SIMD build',
    );
    for (const variant of ['wasm-relaxed-simd', 'wasm-simd'] as const) {
      assert.equal(new SyrkAccumulator(3, 4, variant).variant, variant);
      checkAgainstReference(variant);
    }
  });

  it('an accumulator sums chunks in its own memory: M = Σ_c A_cᵀA_c over chunks of different lengths', () => {
    const n = 23;
    const ld = 40;
    const rng = new Random(8);
    const acc = new SyrkAccumulator(n, ld);
    const ref = new Float64Array(n * n);
    acc.reset();
    for (const rows of [40, 17, 33, 1]) {
      rng.fillNormal(acc.At);
      syrkUpperReference(acc.At, ld, rows, n, ref);
      acc.add(rows);
    }
    const M = new Float64Array(n * n);
    acc.read(M);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++)
        assert.ok(
          Math.abs(M[i * n + j]! - ref[i * n + j]!) < 1e-12 * (1 + Math.abs(ref[i * n + j]!)),
        );
    acc.reset();
    acc.read(M);
    assert.ok(
      M.every((v) => v === 0),
      'reset clears M',
    );
  });

  function checkAgainstReference(variant: KernelVariant): void {
    const rng = new Random(6);
    for (const [rows, n, ld] of [
      [13, 1, 13],
      [50, 7, 51],
      [64, 8, 72],
      [33, 13, 40],
      [21, 9, 24],
      [40, 16, 41],
      [101, 30, 104],
      [512, 97, 520],
    ] as const) {
      const At = rng.fillNormal(new Float64Array(n * ld));
      const M1 = rng.fillNormal(new Float64Array(n * n));
      const M2 = Float64Array.from(M1);
      syrkUpperReference(At, ld, rows, n, M1);
      syrkUpperWasm(At, ld, rows, n, M2, variant);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const want = M1[i * n + j]!;
          if (j >= i)
            assert.ok(
              Math.abs(M2[i * n + j]! - want) < 1e-12 * (1 + Math.abs(want)),
              `M[${i},${j}] rows ${rows} n ${n}`,
            );
          else assert.equal(M2[i * n + j], want, 'the lower triangle is not touched');
        }
    }
  }

  it('Cholesky reports an indefinite matrix instead of throwing', () => {
    assert.equal(choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2), false);
    assert.equal(choleskyInPlace(Float64Array.of(NaN), 1), false);
    const A = Float64Array.of(4, 2, 2, 3);
    assert.ok(choleskyInPlace(A, 2));
    const b = Float64Array.of(2, 1);
    choleskySolveInPlace(A, 2, b);
    assertClose(b, [0.5, 0], 1e-15, 1e-15);
  });
});
