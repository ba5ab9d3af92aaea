/**
 * NAILS, NAILM and the block-arrow solve on problems whose every figure is known: a scalar
 * residual r(θ) (V = r², ∇V = 2rJ, M = 2J²) for which the line search, the Armijo constant and
 * NAILM's damping update are worked out by hand, and random SPD block-arrow systems against a
 * dense solve.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choleskyInPlace, choleskySolveInPlace } from '../../src/core/linalg/cholesky.js';
import { Random } from '../../src/core/random.js';
import {
  directionalDerivative,
  predictedDecrease,
  solveDamped,
  type DampingScaling,
} from '../../src/core/solver/block-arrow.js';
import {
  accumulateGaussNewton,
  denseMatrix,
  gradientVector,
  type GaussNewtonSystem,
} from '../../src/core/solver/gauss-newton.js';
import { NAILM_TAU, nailm } from '../../src/core/solver/nailm.js';
import { makeExperiment } from '../../src/core/data/experiment.js';
import { makeLoss } from '../../src/core/losses/index.js';
import { linearModel } from '../../src/core/models/model-factory.js';
import type { Problem } from '../../src/core/solver/problem.js';
import { armijo, nails } from '../../src/core/solver/nails.js';
import { assertClose } from '../helpers.js';
import { Residuals, residualProblem } from './solver-test-models.js';

/** r(θ) = θ₀ − 3 (θ₁ unused): V = (θ₀ − 3)², M = diag(2, 0). */
const linear = residualProblem(
  new Residuals(1, 1, (t, r, J) => {
    r[0] = t[0]! - 3;
    if (J) J[0] = 1;
  }),
);
const close = (a: number | undefined, b: number, rtol = 1e-12) =>
  assert.ok(a !== undefined && Math.abs(a - b) <= rtol * Math.abs(b), `${a} vs ${b}`);

describe('NAILS line search', () => {
  it("Armijo's test: V(z + αΔ) ≤ V(z) + c α ∇VᵀΔ, inclusive, never for a non-finite V", () => {
    assert.equal(armijo(0.9, 1, 0.1, 1, -1), true);
    assert.equal(armijo(0.9 + 1e-12, 1, 0.1, 1, -1), false);
    assert.equal(armijo(0.5, 1, 0.25, 2, -1), true); // 1 − 0.5 = 0.5
    assert.equal(armijo(0.51, 1, 0.25, 2, -1), false);
    assert.equal(armijo(0.99, 1, 0.5, 0.25, -0.08), true); // 1 − 0.01
    assert.equal(armijo(0.991, 1, 0.5, 0.25, -0.08), false);
    assert.equal(armijo(-Infinity, 1, 0.1, 1, -1), false);
    assert.equal(armijo(NaN, 1, 0.1, 1, -1), false);
  });

  it('the full Gauss–Newton step of a linear problem is accepted at α = 1 (c = 1e-4), undamped', () => {
    const r = nails(linear, Float64Array.of(0));
    assert.equal(r.status, 'converged');
    assert.equal(r.iterations, 1);
    close(r.z[0], 3);
    const h = r.history[0]!;
    assert.equal(h.alpha, 1);
    close(h.stepNorm, 3);
    assert.ok(h.value < 1e-30);
    assert.equal('lambda' in h, false);
    assert.equal(r.simulations, 1);
    assert.equal(r.sensitivities, 2);
  });

  it('the Armijo constant decides: on a quadratic V(z+Δ) = V + ∇VᵀΔ/2, so c > 1/2 halves α', () => {
    // V = 9, ∇VᵀΔ = −18: α = 1 gives 0 ≤ 9 − 18c ⇔ c ≤ 1/2.
    for (const [c, alpha] of [
      [0.49, 1],
      [0.51, 0.5],
    ] as const) {
      const r = nails(linear, Float64Array.of(0), { c, maxIterations: 1 });
      assert.equal(r.history[0]!.alpha, alpha, `c = ${c}`);
      close(r.history[0]!.stepNorm, 3 * alpha);
      assert.ok(Math.abs(r.value - (3 - 3 * alpha) ** 2) < 1e-12);
      assert.equal(r.simulations, alpha === 1 ? 1 : 2);
    }
    // β = 0.25: α = 1, then 0.25 (V = 5.0625 ≤ 9 − 0.51·0.25·18 = 6.705).
    const b = nails(linear, Float64Array.of(0), { c: 0.51, beta: 0.25, maxIterations: 1 });
    assert.equal(b.history[0]!.alpha, 0.25);
    close(b.value, 2.25 ** 2);
  });

  it('a direction that fails its backtracks is damped: μ = 1e-6·max diag(M)·100^k, then μ/10 after a damped step', () => {
    // One trial per direction, c = 0.51: on V = (θ − 3)² (M = 2) the step with μ is accepted when
    // M/(M + μ) < 0.98, i.e. from μ = 1e-6·2·100³ = 2 (k = 4). The next step starts at μ/10 = 0.2
    // (accepted), the one after at 0.02 (rejected), then 0.02·100 = 2, and so on.
    const r = nails(linear, Float64Array.of(0), { c: 0.51, maxBacktracks: 1, maxIterations: 4 });
    const lambdas = r.history.map((h) => h.lambda);
    close(lambdas[0], 2);
    close(lambdas[1], 0.2);
    close(lambdas[2], 2);
    close(lambdas[3], 0.2);
    assert.deepEqual(
      r.history.map((h) => [h.accepted, h.alpha]),
      [
        [true, 1],
        [true, 1],
        [true, 1],
        [true, 1],
      ],
    );
    // θ: 0 → 1.5 (Δ = 6/4) → 1.5 + 3/2.2 → …
    close(r.history[0]!.stepNorm, 1.5);
    close(r.history[0]!.value, 2.25);
    close(r.history[1]!.stepNorm, 3 / 2.2);
    // Trials: 5 directions (μ = 0, 2e-6, 2e-4, 0.02, 2) in step 1, 1 in step 2, 2 in step 3, 1 in step 4.
    assert.equal(r.simulations, 5 + 1 + 2 + 1);
  });

  it('a singular M takes the smallest damping 1e-12·max diag(M)·10^k that factorises', () => {
    // r = θ₀ − 3 with θ₁ unused: M = diag(2, 0) does not factorise; M + 2e-12·I does.
    const p = residualProblem(
      new Residuals(1, 2, (t, r, J) => {
        r[0] = t[0]! - 3;
        if (J) J.set([1, 0]);
      }),
    );
    const r = nails(p, Float64Array.of(0, 5), { maxIterations: 1 });
    close(r.history[0]!.lambda, 2e-12);
    close(r.z[0], 3 * (2 / (2 + 2e-12)));
    assert.equal(r.z[1], 5);
  });

  it('no acceptable step along any of the 7 directions: stalled (line search), α the last trial', () => {
    // V is finite only at the start: every trial is rejected.
    const p = residualProblem(
      new Residuals(1, 1, (t, r, J) => {
        r[0] = t[0] === 0 ? -3 : NaN;
        if (J) J[0] = 1;
      }),
    );
    const r = nails(p, Float64Array.of(0), { maxBacktracks: 2, beta: 0.5 });
    assert.equal(r.status, 'stalled');
    assert.equal(r.stopTest, 'line-search');
    assert.equal(r.iterations, 1);
    assert.equal(r.simulations, 7 * 2);
    assert.equal(r.sensitivities, 1);
    const h = r.history[0]!;
    assert.equal(h.accepted, false);
    assert.equal(h.alpha, 0.25);
    assert.equal(h.value, 9);
    assert.ok(Number.isNaN(h.stepNorm));
    assert.deepEqual([...r.z], [0]);
    assert.equal(r.value, 9);
  });
});

/** NAILM on a scalar residual, worked independently: D = diag(M) = M = 2J². */
function nailmByHand(
  r: (t: number) => number,
  dr: (t: number) => number,
  t0: number,
  lambda0: number,
  eta: number,
  steps: number,
): { lambda: number; accepted: boolean; value: number; rho: number }[] {
  let t = t0;
  let lambda = lambda0;
  let nu = 2;
  const out = [];
  for (let k = 0; k < steps; k++) {
    const v = r(t) ** 2;
    const g = 2 * r(t) * dr(t);
    const M = 2 * dr(t) ** 2;
    const delta = -g / (M + lambda * M);
    const vt = r(t + delta) ** 2;
    const pred = -g * delta - 0.5 * M * delta * delta;
    const rho = (v - vt) / pred;
    if (Number.isFinite(vt) && pred > 0 && rho > eta) {
      t += delta;
      lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
      nu = 2;
      out.push({ lambda, accepted: true, value: vt, rho });
    } else {
      lambda *= nu;
      nu *= 2;
      out.push({ lambda, accepted: false, value: v, rho });
    }
  }
  return out;
}

describe('NAILM damping (Nielsen)', () => {
  const scalar = (r: (t: number) => number, dr: (t: number) => number) =>
    residualProblem(
      new Residuals(1, 1, (t, out, J) => {
        out[0] = r(t[0]!);
        if (J) J[0] = dr(t[0]!);
      }),
    );
  // r = θ² − 2 from θ = 0.1, λ₀ = 1e-3: the first five Gauss–Newton steps overshoot (rejected:
  // λ ← νλ, ν ← 2ν: ×2, ×4, ×8, ×16, ×32), then accepted ones with ϱ > 1 (λ ← λ/3).
  const sq = (t: number) => t * t - 2;
  const dsq = (t: number) => 2 * t;
  // r = eˣ − 2 from θ = 2, λ₀ = 1: accepted steps with ϱ = 0.88, 0.90, 0.93, … (λ ← λ·(1 − (2ϱ − 1)³)).
  const ex = (t: number) => Math.exp(t) - 2;

  it('λ after every step equals the rule worked by hand: rejections (νλ, ν doubling), then λ/3', () => {
    const res = nailm(scalar(sq, dsq), Float64Array.of(0.1), {
      lambda0: 1e-3,
      maxIterations: 9,
      gtol: 1e-14,
    });
    const hand = nailmByHand(sq, dsq, 0.1, 1e-3, 1e-3, 9);
    assert.deepEqual(
      hand.map((h) => h.accepted),
      [false, false, false, false, false, true, true, true, true],
    );
    assert.deepEqual(
      res.history.map((h) => h.accepted),
      hand.map((h) => h.accepted),
    );
    close(res.history[4]!.lambda, 1e-3 * 2 * 4 * 8 * 16 * 32);
    res.history.forEach((h, k) => {
      close(h.lambda, hand[k]!.lambda, 1e-9);
      close(h.value, hand[k]!.value, 1e-9);
    });
    close(res.lambda, hand.at(-1)!.lambda, 1e-9);
  });

  it('λ after accepted steps with 1/2 < ϱ < 1 follows 1 − (2ϱ − 1)³', () => {
    const res = nailm(scalar(ex, Math.exp), Float64Array.of(2), { lambda0: 1, maxIterations: 6 });
    const hand = nailmByHand(ex, Math.exp, 2, 1, 1e-3, 6);
    assert.ok(hand.every((h) => h.accepted));
    assert.ok(hand[0]!.rho > 0.85 && hand[0]!.rho < 0.9, `${hand[0]!.rho}`);
    close(hand[0]!.lambda, 1 - (2 * hand[0]!.rho - 1) ** 3);
    res.history.forEach((h, k) => {
      assert.equal(h.accepted, true);
      close(h.lambda, hand[k]!.lambda, 1e-9);
      close(h.value, hand[k]!.value, 1e-9);
    });
  });

  it('the acceptance threshold η: a step with ϱ below it is rejected', () => {
    const strict = nailmByHand(ex, Math.exp, 2, 1, 0.9, 6);
    assert.equal(strict[0]!.accepted, false);
    assert.ok(strict.some((h) => h.accepted));
    const res = nailm(scalar(ex, Math.exp), Float64Array.of(2), {
      lambda0: 1,
      eta: 0.9,
      maxIterations: 6,
    });
    res.history.forEach((h, k) => {
      assert.equal(h.accepted, strict[k]!.accepted, `step ${k + 1}`);
      close(h.lambda, strict[k]!.lambda, 1e-9);
    });
  });

  it('λ₀ = τ with Marquardt scaling, τ·max diag(M) with D = I', () => {
    assert.deepEqual(NAILM_TAU, { diagonal: 1, identity: 1e-3 });
    // Linear r = θ − 3 (M = 2): ϱ = 1 exactly, so λ₁ = λ₀/3.
    const d = nailm(linear, Float64Array.of(0), { maxIterations: 1 });
    close(d.history[0]!.lambda, 1 / 3);
    assert.equal(d.history[0]!.stepNorm, 1.5); // Δ = 6/(2 + 1·2)
    const t = nailm(linear, Float64Array.of(0), { maxIterations: 1, tau: 4 });
    close(t.history[0]!.lambda, 4 / 3);
    const i = nailm(linear, Float64Array.of(0), { maxIterations: 1, scaling: 'identity' });
    close(i.history[0]!.lambda, (1e-3 * 2) / 3);
    close(i.history[0]!.stepNorm, 6 / (2 + 2e-3));
    const ti = nailm(linear, Float64Array.of(0), {
      maxIterations: 1,
      scaling: 'identity',
      tau: 0.5,
    });
    close(ti.history[0]!.lambda, 1 / 3);
    const l0 = nailm(linear, Float64Array.of(0), { maxIterations: 1, lambda0: 3 });
    close(l0.history[0]!.lambda, 1);
    close(l0.history[0]!.stepNorm, 0.75);
    assert.equal(l0.lambda, l0.history[0]!.lambda);
  });

  it('λ above its cap without an acceptable step stalls (damping cap): 1e16, or 1e16·max diag(M) with D = I', () => {
    // V is finite only at the start: every trial is rejected, λ_k = λ₀·2^{k(k+1)/2}.
    const bad = (J0: number) =>
      residualProblem(
        new Residuals(1, 1, (t, out, J) => {
          out[0] = t[0] === 0 ? -3 : NaN;
          if (J) J[0] = J0;
        }),
      );
    // D = diag(M), J = 1000 (M = 2e6): λ₀ = 1, the cap 1e16 whatever M: 2^45 ≤ 1e16 < 2^55.
    const d = nailm(bad(1000), Float64Array.of(0), { maxIterations: 100, ftol: 0 });
    assert.equal(d.status, 'stalled');
    assert.equal(d.stopTest, 'damping-cap');
    assert.equal(d.iterations, 10);
    assert.equal(d.lambda, 2 ** 55);
    assert.equal(d.history[0]!.lambda, 2);
    assert.equal(d.simulations, 10);
    assert.equal(d.sensitivities, 1);
    close(d.history[0]!.stepNorm, 1.5e-3); // Δ = 6000/(2e6 + 1·2e6)
    // D = I, J = 1000 (M = 2e6): λ₀ = 2e3, cap 2e22: 2e3·2^55 ≤ 2e22 < 2e3·2^66.
    const i = nailm(bad(1000), Float64Array.of(0), {
      maxIterations: 100,
      ftol: 0,
      scaling: 'identity',
    });
    assert.equal(i.stopTest, 'damping-cap');
    assert.equal(i.iterations, 11);
    close(i.lambda, 2e3 * 2 ** 66);
    assert.match(i.message, /^stalled: the damping reached its cap/);
  });
});

/** A random SPD block-arrow system (nθ, E experiments of nx) and its dense M and ∇V. */
function randomSystem(rng: Random, nt: number, nx: number, E: number) {
  const n = nt + E * nx;
  const m = n + 3;
  // M = AᵀA/m with A's x0 columns of experiment j nonzero only in its own rows (block-arrow).
  const A = new Float64Array(m * E * n);
  for (let j = 0; j < E; j++)
    for (let r = 0; r < m; r++) {
      const row = (j * m + r) * n;
      for (let c = 0; c < nt; c++) A[row + c] = rng.normal();
      for (let c = 0; c < nx; c++) A[row + nt + j * nx + c] = rng.normal();
    }
  const M = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let r = 0; r < m * E; r++) s += A[r * n + a]! * A[r * n + b]!;
      M[a * n + b] = s / m;
    }
  const g = rng.fillNormal(new Float64Array(n));
  const sys: GaussNewtonSystem = {
    value: 1,
    finite: true,
    nTheta: nt,
    nx,
    gTheta: g.slice(0, nt),
    Mtt: new Float64Array(nt * nt),
    gX: [],
    Mtx: [],
    Mxx: [],
  };
  for (let a = 0; a < nt; a++) for (let b = 0; b < nt; b++) sys.Mtt[a * nt + b] = M[a * n + b]!;
  for (let j = 0; j < E; j++) {
    const o = nt + j * nx;
    sys.gX.push(g.slice(o, o + nx));
    const Mtx = new Float64Array(nt * nx);
    for (let a = 0; a < nt; a++) for (let i = 0; i < nx; i++) Mtx[a * nx + i] = M[a * n + o + i]!;
    sys.Mtx.push(Mtx);
    const Mxx = new Float64Array(nx * nx);
    for (let i = 0; i < nx; i++)
      for (let k = 0; k < nx; k++) Mxx[i * nx + k] = M[(o + i) * n + o + k]!;
    sys.Mxx.push(Mxx);
  }
  return { sys, M, g, n };
}

function denseSolve(M: Float64Array, g: Float64Array, n: number, D: Float64Array, lambda: number) {
  const K = Float64Array.from(M);
  for (let a = 0; a < n; a++) K[a * n + a] = K[a * n + a]! + lambda * D[a]!;
  assert.ok(choleskyInPlace(K, n));
  const d = g.map((v) => -v);
  choleskySolveInPlace(K, n, d);
  return d;
}

describe('both Gauss–Newton methods', () => {
  it('name themselves and check the problem first', () => {
    assert.equal(nails(linear, Float64Array.of(0)).method, 'NAILS');
    assert.equal(nailm(linear, Float64Array.of(0)).method, 'NAILM');
    const wrong = { ...linear, model: new Residuals(2, 1, () => {}) };
    for (const solver of [nails, nailm])
      assert.throws(
        () => solver(wrong, Float64Array.of(0)),
        /^NailsError: the data have nu=1, ny=1 but the model has nu=1, ny=2$/,
      );
  });

  it('a NaN derivative at a finite V (M not factorisable at any damping) stalls instead of looping', () => {
    const p = residualProblem(
      new Residuals(1, 1, (t, r, J) => {
        r[0] = t[0]! - 3;
        if (J) J[0] = NaN;
      }),
    );
    const s = nails(p, Float64Array.of(0), { maxIterations: 5 });
    assert.equal(s.status, 'stalled');
    assert.equal(s.stopTest, 'line-search');
    assert.equal(s.iterations, 1);
    assert.equal(s.simulations, 0);
    const m = nailm(p, Float64Array.of(0), { maxIterations: 50 });
    assert.equal(m.stopTest, 'damping-cap');
    assert.equal(m.simulations, 0);
  });

  it('NAILM with D = I starts from λ₀ = τ·max diag(M), the diagonal of the x0 blocks included', () => {
    // ŷ = C x with C = (5, 5), A = 0.5 I, B small, x0 = 0: the x0 columns dominate M.
    const model = linearModel({ nx: 2, nu: 1, ny: 1 });
    const rng = new Random(8);
    const p: Problem = {
      model,
      experiments: [
        makeExperiment({
          u: rng.fillNormal(new Float64Array(30)).map((v) => 0.01 * v),
          y: rng.fillNormal(new Float64Array(30)),
        }),
      ],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const z = Float64Array.of(0.5, 0, 0, 0.5, 0.01, 0.01, 5, 5, 0, 0);
    const M = denseMatrix(accumulateGaussNewton(p, z));
    const n = z.length;
    const diag = Array.from({ length: n }, (_, a) => M[a * n + a]!);
    const max = Math.max(...diag);
    assert.ok(max > 2 * Math.max(...diag.slice(0, model.nTheta)), 'the max is in the x0 block');
    close(nailm(p, z, { maxIterations: 0, scaling: 'identity' }).lambda, 1e-3 * max);
    close(nailm(p, z, { maxIterations: 0, scaling: 'identity', tau: 2 }).lambda, 2 * max);
    assert.equal(nailm(p, z, { maxIterations: 0 }).lambda, 1);
  });
});

describe('block-arrow solve against a dense solve', () => {
  const rng = new Random(2024);
  const shapes: [number, number, number][] = [
    [5, 3, 4],
    [7, 2, 1],
    [3, 4, 3],
    [6, 1, 2],
  ];
  for (const [nt, nx, E] of shapes)
    for (const scaling of ['identity', 'diagonal'] as DampingScaling[])
      it(`nθ = ${nt}, nx = ${nx}, E = ${E}, D = ${scaling}`, () => {
        const { sys, M, g, n } = randomSystem(rng, nt, nx, E);
        assertClose(denseMatrix(sys), M, 0, 0, 'blocks');
        assertClose(gradientVector(sys), g, 0, 0, 'gradient');
        for (const lambda of [0, 0.01, 3]) {
          const D = new Float64Array(n).map((_, a) => (scaling === 'identity' ? 1 : M[a * n + a]!));
          const want = denseSolve(M, g, n, D, lambda);
          const delta = new Float64Array(n).fill(NaN);
          assert.ok(solveDamped(sys, lambda, scaling, delta));
          assertClose(delta, want, 1e-9, 1e-12, `Δ at λ = ${lambda}`);
          // ∇VᵀΔ and q(0) − q(Δ) = −∇VᵀΔ − ½ΔᵀMΔ, dense.
          let gd = 0;
          let quad = 0;
          for (let a = 0; a < n; a++) {
            gd += g[a]! * delta[a]!;
            for (let b = 0; b < n; b++) quad += delta[a]! * M[a * n + b]! * delta[b]!;
          }
          close(directionalDerivative(sys, delta), gd, 1e-12);
          close(predictedDecrease(sys, delta), -gd - 0.5 * quad, 1e-12);
          // At λ = 0, Δ is the Newton step of the quadratic: q(0) − q(Δ) = −½∇VᵀΔ.
          if (lambda === 0) close(predictedDecrease(sys, delta), -0.5 * gd, 1e-9);
        }
        // The predicted decrease of an arbitrary Δ (not the solve's).
        const x = rng.fillNormal(new Float64Array(n));
        let gd = 0;
        let quad = 0;
        for (let a = 0; a < n; a++) {
          gd += g[a]! * x[a]!;
          for (let b = 0; b < n; b++) quad += x[a]! * M[a * n + b]! * x[b]!;
        }
        close(predictedDecrease(sys, x), -gd - 0.5 * quad, 1e-12);
        close(directionalDerivative(sys, x), gd, 1e-12);
      });

  it('Marquardt scaling floors D at diagFloor', () => {
    const { sys, M, g, n } = randomSystem(rng, 4, 2, 2);
    const floor = 0.9;
    const D = new Float64Array(n).map((_, a) => Math.max(M[a * n + a]!, floor));
    assert.ok(D.some((d, a) => d !== M[a * n + a]) && D.some((d, a) => d === M[a * n + a]));
    const delta = new Float64Array(n);
    assert.ok(solveDamped(sys, 0.5, 'diagonal', delta, floor));
    assertClose(delta, denseSolve(M, g, n, D, 0.5), 1e-9, 1e-12, 'Δ');
  });

  it('fails (false) on an indefinite initial-state block, an indefinite Schur complement, or a non-finite Δ', () => {
    const a = randomSystem(rng, 3, 2, 2);
    a.sys.Mxx[1]![0] = -5;
    assert.equal(solveDamped(a.sys, 0, 'identity', new Float64Array(a.n)), false);
    assert.equal(solveDamped(a.sys, 10, 'identity', new Float64Array(a.n)), true);
    const b = randomSystem(rng, 3, 2, 2);
    b.sys.Mtt[4] = -5;
    assert.equal(solveDamped(b.sys, 0, 'identity', new Float64Array(b.n)), false);
    const c = randomSystem(rng, 3, 2, 2);
    c.sys.gX[0]![1] = NaN;
    assert.equal(solveDamped(c.sys, 0, 'identity', new Float64Array(c.n)), false);
  });
});
