/**
 * The WebAssembly instances of the accumulation kernel are reused within a thread: a solve parks
 * its workspace for the next search of the same model (gauss-newton.ts's takeWorkspace), and a
 * workspace released otherwise hands its instance to the next one, its memory zeroed as in a new
 * instance. What must hold: the same numbers as with new workspaces and instances (memory full of
 * the last owner's values changes nothing), no use after release, and solves really hand back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { idleKernels, SyrkAccumulator, wasmKernelAvailable } from '../../src/core/linalg/syrk-wasm';
import { syrkUpperReference } from '../../src/core/linalg/syrk';
import { makeLoss } from '../../src/core/losses';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import {
  accumulateGaussNewton,
  GaussNewtonWorkspace,
  parkedWorkspace,
  parkWorkspace,
  takeWorkspace,
} from '../../src/core/solver/gauss-newton';
import { nailm } from '../../src/core/solver/nailm';
import { nails } from '../../src/core/solver/nails';
import { makeProblem, packZ, type Problem } from '../../src/core/solver/problem';

const wasm = wasmKernelAvailable();

function problem(seed: number, N = 400): Problem {
  const rng = new Random(seed);
  const model = rnnModel({ nx: 3, nu: 1, ny: 1, state: { hidden: [6] }, output: { hidden: [5] } });
  const u = rng.fillNormal(new Float64Array(N));
  // A realistic record: the output of a stable nonlinear system, not white noise.
  const y = new Float64Array(N);
  let x = 0;
  for (let k = 0; k < N; k++) {
    y[k] = Math.tanh(x) + 0.01 * rng.normal();
    x = 0.9 * x + 0.5 * u[k]!;
  }
  return {
    model,
    experiments: [makeExperiment({ name: 'e', u, nu: 1, y, ny: 1 })],
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
  };
}

function start(p: Problem, seed: number): Float64Array {
  const rng = new Random(seed);
  const theta = p.model.init(rng);
  return packZ(p, theta, new Float64Array(p.model.nx));
}

describe(
  'WebAssembly kernel instances reused within a thread',
  { skip: !wasm && 'no WebAssembly SIMD here' },
  () => {
    it('a released instance serves the next accumulator, zeroed: M equals the reference', () => {
      const rng = new Random(3);
      const n = 13;
      const ld = 24;
      const first = new SyrkAccumulator(n, ld);
      // Leave the memory full of numbers (chunk and M), then hand it back.
      first.At.set(rng.fillNormal(new Float64Array(n * ld)));
      first.add(ld);
      const before = idleKernels(first.variant);
      first.release();
      assert.equal(idleKernels(first.variant), before + 1, 'the instance is idle after release');
      assert.throws(() => first.add(1), /used after release/);
      assert.throws(() => first.read(new Float64Array(n * n)), /used after release/);
      assert.throws(() => first.reset(), /used after release/);
      const v = (len: number) => new Float64Array(len);
      assert.throws(() => first.addScaled(1, v(1), v(1), v(n)), /used after release/);
      first.release(); // idempotent: not listed twice
      assert.equal(idleKernels(first.variant), before + 1);

      const second = new SyrkAccumulator(n - 2, ld);
      assert.equal(idleKernels(first.variant), before, 'the next accumulator took it');
      assert.ok(
        second.At.every((v) => v === 0),
        'the reused chunk starts at zero',
      );
      const A = rng.fillNormal(new Float64Array((n - 2) * ld));
      second.At.set(A);
      second.add(ld - 3);
      const got = new Float64Array((n - 2) ** 2);
      second.read(got);
      const want = new Float64Array((n - 2) ** 2);
      syrkUpperReference(A, ld, ld - 3, n - 2, want);
      for (let i = 0; i < n - 2; i++)
        for (let j = i; j < n - 2; j++) {
          const a = got[i * (n - 2) + j]!;
          const b = want[i * (n - 2) + j]!;
          assert.ok(Math.abs(a - b) <= 1e-12 * (1 + Math.abs(b)), `M[${i},${j}] ${a} vs ${b}`);
        }
      second.release();
    });

    it('a Gauss–Newton pass in a reused workspace equals the pass in a new one, bit for bit', () => {
      const p = problem(1);
      const z = start(p, 2);
      // A workspace of another shape and state leaves its numbers behind.
      const other = problem(4, 123);
      const dirty = new GaussNewtonWorkspace(other, 64);
      accumulateGaussNewton(other, start(other, 5), { chunk: 64 }, dirty);
      dirty.release();
      const reused = new GaussNewtonWorkspace(p, 64);
      const a = accumulateGaussNewton(p, z, { chunk: 64 }, reused);
      const va = a.value;
      const ga = Float64Array.from(a.gTheta);
      const ma = Float64Array.from(a.Mtt);
      reused.release();
      // Fill the idle list's memory again, then take a brand-new instance by holding the idle ones.
      const held = Array.from({ length: idleKernels() + 1 }, () => new SyrkAccumulator(4, 8));
      const fresh = new GaussNewtonWorkspace(p, 64);
      const b = accumulateGaussNewton(p, z, { chunk: 64 }, fresh);
      assert.equal(va, b.value);
      assert.deepEqual(ga, Float64Array.from(b.gTheta));
      assert.deepEqual(ma, Float64Array.from(b.Mtt));
      fresh.release();
      for (const h of held) h.release();
    });

    it('a search hands its workspace on to the next search of the same model (ADMM), with the same numbers', () => {
      const p = problem(11);
      const z = start(p, 12);
      // ADMM's inner problems: the same model, another quadratic term each time.
      const aug = (c: number) =>
        makeProblem({
          ...p,
          quadratic: {
            index: Int32Array.of(0, 1, 2),
            weight: 0.1,
            center: Float64Array.of(c, -c, 2 * c),
          },
        });
      const w1 = takeWorkspace(aug(0.3), 64);
      const dirty = accumulateGaussNewton(aug(0.3), start(p, 13), { chunk: 64 }, w1);
      assert.ok(dirty.finite);
      parkWorkspace(w1);
      const w2 = takeWorkspace(aug(-0.7), 64);
      assert.equal(w2, w1, 'the parked workspace serves the same model');
      const a = accumulateGaussNewton(aug(-0.7), z, { chunk: 64 }, w2);
      const fresh = new GaussNewtonWorkspace(aug(-0.7), 64);
      const b = accumulateGaussNewton(aug(-0.7), z, { chunk: 64 }, fresh);
      assert.equal(a.value, b.value);
      assert.deepEqual(Float64Array.from(a.gTheta), Float64Array.from(b.gTheta));
      assert.deepEqual(Float64Array.from(a.Mtt), Float64Array.from(b.Mtt));
      fresh.release();
      parkWorkspace(w2);
      // Another model, or another chunk: a new workspace, and the parked one handed back (its
      // memory has another owner now: using it throws).
      const other = problem(12);
      const w3 = takeWorkspace(other, 64);
      assert.notEqual(w3, w2);
      assert.equal(w3.model, other.model);
      assert.throws(() => accumulateGaussNewton(aug(-0.7), z, { chunk: 64 }, w2), /after release/);
      parkWorkspace(w3);
      const w4 = takeWorkspace(other, 32);
      assert.notEqual(w4, w3);
      assert.equal(w4.chunk, 32);
      assert.throws(() => accumulateGaussNewton(other, z, { chunk: 64 }, w3), /after release/);
      parkWorkspace(w4);
    });

    for (const [name, solve] of [
      ['NAILS', (p: Problem, z: Float64Array) => nails(p, z, { maxIterations: 15 })],
      ['NAILM', (p: Problem, z: Float64Array) => nailm(p, z, { maxIterations: 15 })],
    ] as const) {
      it(`${name}: a solve parks its workspace, the same solve again takes it and gives the same point`, () => {
        const p = problem(7);
        const z0 = start(p, 8);
        const r1 = solve(p, z0);
        const parked = parkedWorkspace();
        assert.ok(parked && parked.model === p.model, "the solve's workspace is parked");
        const idleBefore = idleKernels();
        const r2 = solve(p, z0); // takes the parked workspace, parks it again
        assert.equal(parkedWorkspace(), parked, 'the second solve used the parked workspace');
        assert.equal(idleKernels(), idleBefore, 'and took no instance from the idle list');
        assert.ok(r1.iterations > 0 && r1.value < r1.initialValue);
        assert.deepEqual(Float64Array.from(r2.z), Float64Array.from(r1.z));
        assert.equal(r2.value, r1.value);
      });
    }
  },
);
