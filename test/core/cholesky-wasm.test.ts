import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choleskyInPlace, choleskySolveInPlace } from '../../src/core/linalg/cholesky';
import { CholeskySolver, choleskySolver } from '../../src/core/linalg/cholesky-wasm';
import {
  choleskyInstance,
  KERNEL_BASE,
  wasmKernelAvailable,
} from '../../src/core/linalg/syrk-wasm';
import { Random } from '../../src/core/random';

/**
 * A damped Gauss–Newton matrix JᵀJ + λI (n × n, row-major) as the solver meets it: J (3n × n)
 * with column scales from 1e-3 to 1e3 (parameters of very different sensitivity), so the
 * condition number is large (about 1e8 with λ = 1e-4) but the matrix is positive definite.
 */
function gnMatrix(rng: Random, n: number, lambda = 1e-4): Float64Array {
  const rows = 3 * n;
  const J = new Float64Array(rows * n);
  const scale = Array.from({ length: n }, (_, i) => 10 ** (-3 + (6 * i) / Math.max(1, n - 1)));
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < n; c++) J[r * n + c] = rng.normal() * scale[c]!;
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += J[r * n + i]! * J[r * n + j]!;
      S[i * n + j] = s;
      S[j * n + i] = s;
    }
  for (let i = 0; i < n; i++) S[i * n + i] = S[i * n + i]! + lambda;
  return S;
}

/** ‖S x − r‖∞ / (‖S‖∞ ‖x‖∞ + ‖r‖∞): the backward error of a solve. */
function backwardError(S: Float64Array, n: number, x: Float64Array, r: Float64Array): number {
  let res = 0;
  let normS = 0;
  let normX = 0;
  let normR = 0;
  for (let i = 0; i < n; i++) {
    let s = -r[i]!;
    let row = 0;
    for (let j = 0; j < n; j++) {
      s += S[i * n + j]! * x[j]!;
      row += Math.abs(S[i * n + j]!);
    }
    res = Math.max(res, Math.abs(s));
    normS = Math.max(normS, row);
    normX = Math.max(normX, Math.abs(x[i]!));
    normR = Math.max(normR, Math.abs(r[i]!));
  }
  return res / (normS * normX + normR);
}

const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 31, 64, 93, 130];
const builds = ['wasm-relaxed-simd', 'wasm-simd'] as const;
/** Node 20's engine lacks relaxed SIMD: that build's tests say so (skipped) instead of passing. */
const skip = (variant: (typeof builds)[number]) =>
  choleskyInstance(variant) ? false : `this engine cannot compile the ${variant} build`;

describe('Cholesky factor-and-solve in WebAssembly (kernels/cholesky.ts)', () => {
  it('is the kernel this engine uses', () => {
    assert.equal(choleskySolver().wasm, wasmKernelAvailable());
    assert.ok(wasmKernelAvailable(), 'Node has WebAssembly SIMD: the kernel must be in use');
  });

  for (const variant of builds)
    it(
      `${variant}: L and the solution agree with the TypeScript oracle on damped GN matrices`,
      { skip: skip(variant) },
      () => {
        const solver = new CholeskySolver(choleskyInstance(variant));
        assert.ok(solver.wasm);
        const rng = new Random(17);
        for (const n of SIZES) {
          const S0 = gnMatrix(rng, n);
          const r0 = rng.fillNormal(new Float64Array(n));
          const L = Float64Array.from(S0);
          assert.ok(choleskyInPlace(L, n));
          const x = Float64Array.from(r0);
          choleskySolveInPlace(L, n, x);
          solver.begin(n);
          solver.S.set(S0);
          solver.r.set(r0);
          assert.ok(solver.solve(), `n = ${n}`);
          // L: same algorithm, other order of the additions: relative to the row's size
          for (let i = 0; i < n; i++) {
            let rowMax = 0;
            for (let k = 0; k <= i; k++) rowMax = Math.max(rowMax, Math.abs(L[i * n + k]!));
            for (let k = 0; k <= i; k++) {
              const d = Math.abs(solver.S[i * n + k]! - L[i * n + k]!);
              assert.ok(
                d <= 1e-9 * rowMax,
                `n = ${n}: L[${i},${k}] ${solver.S[i * n + k]} vs ${L[i * n + k]}`,
              );
            }
          }
          // the solution: both backward stable, so both tiny backward errors
          const bw = backwardError(S0, n, solver.r, r0);
          assert.ok(bw < 1e-13, `n = ${n}: backward error ${bw}`);
          assert.ok(backwardError(S0, n, x, r0) < 1e-13);
        }
      },
    );

  for (const variant of builds)
    it(
      `${variant}: a well-conditioned system is solved to 1e-12 of the oracle`,
      { skip: skip(variant) },
      () => {
        const solver = new CholeskySolver(choleskyInstance(variant));
        const rng = new Random(5);
        for (const n of [3, 17, 50, 101]) {
          const S0 = gnMatrix(rng, n, 0);
          // equilibrate: unit diagonal, so the condition number is that of a random Gram matrix
          const d = Array.from({ length: n }, (_, i) => 1 / Math.sqrt(S0[i * n + i]!));
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S0[i * n + j]! *= d[i]! * d[j]!;
          const r0 = rng.fillNormal(new Float64Array(n));
          const x = Float64Array.from(r0);
          const L = Float64Array.from(S0);
          choleskyInPlace(L, n);
          choleskySolveInPlace(L, n, x);
          solver.begin(n);
          solver.S.set(S0);
          solver.r.set(r0);
          assert.ok(solver.solve());
          for (let i = 0; i < n; i++)
            assert.ok(
              Math.abs(solver.r[i]! - x[i]!) <= 1e-12 * Math.max(1, Math.abs(x[i]!)),
              `n = ${n}, x[${i}]`,
            );
        }
      },
    );

  for (const variant of builds)
    it(
      `${variant}: refuses what is not positive definite, like the oracle`,
      { skip: skip(variant) },
      () => {
        const solver = new CholeskySolver(choleskyInstance(variant));
        const rng = new Random(3);
        const cases: [string, (n: number) => Float64Array][] = [
          [
            'a negative eigenvalue',
            (n) => {
              const S = gnMatrix(rng, n);
              S[(n - 1) * n + (n - 1)] = -1; // the last pivot goes negative
              return S;
            },
          ],
          ['a zero matrix', (n) => new Float64Array(n * n)],
          [
            'a NaN entry',
            (n) => {
              const S = gnMatrix(rng, n);
              S[Math.floor(n / 2) * n] = NaN;
              return S;
            },
          ],
          [
            'an infinite diagonal',
            (n) => {
              const S = gnMatrix(rng, n);
              S[0] = Infinity;
              return S;
            },
          ],
          [
            'rank one',
            (n) => {
              const v = rng.fillNormal(new Float64Array(n));
              const S = new Float64Array(n * n);
              for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = v[i]! * v[j]!;
              return S;
            },
          ],
        ];
        for (const [what, make] of cases)
          for (const n of [2, 5, 12, 40]) {
            const S0 = make(n);
            const oracle = choleskyInPlace(Float64Array.from(S0), n);
            solver.begin(n);
            solver.S.set(S0);
            solver.r.fill(1);
            assert.equal(solver.solve(), false, `${what}, n = ${n}`);
            assert.equal(oracle, false, `${what}, n = ${n}: the oracle refuses it too`);
          }
      },
    );

  it('keeps working when a larger system grows the memory (views renewed)', () => {
    const solver = new CholeskySolver(choleskyInstance());
    const rng = new Random(11);
    for (const n of [4, 300, 7, 300, 1]) {
      const S0 = gnMatrix(rng, n);
      const r0 = rng.fillNormal(new Float64Array(n));
      solver.begin(n);
      assert.equal(solver.S.length, n * n);
      assert.equal(solver.r.length, n);
      solver.S.set(S0);
      solver.r.set(r0);
      assert.ok(solver.solve());
      assert.ok(backwardError(S0, n, solver.r, r0) < 1e-13, `n = ${n}`);
    }
  });

  it('a system past what the memory can grow to is solved by the oracle (no RangeError)', () => {
    const real = choleskyInstance();
    if (!real) return;
    // The instance's own functions, over a memory that refuses to grow (as past 4 GiB).
    const memory = {
      buffer: real.memory.buffer,
      grow(): number {
        throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
      },
    } as unknown as WebAssembly.Memory;
    const solver = new CholeskySolver({ ...real, memory });
    const rng = new Random(4);
    const n = 200; // 320 kB: more than the instance's initial memory
    assert.ok(KERNEL_BASE + (n * n + n) * 8 > real.memory.buffer.byteLength);
    const S0 = gnMatrix(rng, n);
    const r0 = rng.fillNormal(new Float64Array(n));
    solver.begin(n);
    assert.notEqual(solver.S.buffer, real.memory.buffer);
    solver.S.set(S0);
    solver.r.set(r0);
    assert.ok(solver.solve());
    const L = Float64Array.from(S0);
    choleskyInPlace(L, n);
    const x = Float64Array.from(r0);
    choleskySolveInPlace(L, n, x);
    assert.deepEqual([...solver.r], [...x]);
    // and a small system goes back to the kernel's memory
    solver.begin(4);
    assert.equal(solver.S.buffer, real.memory.buffer);
  });

  it('the TypeScript fallback (no WebAssembly) is the oracle, to the bit', () => {
    const solver = new CholeskySolver(null);
    assert.equal(solver.wasm, false);
    const rng = new Random(2);
    for (const n of [1, 6, 33]) {
      const S0 = gnMatrix(rng, n);
      const r0 = rng.fillNormal(new Float64Array(n));
      const L = Float64Array.from(S0);
      choleskyInPlace(L, n);
      const x = Float64Array.from(r0);
      choleskySolveInPlace(L, n, x);
      solver.begin(n);
      solver.S.set(S0);
      solver.r.set(r0);
      assert.ok(solver.solve());
      assert.deepEqual([...solver.r], [...x]);
    }
  });
});
