/**
 * Initial-state estimation against closed forms. For a linear model ŷ = O x0 + ŷ_free, the
 * windowed least squares (1/n)‖W^½(y − ŷ)‖² + ρ‖x0‖² is a ridge regression in x0, and the
 * Kalman smoother with (almost) no process noise returns the Bayesian ridge estimate
 * (OᵀO/r + I/p0)⁻¹ (Oᵀ(y − ŷ_free)/r + m0/p0), with innovation cost eᵀ(O P0 Oᵀ + rI)⁻¹e / n.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choleskyInPlace, choleskySolveInPlace } from '../../src/core/linalg/cholesky.js';
import { makeLoss } from '../../src/core/losses/index.js';
import { linearModel, rnnModel } from '../../src/core/models/model-factory.js';
import type { Model } from '../../src/core/models/model.js';
import { Random } from '../../src/core/random.js';
import { simulate } from '../../src/core/simulate.js';
import { estimateX0Ekf, estimateX0LeastSquares } from '../../src/core/solver/x0-estimation.js';
import { assertClose } from '../helpers.js';
import { Affine } from './solver-test-models.js';

/** x⁺ = A x + B u, ŷ = C x: nx = 2, nu = 1, ny = 2. */
const model = linearModel({ nx: 2, nu: 1, ny: 2 });
// A (2×2), B (2×1), C (2×2)
const theta = Float64Array.of(0.8, 0.3, -0.2, 0.6, 1, 0.5, 1, -0.5, 0.25, 1);
const N = 40;
const rng = new Random(77);
const u = rng.fillNormal(new Float64Array(N));
const x0True = [0.7, -1.2];
const clean = simulate(model, theta, u, N, x0True).y;
const noisy = Float64Array.from(clean, (v) => v + 0.05 * rng.normal());

/** O (n·ny × nx) and the free response ŷ_free (x0 = 0) over the first n samples. */
function observability(m: Model, th: Float64Array, n: number) {
  const { nx, ny } = m;
  const free = simulate(m, th, u.subarray(0, n * m.nu), n, new Float64Array(nx)).y;
  const O = new Float64Array(n * ny * nx);
  for (let i = 0; i < nx; i++) {
    const e = new Float64Array(nx);
    e[i] = 1;
    const col = simulate(m, th, new Float64Array(n * m.nu), n, e).y;
    for (let r = 0; r < n * ny; r++) O[r * nx + i] = col[r]!;
  }
  return { O, free };
}

function solve(K: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = Float64Array.from(K);
  assert.ok(choleskyInPlace(L, n));
  const x = Float64Array.from(b);
  choleskySolveInPlace(L, n, x);
  return x;
}

/** argmin (1/n) Σ_k Σ_c w_c (y − O x − free)² + ρ‖x‖² (+ ‖x − m0‖²/p0 when given). */
function ridge(
  y: Float64Array,
  n: number,
  o: { rho?: number; w?: number[]; scale?: number; p0?: number; m0?: number[] } = {},
) {
  const { nx, ny } = model;
  const { O, free } = observability(model, theta, n);
  const w = o.w ?? [1, 1];
  const scale = o.scale ?? 1 / n;
  const K = new Float64Array(nx * nx);
  const b = new Float64Array(nx);
  for (let r = 0; r < n * ny; r++) {
    const wr = w[r % ny]! * scale;
    const d = y[r]! - free[r]!;
    for (let a = 0; a < nx; a++) {
      b[a] = b[a]! + wr * O[r * nx + a]! * d;
      for (let c = 0; c < nx; c++)
        K[a * nx + c] = K[a * nx + c]! + wr * O[r * nx + a]! * O[r * nx + c]!;
    }
  }
  for (let a = 0; a < nx; a++) {
    K[a * nx + a] = K[a * nx + a]! + (o.rho ?? 0) + (o.p0 ? 1 / o.p0 : 0);
    if (o.p0) b[a] = b[a]! + (o.m0?.[a] ?? 0) / o.p0;
  }
  return solve(K, b, nx);
}

function windowLoss(y: Float64Array, n: number, x0: ArrayLike<number>, rho: number, w = [1, 1]) {
  const yh = simulate(model, theta, u.subarray(0, n), n, x0).y;
  let s = 0;
  for (let r = 0; r < n * 2; r++) s += w[r % 2]! * (yh[r]! - y[r]!) ** 2;
  let reg = 0;
  for (let i = 0; i < x0.length; i++) reg += x0[i]! ** 2;
  return s / n + rho * reg;
}

describe('x0 by least squares (closed form: ridge regression in x0)', () => {
  it('noise-free: the true x0, whatever the window', () => {
    for (const window of [3, 17, N]) {
      const e = estimateX0LeastSquares(model, theta, u, clean, { window });
      assertClose(e.x0, x0True, 0, 1e-8, `x0 (window ${window})`);
      assert.equal(e.method, 'least-squares');
      assert.ok(e.value < 1e-16, `${e.value}`);
      assert.ok(e.iterations >= 1 && e.iterations <= 5, `${e.iterations}`);
    }
  });

  it('noisy, on the first n samples only, with ρ: the ridge solution and its windowed loss', () => {
    for (const [window, rho] of [
      [12, 0],
      [12, 0.3],
      [N, 0.05],
    ] as const) {
      const e = estimateX0LeastSquares(model, theta, u, noisy, { window, rho });
      const want = ridge(noisy, window, { rho });
      assertClose(e.x0, want, 1e-8, 1e-10, `x0 (n ${window}, ρ ${rho})`);
      assertClose([e.value], [windowLoss(noisy, window, e.x0, rho)], 1e-12, 0, 'value');
    }
    // The window matters: the first 12 samples give another estimate than the whole record.
    const a = estimateX0LeastSquares(model, theta, u, noisy, { window: 12 }).x0;
    const b = estimateX0LeastSquares(model, theta, u, noisy).x0;
    assert.ok(Math.abs(a[0]! - b[0]!) > 1e-6);
    assertClose(b, ridge(noisy, N), 1e-8, 1e-10, 'x0 (whole record)');
  });

  it('the loss option: weighted squared error weighs the channels', () => {
    const loss = makeLoss({ name: 'weighted_mse', weights: [4, 0.25] });
    const e = estimateX0LeastSquares(model, theta, u, noisy, { window: 20, loss });
    assertClose(e.x0, ridge(noisy, 20, { w: [4, 0.25] }), 1e-8, 1e-10, 'x0');
    assertClose([e.value], [windowLoss(noisy, 20, e.x0, 0, [4, 0.25])], 1e-12, 0, 'value');
  });

  it('starting at the solution takes no iteration; maxIterations caps them', () => {
    const want = ridge(noisy, 20, { rho: 0.1 });
    const at = estimateX0LeastSquares(model, theta, u, noisy, { window: 20, rho: 0.1, x0: want });
    assert.equal(at.iterations, 0);
    assertClose(at.x0, want, 0, 1e-12, 'x0');
    const one = estimateX0LeastSquares(model, theta, u, noisy, {
      window: 20,
      rho: 0.1,
      maxIterations: 1,
    });
    assert.equal(one.iterations, 1);
    // One Levenberg–Marquardt step with λ = 1e-6·max diag(M) from 0 lands within 1e-5 of it.
    assertClose(one.x0, want, 1e-4, 1e-5, 'x0 after one step');
  });

  it('the first two Levenberg–Marquardt steps by hand: λ = 1e-6·max diag(M), then λ/3', () => {
    // V(x) = (1/n)‖y − free − O x‖² + ρ‖x‖²: ∇V = (2/n)Oᵀ(O x + free − y) + 2ρx,
    // M = (2/n)OᵀO + 2ρI; each step x ← x − (M + λI)⁻¹∇V.
    const n = 20;
    const rho = 0.1;
    const { O, free } = observability(model, theta, n);
    const M = new Float64Array(4);
    for (let r = 0; r < 2 * n; r++)
      for (let a = 0; a < 2; a++)
        for (let c = 0; c < 2; c++)
          M[a * 2 + c] = M[a * 2 + c]! + (2 / n) * O[r * 2 + a]! * O[r * 2 + c]!;
    M[0] = M[0]! + 2 * rho;
    M[3] = M[3]! + 2 * rho;
    const grad = (x: number[]) => {
      const g = [2 * rho * x[0]!, 2 * rho * x[1]!];
      for (let r = 0; r < 2 * n; r++) {
        const e = O[r * 2]! * x[0]! + O[r * 2 + 1]! * x[1]! + free[r]! - noisy[r]!;
        g[0] = g[0]! + (2 / n) * O[r * 2]! * e;
        g[1] = g[1]! + (2 / n) * O[r * 2 + 1]! * e;
      }
      return g;
    };
    const step = (x: number[], lambda: number) => {
      const K = Float64Array.of(M[0]! + lambda, M[1]!, M[2]!, M[3]! + lambda);
      const d = solve(K, Float64Array.from(grad(x)), 2);
      return [x[0]! - d[0]!, x[1]! - d[1]!];
    };
    const lambda = 1e-6 * Math.max(M[0], M[3]);
    const x1 = step([0, 0], lambda);
    const x2 = step(x1, lambda / 3);
    const o = { window: n, rho };
    const one = estimateX0LeastSquares(model, theta, u, noisy, { ...o, maxIterations: 1 });
    assertClose(one.x0, x1, 0, 2e-14, 'x after one step');
    const two = estimateX0LeastSquares(model, theta, u, noisy, { ...o, maxIterations: 2 });
    assert.equal(two.iterations, 2);
    // λ/3 against 3λ moves x₂ by 1.3e-12: the comparison is to 2e-14 (the rounding is 2e-16).
    assertClose(two.x0, x2, 0, 2e-14, 'x after two steps');
    assertClose([two.value], [windowLoss(noisy, n, two.x0, rho)], 1e-12, 0, 'value');
  });

  it('a nonlinear model: the estimate is stationary (∇ = 0 by central differences) and reproduces the data', () => {
    const m = rnnModel({ nx: 2, nu: 1, ny: 1, output: { feedthrough: true } });
    const th = m.init(new Random(5));
    const y = simulate(m, th, u, N, [0.4, -0.3]).y;
    const e = estimateX0LeastSquares(m, th, u, y, { window: 25 });
    assertClose(e.x0, [0.4, -0.3], 0, 1e-6, 'x0');
  });

  it('a static model (nx = 0): no state, the loss over the whole record', () => {
    const a = new Affine();
    const y = Float64Array.of(1, 2, 4);
    const e = estimateX0LeastSquares(a, Float64Array.of(1, 0), Float64Array.of(1, 2, 3), y, {
      window: 1,
    });
    assert.equal(e.x0.length, 0);
    assert.equal(e.iterations, 0);
    assert.equal(e.value, 1 / 3);
    assert.equal(e.method, 'least-squares');
  });

  it('names a bad window and an unstable model, with the subject of each error', () => {
    assert.throws(() => estimateX0LeastSquares(model, theta, u, clean, { window: 0 }), {
      name: 'NailsError',
      subject: 'window',
    });
    for (const window of [0, 2.5, N + 1])
      assert.throws(
        () => estimateX0LeastSquares(model, theta, u, clean, { window }),
        new RegExp(
          `^NailsError: the x0 estimation window ${window} must be an integer in \\[1, ${N}\\] \\(the record has ${N} samples\\)`,
        ),
      );
    assert.throws(
      () => estimateX0Ekf(model, theta, u, clean, { window: 0 }),
      /the x0 estimation window 0 must be an integer/,
    );
    const unstable = Float64Array.from(theta);
    unstable[0] = 1e3;
    const long = rng.fillNormal(new Float64Array(200));
    assert.throws(
      () => estimateX0LeastSquares(model, unstable, long, new Float64Array(400), { window: 200 }),
      /does not simulate to finite values from x0 = 0/,
    );
    assert.throws(
      () => estimateX0LeastSquares(model, unstable, long, new Float64Array(400), { window: 200 }),
      { subject: 'x0' },
    );
  });
});

/** The innovation cost of the smoother with no process noise: eᵀ(O P0 Oᵀ + rI)⁻¹e / n. */
function innovationCost(y: Float64Array, n: number, r: number, p0: number, m0: number[]) {
  const { O, free } = observability(model, theta, n);
  const m = n * 2;
  const S = new Float64Array(m * m);
  const e = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    e[i] = y[i]! - free[i]! - (O[i * 2]! * m0[0]! + O[i * 2 + 1]! * m0[1]!);
    for (let j = 0; j < m; j++)
      S[i * m + j] =
        p0 * (O[i * 2]! * O[j * 2]! + O[i * 2 + 1]! * O[j * 2 + 1]!) + (i === j ? r : 0);
  }
  const x = solve(S, e, m);
  let s = 0;
  for (let i = 0; i < m; i++) s += e[i]! * x[i]!;
  return s / n;
}

/**
 * The MAP of x_0…x_{n−1} given the prior N(m0, p0 I), x_{k+1} = A x_k + B u_k + w (w ~ N(0, qI))
 * and y_k = C x_k + v (v ~ N(0, rI)), by dense normal equations: its x_0.
 */
function mapX0(y: Float64Array, n: number, q: number, r: number, p0: number, m0: number[]) {
  const A = [theta[0]!, theta[1]!, theta[2]!, theta[3]!];
  const B = [theta[4]!, theta[5]!];
  const C = [theta[6]!, theta[7]!, theta[8]!, theta[9]!];
  const m = 2 * n;
  const H = new Float64Array(m * m);
  const b = new Float64Array(m);
  const addRow = (cols: number[], coefs: number[], rhs: number, w: number) => {
    cols.forEach((i, a) => {
      b[i] = b[i]! + w * coefs[a]! * rhs;
      cols.forEach((j, c) => (H[i * m + j] = H[i * m + j]! + w * coefs[a]! * coefs[c]!));
    });
  };
  for (let i = 0; i < 2; i++) addRow([i], [1], m0[i]!, 1 / p0);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < 2; c++)
      addRow([2 * k, 2 * k + 1], [C[2 * c]!, C[2 * c + 1]!], y[2 * k + c]!, 1 / r);
    if (k + 1 < n)
      for (let i = 0; i < 2; i++) {
        // x_{k+1,i} − A_i· x_k = B_i u_k
        const row = new Array<number>(4).fill(0);
        row[2 + i] = 1;
        row[0] = -A[2 * i]!;
        row[1] = -A[2 * i + 1]!;
        addRow([2 * k, 2 * k + 1, 2 * k + 2, 2 * k + 3], row, B[i]! * u[k]!, 1 / q);
      }
  }
  return [...solve(H, b, m).subarray(0, 2)];
}

describe('x0 by the EKF + RTS smoother (closed form for a linear model without process noise)', () => {
  const q = 1e-13;

  it('one pass: the Bayesian ridge estimate from the prior, and the innovation cost', () => {
    for (const [window, r, p0, m0] of [
      [1, 0.5, 2, [0.3, -0.1]],
      [2, 0.01, 1, [0, 0]],
      [15, 0.02, 5, [1, 1]],
    ] as const) {
      const e = estimateX0Ekf(model, theta, u, noisy, {
        window,
        q,
        r,
        p0,
        x0Prior: Float64Array.from(m0),
        passes: 1,
      });
      const want = ridge(noisy, window, { scale: 1 / r, p0, m0: [...m0] });
      assertClose(e.x0, want, 1e-6, 1e-8, `x0 (n ${window})`);
      assertClose([e.value], [innovationCost(noisy, window, r, p0, [...m0])], 1e-6, 0, 'cost');
      assert.equal(e.iterations, 1);
      assert.equal(e.method, 'ekf');
    }
  });

  it('passes move the prior mean to the last estimate (3 by default)', () => {
    const o = { window: 10, q, r: 0.05, p0: 0.5 };
    let m0 = [0, 0];
    for (let k = 0; k < 3; k++) m0 = [...ridge(noisy, 10, { scale: 1 / o.r, p0: o.p0, m0 })];
    const e = estimateX0Ekf(model, theta, u, noisy, o);
    assert.equal(e.iterations, 3);
    assertClose(e.x0, m0, 1e-6, 1e-8, 'x0 after 3 passes');
    const two = estimateX0Ekf(model, theta, u, noisy, { ...o, passes: 2 });
    assert.equal(two.iterations, 2);
    assert.ok(Math.abs(two.x0[0]! - e.x0[0]!) > 1e-6);
  });

  it('with process noise: the x0 of the batch MAP over all states (what the RTS smoother computes)', () => {
    for (const q of [0.3, 2]) {
      const o = { window: 12, q, r: 0.05, p0: 0.8, passes: 1, x0Prior: Float64Array.of(0.2, 0.1) };
      const e = estimateX0Ekf(model, theta, u, noisy, o);
      assertClose(e.x0, mapX0(noisy, 12, q, o.r, o.p0, [0.2, 0.1]), 1e-8, 1e-10, `x0 (q ${q})`);
    }
  });

  it('names bad noise settings, a static model has no state, a diverging filter is named', () => {
    for (const [name, v] of [
      ['q', 0],
      ['r', -1],
      ['p0', Infinity],
      ['q', NaN],
    ] as const)
      assert.throws(
        () => estimateX0Ekf(model, theta, u, clean, { [name]: v }),
        new RegExp(`^NailsError: EKF ${name} must be a positive number, got ${v}$`),
      );
    assert.throws(() => estimateX0Ekf(model, theta, u, clean, { r: 0 }), { subject: 'r' });
    assert.throws(() => estimateX0Ekf(model, theta, u, clean, { p0: 0 }), { subject: 'p0' });
    const a = estimateX0Ekf(
      new Affine(),
      Float64Array.of(1, 0),
      Float64Array.of(1, 2),
      Float64Array.of(1, 2),
    );
    assert.equal(a.x0.length, 0);
    assert.equal(a.value, 0);
    // B = 1e308 with u₀ = 5 overflows the first predicted state; A = 1e200 the covariance.
    const bigB = Float64Array.from(theta);
    bigB[4] = 1e308;
    const u5 = Float64Array.from(u);
    u5[0] = 5;
    assert.throws(
      () => estimateX0Ekf(model, bigB, u5, clean, { window: 10 }),
      /^NailsError: the EKF diverged \(non-finite state\); the model is unstable on these data$/,
    );
    assert.throws(() => estimateX0Ekf(model, bigB, u5, clean, { window: 10 }), { subject: 'x0' });
    const bigA = Float64Array.from(theta);
    bigA[0] = 1e200;
    assert.throws(
      () => estimateX0Ekf(model, bigA, u, clean, { window: 10 }),
      /^NailsError: the EKF innovation covariance is not positive definite; increase r$/,
    );
    assert.throws(() => estimateX0Ekf(model, bigA, u, clean, { window: 10 }), { subject: 'r' });
  });
});
