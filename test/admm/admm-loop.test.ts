/**
 * The ADMM outer loop against an independent reference: on ŷ = D u with squared error, the
 * z-update argmin V(z) + (ρ/2)‖z_I − ν + w‖² is a 2 × 2 linear solve, so every iterate, residual,
 * ρ_A and stopping decision of ALGORITHM.md §5 can be recomputed exactly. Then the options (inner
 * steps, NAILM damping carried over, cancellation, polishing) and the errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admm, polish, termsValue, type AdmmRecord } from '../../src/core/admm/admm';
import { resolveTerms, type TermConfig } from '../../src/core/admm/terms';
import { makeExperiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import { makeLoss } from '../../src/core/losses';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { nailm } from '../../src/core/solver/nailm';
import { nails } from '../../src/core/solver/nails';
import { evaluateV, packZ, type Problem } from '../../src/core/solver/problem';

// ŷ = d1 u1 + d2 u2, V(d) = (1/N) Σ (y − ŷ)² = dᵀHd − 2gᵀd + c.
const rng = new Random(11);
const N = 40;
const u = rng.fillNormal(new Float64Array(2 * N));
const y = Float64Array.from(
  { length: N },
  (_, k) => 1.5 * u[2 * k]! - 0.2 * u[2 * k + 1]! + 0.1 * rng.normal(),
);
const p: Problem = {
  model: feedforwardModel({ nu: 2, ny: 1, hidden: [], linear: true }),
  experiments: [makeExperiment({ u, nu: 2, y })],
  loss: makeLoss({ name: 'mse' }),
  rhoTheta: 0,
  rhoX0: 0,
  trainX0: false,
};
const H = [0, 0, 0];
const g = [0, 0];
for (let k = 0; k < N; k++) {
  const a = u[2 * k]!;
  const b = u[2 * k + 1]!;
  H[0]! += (a * a) / N;
  H[1]! += (a * b) / N;
  H[2]! += (b * b) / N;
  g[0]! += (a * y[k]!) / N;
  g[1]! += (b * y[k]!) / N;
}
const V = (d: number[]) => evaluateV(p, Float64Array.from(d));
const hypot = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

interface RefRecord {
  rho: number;
  z: number[];
  nu: number[];
  primal: number;
  dual: number;
  converged: boolean;
}
/**
 * ADMM as ALGORITHM.md §5 states it, on the index set I ⊆ {0, 1} with the prox of G/ρ on ν.
 * z-update: (2H + ρ P_I) d = 2g + ρ P_I (ν − w).
 */
function reference(o: {
  I: number[];
  prox: (v: number[], rho: number) => number[];
  z0: number[];
  rho: number;
  growth?: number;
  iterations: number;
  epsAbs: number;
  epsRel: number;
}): RefRecord[] {
  const { I } = o;
  let rho = o.rho;
  const growth = o.growth ?? 1;
  let nu = o.prox(
    I.map((i) => o.z0[i]!),
    rho,
  );
  let w = I.map(() => 0);
  const out: RefRecord[] = [];
  for (let it = 1; it <= o.iterations; it++) {
    const P = [0, 0];
    const c = [0, 0];
    I.forEach((i, k) => {
      P[i] = rho;
      c[i] = nu[k]! - w[k]!;
    });
    const a11 = 2 * H[0]! + P[0]!;
    const a12 = 2 * H[1]!;
    const a22 = 2 * H[2]! + P[1]!;
    const b1 = 2 * g[0]! + P[0]! * c[0]!;
    const b2 = 2 * g[1]! + P[1]! * c[1]!;
    const det = a11 * a22 - a12 * a12;
    const z = [(b1 * a22 - a12 * b2) / det, (a11 * b2 - a12 * b1) / det];
    const zI = I.map((i) => z[i]!);
    const prev = nu;
    nu = o.prox(
      zI.map((x, k) => x + w[k]!),
      rho,
    );
    w = w.map((x, k) => x + zI[k]! - nu[k]!);
    const primal = hypot(zI.map((x, k) => x - nu[k]!));
    const dual = rho * hypot(nu.map((x, k) => x - prev[k]!));
    const n = I.length;
    const tolP = o.epsAbs * Math.sqrt(n) + o.epsRel * Math.max(hypot(zI), hypot(nu));
    const tolD = o.epsAbs * Math.sqrt(n) + o.epsRel * rho * hypot(w);
    const converged = primal <= tolP && dual <= tolD && it > 1;
    out.push({ rho, z, nu, primal, dual, converged });
    if (converged) break;
    rho *= growth;
    w = w.map((x) => x / growth);
  }
  return out;
}
/** Block soft threshold of the whole vector at τ/ρ. */
const groupProx = (tau: number) => (v: number[], rho: number) => {
  const n = hypot(v);
  const f = n > tau / rho ? 1 - tau / rho / n : 0;
  return v.map((x) => x * f);
};
const close = (a: number, b: number, what: string, tol = 1e-10) =>
  assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${what}: ${a} vs ${b}`);

function compare(
  history: AdmmRecord[],
  ref: RefRecord[],
  I: number[],
  g: (nu: number[]) => number,
) {
  assert.equal(history.length, ref.length, 'iterations');
  ref.forEach((q, k) => {
    const h = history[k]!;
    const at = `iteration ${k + 1}`;
    assert.equal(h.iteration, k + 1);
    close(h.rho, q.rho, `${at} ρ`, 1e-15);
    close(h.primal, q.primal, `${at} primal`, 1e-8);
    close(h.dual, q.dual, `${at} dual`, 1e-8);
    close(h.value, V(q.z), `${at} V(z)`);
    const zn = [...q.z];
    I.forEach((i, j) => (zn[i] = q.nu[j]!));
    close(h.valueAtNu, V(zn), `${at} V at ν`);
    close(h.objective, V(zn) + g(q.nu), `${at} V + G at ν`);
    assert.equal('lambda' in h, false, 'no damping with NAILS');
  });
}

describe('ADMM iterates, residuals and stopping against the reference', () => {
  const tau = 1.5;
  const gl: TermConfig[] = [{ kind: 'group-lasso', tau, groups: [{ name: 'd', blocks: ['D'] }] }];
  const G = (nu: number[]) => tau * hypot(nu);
  const z0 = [0.4, 0.3];

  // Each setting stops at an iteration that a wrong tolerance (√n ↔ 1/√n, ρ‖w‖ ↔ ‖w‖/ρ, a
  // relative term that subtracts, ‖·‖ ↔ 1/‖·‖, or either residual alone) would change.
  for (const [rho, epsAbs, epsRel] of [
    [0.3, 1e-5, 0],
    [0.3, 0, 1e-4],
    [3, 1e-5, 0],
    [3, 0, 1e-4],
    [1, 1e-5, 1e-4],
    [0.3, 1e-6, 1e-3],
    [0.1, 0, 0.05], // max(‖z_I‖, ‖ν‖), not the min
  ] as const) {
    it(`group-Lasso, ρ = ${rho}, ε_abs = ${epsAbs}, ε_rel = ${epsRel}: converged at the reference's iteration`, () => {
      const ref = reference({
        I: [0, 1],
        prox: groupProx(tau),
        z0,
        rho,
        iterations: 200,
        epsAbs,
        epsRel,
      });
      assert.ok(ref.at(-1)!.converged);
      const r = admm(p, Float64Array.from(z0), gl, {
        method: 'nails',
        rho,
        iterations: 200,
        epsAbs,
        epsRel,
        polish: false,
      });
      assert.equal(r.status, 'converged');
      assert.equal(r.stopTest, 'admm-residuals');
      assert.equal(r.message, 'converged: ADMM primal and dual residuals below tolerance');
      assert.equal(r.iterations, ref.length);
      assert.equal(r.method, 'ADMM + NAILS');
      compare(r.history, ref, [0, 1], G);
      // The result is z with z_I = ν.
      const nu = ref.at(-1)!.nu;
      close(r.z[0]!, nu[0]!, 'z[0] = ν[0]', 1e-9);
      close(r.z[1]!, nu[1]!, 'z[1] = ν[1]', 1e-9);
      close(r.value, V([...r.z]), 'value');
      close(r.objective, V([...r.z]) + G([...r.z]), 'objective');
      assert.equal(r.polished, undefined);
      assert.equal(r.terms.length, 1);
      assert.equal(r.terms[0]!.config.kind, 'group-lasso');
    });
  }

  it('ρ_A grows by rhoGrowth each iteration and w is rescaled (budget stop)', () => {
    const ref = reference({
      I: [0, 1],
      prox: groupProx(tau),
      z0,
      rho: 0.5,
      growth: 1.3,
      iterations: 8,
      epsAbs: 0,
      epsRel: 0,
    });
    const seen: AdmmRecord[] = [];
    const t0 = performance.now();
    const r = admm(p, Float64Array.from(z0), gl, {
      method: 'nails',
      rho: 0.5,
      rhoGrowth: 1.3,
      iterations: 8,
      epsAbs: 0,
      epsRel: 0,
      polish: false,
      onIteration: (rec) => seen.push(rec),
    });
    assert.equal(r.status, 'budget');
    assert.equal(r.stopTest, 'iterations');
    assert.equal(r.message, 'budget: the ADMM iteration budget was used');
    assert.equal(r.iterations, 8);
    compare(r.history, ref, [0, 1], G);
    assert.deepEqual(seen, r.history);
    const wall = (performance.now() - t0) / 1000;
    assert.ok(r.elapsed >= r.history.at(-1)!.elapsed && r.elapsed <= wall, `elapsed ${r.elapsed}`);
    r.history.forEach((h, k) => {
      assert.ok(h.elapsed >= 0 && h.elapsed <= wall, `elapsed ${h.elapsed}`);
      if (k > 0) assert.ok(h.elapsed >= r.history[k - 1]!.elapsed);
    });
  });

  it('a term on d1 only (quantised levels): I = {0}, d2 is left to the smooth solve', () => {
    const levels = [-0.5, 0.5, 1, 1.25];
    const q = (x: number) =>
      levels.reduce((best, l) => (Math.abs(l - x) < Math.abs(best - x) ? l : best), levels[0]!);
    const ref = reference({
      I: [0],
      prox: (v) => [q(v[0]!)],
      z0: [2, -1],
      rho: 0.7,
      growth: 1.1,
      iterations: 6,
      epsAbs: 0,
      epsRel: 0,
    });
    const r = admm(
      p,
      Float64Array.of(2, -1),
      [{ kind: 'mixed-integer', discrete: [0], levels, blocks: ['D'] }],
      { method: 'nails', rho: 0.7, rhoGrowth: 1.1, iterations: 6, polish: false },
    );
    compare(r.history, ref, [0], () => 0);
    assert.equal(r.z[0], ref.at(-1)!.nu[0]);
    close(r.z[1]!, ref.at(-1)!.z[1]!, 'd2 = the smooth solve', 1e-9);
  });

  it('the residual test is not taken after the first iteration (ν₀ is only the projected start)', () => {
    const r = admm(p, Float64Array.from(z0), gl, {
      method: 'nails',
      rho: 1,
      epsAbs: 10,
      polish: false,
    });
    assert.equal(r.status, 'converged');
    assert.equal(r.iterations, 2);
  });

  it('a converged point with a constant output is converged, not degenerate (no degeneracy check)', () => {
    // τ large: ν = 0, so ŷ = 0 at the returned point.
    const r = admm(
      p,
      Float64Array.from(z0),
      [{ kind: 'group-lasso', tau: 100, groups: [{ name: 'd', blocks: ['D'] }] }],
      { method: 'nails', rho: 1, epsAbs: 1e-3, polish: false },
    );
    assert.ok(
      r.z.every((x) => x === 0),
      [...r.z].join(', '),
    );
    assert.equal(r.status, 'converged');
    assert.equal(r.stopTest, 'admm-residuals');
  });

  it('the default tolerances are ε_abs = 1e-6, ε_rel = 1e-4', () => {
    for (const rho of [0.3, 3]) {
      const ref = reference({
        I: [0, 1],
        prox: groupProx(tau),
        z0,
        rho,
        iterations: 200,
        epsAbs: 1e-6,
        epsRel: 1e-4,
      });
      const r = admm(p, Float64Array.from(z0), gl, { method: 'nails', rho, polish: false });
      assert.equal(r.status, 'converged');
      assert.equal(r.iterations, ref.length);
    }
  });

  it('the default ρ_A is 0.1 and the default budget 100 iterations', () => {
    const r = admm(p, Float64Array.from(z0), gl, {
      method: 'nails',
      epsAbs: 0,
      epsRel: 0,
      polish: false,
      inner: 1,
    });
    assert.equal(r.history[0]!.rho, 0.1);
    assert.equal(r.history.at(-1)!.rho, 0.1);
    assert.equal(r.iterations, 100);
    assert.equal(r.status, 'budget');
  });
});

/** Three ADMM iterations (group-Lasso τ = 1.5 on D) by hand with NAILM as the z-update. */
function nailmByHand(rho: number, inner: number, chunk?: number) {
  const prox = groupProx(1.5);
  const I = Int32Array.of(0, 1);
  let z = Float64Array.of(0.4, 0.3);
  let nu = prox([...z], rho);
  let w = [0, 0];
  let lambda: number | undefined;
  const out: { z: Float64Array; lambda: number; primal: number }[] = [];
  for (let it = 0; it < 3; it++) {
    const center = Float64Array.from(nu, (x, k) => x - w[k]!);
    const r = nailm(
      { ...p, quadratic: { index: I, weight: rho, center } },
      z,
      {
        maxIterations: inner,
        ...(chunk ? { chunk } : {}),
        ftol: 0,
        xtol: 0,
        gtol: 0,
        ...(lambda !== undefined ? { lambda0: lambda } : {}),
      },
      { checkDegenerate: false },
    );
    z = Float64Array.from(r.z);
    lambda = r.lambda;
    nu = prox(
      [...z].map((x, k) => x + w[k]!),
      rho,
    );
    w = w.map((x, k) => x + z[k]! - nu[k]!);
    out.push({ z, lambda, primal: hypot([...z].map((x, k) => x - nu[k]!)) });
  }
  return out;
}

describe('NAILM inside ADMM: inner steps and the damping carried from one iteration to the next', () => {
  const tau = 1.5;
  const gl: TermConfig[] = [{ kind: 'group-lasso', tau, groups: [{ name: 'd', blocks: ['D'] }] }];
  for (const inner of [undefined, 1, 2]) {
    it(`inner = ${inner ?? 'default (3)'}: the same iterates and λ as NAILM by hand`, () => {
      const ref = nailmByHand(0.8, inner ?? 3);
      const r = admm(p, Float64Array.of(0.4, 0.3), gl, {
        method: 'nailm',
        rho: 0.8,
        iterations: 3,
        ...(inner !== undefined ? { inner } : {}),
        polish: false,
      });
      assert.equal(r.method, 'ADMM + NAILM');
      assert.equal(r.history.length, 3);
      ref.forEach((q, k) => {
        const h = r.history[k]!;
        assert.equal(h.lambda, q.lambda, `λ at iteration ${k + 1}`);
        close(h.value, V([...q.z]), `V(z) at iteration ${k + 1}`, 1e-12);
        close(h.primal, q.primal, `primal at iteration ${k + 1}`, 1e-9);
      });
      // λ is carried over: it keeps changing from one ADMM iteration to the next.
      assert.notEqual(r.history[0]!.lambda, r.history[1]!.lambda);
    });
  }
});

describe('chunk reaches the smooth solver', () => {
  it('the iterates are those of NAILM with the same chunk, bit for bit', () => {
    const gl: TermConfig[] = [
      { kind: 'group-lasso', tau: 1.5, groups: [{ name: 'd', blocks: ['D'] }] },
    ];
    const run = (chunk?: number) =>
      admm(p, Float64Array.of(0.4, 0.3), gl, {
        method: 'nailm',
        rho: 0.8,
        iterations: 3,
        polish: false,
        ...(chunk ? { chunk } : {}),
      }).history.map((h) => h.value);
    const values = (chunk?: number) => nailmByHand(0.8, 3, chunk).map((q) => V([...q.z]));
    assert.deepEqual(run(7), values(7));
    assert.deepEqual(run(), values());
    // Summing in chunks of 7 samples rounds differently from one chunk of 40.
    assert.notDeepEqual(values(7), values());
  });
});

describe('cancellation, divergence, polishing and the errors', () => {
  const tau = 1.5;
  const gl: TermConfig[] = [{ kind: 'group-lasso', tau, groups: [{ name: 'd', blocks: ['D'] }] }];

  it('shouldStop during an inner solve cancels at once: no iteration recorded, no polishing', () => {
    for (const method of ['nails', 'nailm'] as const) {
      let calls = 0;
      const r = admm(p, Float64Array.of(0.4, 0.3), gl, {
        method,
        rho: 1,
        iterations: 10,
        shouldStop: () => ++calls >= 2, // the outer check passes, the inner solver's first check stops
      });
      assert.equal(r.status, 'cancelled', method);
      assert.equal(r.stopTest, 'cancel');
      assert.equal(r.history.length, 0, `${method}: cancelled inside the first iteration`);
      assert.equal(r.polished, undefined);
      // z is the projection of the start.
      const nu = groupProx(tau)([0.4, 0.3], 1);
      assert.deepEqual([...r.z], nu);
    }
  });

  it('shouldStop between iterations: the iterations done are kept', () => {
    let calls = 0;
    let stopAt = Infinity;
    const r = admm(p, Float64Array.of(0.4, 0.3), gl, {
      method: 'nails',
      rho: 1,
      iterations: 10,
      onIteration: (rec) => {
        if (rec.iteration === 2) stopAt = calls + 1;
      },
      shouldStop: () => ++calls >= stopAt,
    });
    assert.equal(r.status, 'cancelled');
    assert.equal(r.history.length, 2);
    assert.equal(r.polished, undefined);
  });

  it('shouldStop is asked before every iteration, then by the smooth solver', () => {
    // With one inner step the calls alternate: before iteration 1, inside it, before iteration 2, …
    let calls = 0;
    const r = admm(p, Float64Array.of(0.4, 0.3), gl, {
      method: 'nails',
      rho: 1,
      inner: 1,
      iterations: 10,
      shouldStop: () => ++calls === 3,
    });
    assert.equal(r.status, 'cancelled');
    assert.equal(r.history.length, 1);
  });

  it('a start that does not simulate: diverged, z is the start (not projected), no polishing', () => {
    // x⁺ = a x + b u with a = 1.5 grows without bound over 2000 samples.
    const m = linearModel({ nx: 1, nu: 1, ny: 1 });
    const uu = new Random(5).fillNormal(new Float64Array(2000));
    const pd: Problem = {
      model: m,
      experiments: [makeExperiment({ u: uu, y: uu })],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const z0 = packZ(pd, Float64Array.of(1.5, 1, 1), Float64Array.of(0.1));
    assert.equal(evaluateV(pd, z0), Infinity);
    // The projection (A → 0) would simulate: the start is judged before projecting.
    const r = admm(pd, z0, [{ kind: 'l0-budget', k: 0, blocks: ['A'] }], { method: 'nails' });
    assert.equal(r.status, 'diverged');
    assert.equal(r.stopTest, 'start-not-finite');
    assert.deepEqual([...r.z], [...z0]);
    assert.notEqual(r.z, z0, 'a copy');
    assert.equal(r.value, Infinity);
    assert.equal(r.polished, undefined);
    assert.equal(r.history.length, 0);
    assert.match(r.message, /^diverged: /);
  });

  it('a projected point that does not simulate is returned unpolished', () => {
    // Levels {0.5, 3} for A; data from A = 0.9. With a tiny ρ_A the smooth iterate stays near 0.9
    // while w accumulates z − ν until ν jumps to 3 at iteration 4: x⁺ = 3x + u overflows.
    const m = linearModel({ nx: 1, nu: 1, ny: 1 });
    const uu = new Random(6).fillNormal(new Float64Array(2000));
    const yy = simulate(m, Float64Array.of(0.9, 1, 1), uu, 2000, [0]).y;
    const pd: Problem = {
      model: m,
      experiments: [makeExperiment({ u: uu, y: yy })],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 0,
      rhoX0: 0,
      trainX0: true,
    };
    const z0 = packZ(pd, Float64Array.of(0.5, 1, 1), Float64Array.of(0));
    const run = (iterations: number) =>
      admm(pd, z0, [{ kind: 'quantize', levels: [0.5, 3], blocks: ['A'] }], {
        method: 'nails',
        rho: 1e-3,
        iterations,
      });
    const r = run(4);
    assert.equal(r.status, 'budget');
    assert.equal(r.z[0], 3);
    assert.equal(r.value, Infinity);
    assert.equal(r.objective, Infinity);
    assert.equal(r.history.at(-1)!.valueAtNu, Infinity);
    assert.ok(Number.isFinite(r.history.at(-1)!.value), 'the smooth iterate simulates');
    assert.equal(r.polished, undefined);
    const r3 = run(3);
    assert.equal(r3.z[0], 0.5);
    assert.ok(r3.polished && Number.isFinite(r3.polished.value));
  });

  it('polish: false returns no polished point; polishing is on by default', () => {
    const o = { method: 'nails' as const, rho: 1, iterations: 3 };
    assert.equal(
      admm(p, Float64Array.of(0.4, 0.3), gl, { ...o, polish: false }).polished,
      undefined,
    );
    const r = admm(p, Float64Array.of(0.4, 0.3), gl, o);
    assert.ok(r.polished);
    assert.equal(r.polished.status, 'converged');
  });

  it('ρ_A and its growth are checked', () => {
    const bad = (o: object, message: string, subject: string) =>
      assert.throws(
        () => admm(p, Float64Array.of(0.4, 0.3), gl, { method: 'nails', ...o }),
        (e: unknown) => e instanceof NailsError && e.message === message && e.subject === subject,
      );
    bad({ rho: 0 }, 'ADMM rho must be positive, got 0', 'rho');
    bad({ rho: -1 }, 'ADMM rho must be positive, got -1', 'rho');
    bad({ rho: NaN }, 'ADMM rho must be positive, got NaN', 'rho');
    bad({ rhoGrowth: 0.9 }, 'ADMM rho growth must be ≥ 1, got 0.9', 'rhoGrowth');
    bad({ rhoGrowth: NaN }, 'ADMM rho growth must be ≥ 1, got NaN', 'rhoGrowth');
    // growth 1 is allowed (fixed ρ_A)
    assert.equal(
      admm(p, Float64Array.of(0.4, 0.3), gl, { method: 'nails', rhoGrowth: 1, iterations: 1 })
        .iterations,
      1,
    );
  });
});

describe('polish: fix the zeros and the sets, re-fit the rest', () => {
  // An RNN: nonlinear, so the re-fit moves the free entries.
  const m = rnnModel({ nx: 1, nu: 1, ny: 1, state: { hidden: [2] }, output: { hidden: [2] } });
  const rr = new Random(9);
  const uu = rr.fillNormal(new Float64Array(80));
  const yy = Float64Array.from(uu, (x, k) => Math.tanh(x + (k > 0 ? 0.5 * uu[k - 1]! : 0)));
  const pr: Problem = {
    model: m,
    experiments: [makeExperiment({ u: uu, y: yy })],
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
  };
  const z = packZ(pr, m.init(new Random(2)), Float64Array.of(0.1));
  z[0] = 0; // A: zero, under ℓ1 → fixed
  z[3] = 0; // state.W1[0,1]: zero, under ℓ1 → fixed
  const layout = { model: m, experiments: 1, trainX0: true };
  const terms = resolveTerms(layout, [
    { kind: 'l1', tau: 0.01, blocks: ['A', 'state.W1'] },
    { kind: 'bounds', lower: -5, upper: 5, blocks: ['C'] },
  ]);
  const fixed = new Uint8Array(z.length);
  for (const i of terms[0]!.indices) if (z[i] === 0) fixed[i] = 1;
  for (const i of terms[1]!.indices) fixed[i] = 1;

  for (const method of ['nails', 'nailm'] as const) {
    it(`${method}: the smooth solver on the free entries, the fixed ones exactly kept`, () => {
      const r = polish(pr, z, terms, { method, polishIterations: 4 });
      const solver = method === 'nailm' ? nailm : nails;
      const direct = solver({ ...pr, fixed }, z, { maxIterations: 4 });
      assert.deepEqual([...r.z], [...direct.z]);
      assert.equal(r.iterations, 4);
      assert.equal(r.status, direct.status);
      for (let i = 0; i < z.length; i++) if (fixed[i]) assert.equal(r.z[i], z[i], `entry ${i}`);
      assert.ok(
        [...r.z].some((x, i) => !fixed[i] && x !== z[i]),
        'free entries moved',
      );
      assert.equal(r.value, evaluateV(pr, r.z));
      assert.equal(r.objective, r.value + termsValue(terms, r.z));
      assert.ok(r.value < evaluateV(pr, z));
    });
  }

  it('chunk reaches the smooth solver', () => {
    const r = polish(pr, z, terms, { method: 'nails', polishIterations: 4, chunk: 7 });
    const direct = nails({ ...pr, fixed }, z, { maxIterations: 4, chunk: 7 });
    const unchunked = nails({ ...pr, fixed }, z, { maxIterations: 4 });
    assert.deepEqual([...r.z], [...direct.z]);
    assert.notDeepEqual([...direct.z], [...unchunked.z], 'chunks of 7 round differently');
  });

  it('the default budget is 100 iterations; shouldStop cancels', () => {
    const r = polish(pr, z, terms, { method: 'nails' });
    const direct = nails({ ...pr, fixed }, z, { maxIterations: 100 });
    assert.equal(r.iterations, direct.iterations);
    assert.deepEqual([...r.z], [...direct.z]);
    const c = polish(pr, z, terms, { method: 'nails', shouldStop: () => true });
    assert.equal(c.status, 'cancelled');
    assert.equal(c.iterations, 0);
  });
});
