import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment, type Experiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import { identifyLinear } from '../../src/core/linear/identify-linear';
import { normalizeStates } from '../../src/core/linear/normalize-states';
import { poMoesp } from '../../src/core/linear/po-moesp';
import { spectralRadius } from '../../src/core/linear/spectral-radius';
import { simulateLinear, type LinearStateSpace } from '../../src/core/linear/state-space';
import { frequencyResponse, markovParameters } from '../../src/core/linear/transfer';
import { TriangularAccumulator } from '../../src/core/linear/triangular-accumulator';
import { Random } from '../../src/core/random';

/** A random stable system: A ~ N(0,1) scaled to ρ(A) = rho; B, C, D ~ N(0,1). */
export function randomStableSystem(
  rng: Random,
  nx: number,
  nu: number,
  ny: number,
  feedthrough: boolean,
  rho = 0.9,
): LinearStateSpace {
  const normal = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
  const A = normal(nx * nx);
  const f = rho / spectralRadius(A, nx);
  for (let k = 0; k < A.length; k++) A[k] = A[k]! * f;
  return {
    nx,
    nu,
    ny,
    A,
    B: normal(nx * nu),
    C: normal(ny * nx),
    D: feedthrough ? normal(ny * nu) : new Float64Array(ny * nu),
    feedthrough,
  };
}

/** White-noise input, x0 ~ N(0,1), output noise of standard deviation noise · std(y). */
function experiment(
  sys: LinearStateSpace,
  rng: Random,
  N: number,
  noise: number,
  name = 'e',
): Experiment {
  const u = Float64Array.from({ length: N * sys.nu }, () => rng.normal());
  const x0 = Float64Array.from({ length: sys.nx }, () => rng.normal());
  const { y } = simulateLinear(sys, u, N, x0);
  if (noise > 0) {
    let ss = 0;
    for (const v of y) ss += v * v;
    const sd = Math.sqrt(ss / y.length);
    for (let k = 0; k < y.length; k++) y[k] = y[k]! + noise * sd * rng.normal();
  }
  return makeExperiment({ name, u, y, nu: sys.nu, ny: sys.ny });
}

/** max_k ‖h_k − ĥ_k‖ / max_k ‖h_k‖ over the first K Markov parameters. */
function markovError(est: LinearStateSpace, sys: LinearStateSpace, K = 30): number {
  const a = markovParameters(est, K);
  const b = markovParameters(sys, K);
  let e = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    e = Math.max(e, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return e / s;
}

/** max_ω |G(e^{jω}) − Ĝ(e^{jω})| / max_ω |G(e^{jω})| on 64 frequencies in (0, π). */
function frequencyError(est: LinearStateSpace, sys: LinearStateSpace): number {
  const w = Array.from({ length: 64 }, (_, i) => (Math.PI * (i + 0.5)) / 64);
  const a = frequencyResponse(est, w);
  const b = frequencyResponse(sys, w);
  let e = 0;
  let s = 0;
  for (let i = 0; i < a.re.length; i++) {
    e = Math.max(e, Math.hypot(a.re[i]! - b.re[i]!, a.im[i]! - b.im[i]!));
    s = Math.max(s, Math.hypot(b.re[i]!, b.im[i]!));
  }
  return e / s;
}

describe('TriangularAccumulator', () => {
  it('gives R with RᵀR = ΦᵀΦ, also for rank-deficient rows', () => {
    const rng = new Random(3);
    const m = 5;
    const rows: number[][] = [];
    for (let k = 0; k < 40; k++) {
      const a = rng.normal();
      const b = rng.normal();
      // rank 3: the last two columns are combinations of the first
      const c = rng.normal();
      rows.push([a, b, c, a - b, 2 * c]);
    }
    const acc = new TriangularAccumulator(m);
    for (const r of rows) acc.add(r);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let g = 0;
        for (const r of rows) g += r[i]! * r[j]!;
        let h = 0;
        for (let k = 0; k < m; k++) h += acc.R[k * m + i]! * acc.R[k * m + j]!;
        assert.ok(Math.abs(g - h) <= 1e-10 * (1 + Math.abs(g)), `(${i},${j}): ${g} vs ${h}`);
        if (i > j) assert.equal(acc.R[i * m + j], 0);
      }
  });

  it('keeps RᵀR = ΦᵀΦ for rows near the ends of the double range (the rotations cannot overflow)', () => {
    const rng = new Random(4);
    for (const scale of [1e-160, 1e160, 1e300]) {
      const m = 4;
      const rows = Array.from({ length: 30 }, () =>
        Array.from({ length: m }, () => scale * rng.normal()),
      );
      const acc = new TriangularAccumulator(m);
      for (const r of rows) acc.add(r);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          // in units of scale², computed without overflow
          let g = 0;
          for (const r of rows) g += (r[i]! / scale) * (r[j]! / scale);
          let h = 0;
          for (let k = 0; k < m; k++)
            h += (acc.R[k * m + i]! / scale) * (acc.R[k * m + j]! / scale);
          assert.ok(Number.isFinite(h), `scale ${scale} (${i},${j}): ${h}`);
          assert.ok(
            Math.abs(g - h) <= 1e-10 * (1 + Math.abs(g)),
            `scale ${scale} (${i},${j}): ${g} vs ${h}`,
          );
        }
    }
    // NaN stays NaN, as with Math.hypot
    const acc = new TriangularAccumulator(2);
    acc.add([1, 2]);
    acc.add([NaN, 1]);
    assert.ok(Number.isNaN(acc.R[0]!));
  });
});

describe('normalizeStates', () => {
  /** (1/N) Σ x̃ x̃ᵀ of the transformed model's states, after checking its outputs are unchanged. */
  function whitened(floor?: number): { S: Float64Array; model: LinearStateSpace } {
    const rng = new Random(8);
    const sys = randomStableSystem(rng, 3, 2, 1, true);
    const exps = [experiment(sys, rng, 300, 0, 'a'), experiment(sys, rng, 200, 0, 'b')];
    const x0s = Float64Array.from({ length: 6 }, () => 5 * rng.normal());
    const n = normalizeStates(sys, x0s, exps, floor);
    assert.ok(n.transformed);
    assert.ok(markovError(n.model, sys) < 1e-12);
    const S = new Float64Array(9);
    let N = 0;
    exps.forEach((e, j) => {
      const a = simulateLinear(sys, e.u, e.N, x0s.subarray(3 * j, 3 * j + 3)).y;
      const b = simulateLinear(n.model, e.u, e.N, n.x0s.subarray(3 * j, 3 * j + 3)).y;
      for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]! - b[k]!) < 1e-9);
      const probe = {
        ...n.model,
        ny: 3,
        C: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1),
        D: new Float64Array(6),
      };
      const X = simulateLinear(probe, e.u, e.N, n.x0s.subarray(3 * j, 3 * j + 3)).y;
      for (let k = 0; k < e.N; k++)
        for (let p = 0; p < 3; p++)
          for (let q = 0; q < 3; q++) S[p * 3 + q] = S[p * 3 + q]! + X[k * 3 + p]! * X[k * 3 + q]!;
      N += e.N;
    });
    return { S: S.map((v) => v / N), model: n.model };
  }

  it('whitens the simulated states without changing the input–output behaviour (no floor)', () => {
    const { S } = whitened(0);
    for (let p = 0; p < 3; p++)
      for (let q = 0; q < 3; q++)
        assert.ok(
          Math.abs(S[p * 3 + q]! - (p === q ? 1 : 0)) < 1e-9,
          `Σ[${p}][${q}] = ${S[p * 3 + q]}`,
        );
  });

  it('with the default floor: unit size up to the floor, never above 1', () => {
    const { S } = whitened();
    for (let p = 0; p < 3; p++) {
      assert.ok(S[p * 4]! <= 1 && S[p * 4]! > 0.8, `Σ[${p}][${p}] = ${S[p * 4]}`);
    }
  });
});

describe('PO-MOESP + output-error refinement (identifyLinear)', () => {
  it('recovers a noise-free SISO system (nx = 3) to ~1e-6, from the subspace step alone', () => {
    const rng = new Random(11);
    const sys = randomStableSystem(rng, 3, 1, 1, false);
    const e = experiment(sys, rng, 400, 0);
    const lin = identifyLinear([e], { nx: 3, feedthrough: false, iterations: 0 });
    assert.ok(markovError(lin.model, sys) < 1e-6, `Markov error ${markovError(lin.model, sys)}`);
    assert.ok(frequencyError(lin.model, sys) < 1e-6);
    // the order shows in the singular values: a gap after the third
    const sv = lin.subspace.singularValues;
    assert.ok(sv[3]! / sv[2]! < 1e-8, `σ4/σ3 = ${sv[3]! / sv[2]!}`);
    // and the estimated x0 reproduces the record
    const { y } = simulateLinear(lin.model, e.u, e.N, lin.x0s);
    let err = 0;
    for (let k = 0; k < y.length; k++) err = Math.max(err, Math.abs(y[k]! - e.y[k]!));
    assert.ok(err < 1e-6, `simulation error ${err}`);
  });

  it('recovers a noise-free MIMO system with feedthrough from two experiments', () => {
    const rng = new Random(5);
    const sys = randomStableSystem(rng, 3, 2, 2, true);
    const exps = [experiment(sys, rng, 300, 0, 'a'), experiment(sys, rng, 250, 0, 'b')];
    const lin = identifyLinear(exps, { nx: 3, feedthrough: true });
    assert.ok(markovError(lin.model, sys) < 1e-6, `Markov error ${markovError(lin.model, sys)}`);
    assert.ok(lin.value < 1e-12, `V = ${lin.value}`);
    exps.forEach((e, j) => {
      const { y } = simulateLinear(lin.model, e.u, e.N, lin.x0s.subarray(3 * j, 3 * j + 3));
      let err = 0;
      for (let k = 0; k < y.length; k++) err = Math.max(err, Math.abs(y[k]! - e.y[k]!));
      assert.ok(err < 1e-6, `experiment ${j}: simulation error ${err}`);
    });
  });

  for (const [nu, ny, ft, seed] of [
    [1, 1, false, 21],
    [2, 1, false, 22],
    [1, 2, true, 23],
    [2, 2, true, 24],
  ] as const) {
    it(`matches the frequency response to noise level (nx 3, nu ${nu}, ny ${ny}, 2% output noise)`, () => {
      const rng = new Random(seed);
      const sys = randomStableSystem(rng, 3, nu, ny, ft);
      const e = experiment(sys, rng, 2000, 0.02);
      const lin = identifyLinear([e], { nx: 3, feedthrough: ft });
      const fe = frequencyError(lin.model, sys);
      // 2% noise over 2000 samples: measured 0.5–1.4e-3; a wrong order or a bias would give O(0.1–1)
      assert.ok(fe < 0.01, `relative frequency-response error ${fe}`);
      // the refinement never increases the simulation error objective
      assert.ok(lin.value <= lin.subspace.value, `${lin.value} > ${lin.subspace.value}`);
      assert.ok(lin.spectralRadius < 1);
    });
  }

  it('stabilises an unstable estimate (data from a slowly diverging system, ρ = 1.01)', () => {
    const rng = new Random(9);
    const sys: LinearStateSpace = {
      nx: 1,
      nu: 1,
      ny: 1,
      A: Float64Array.of(1.01),
      B: Float64Array.of(0.1),
      C: Float64Array.of(1),
      D: Float64Array.of(0),
      feedthrough: false,
    };
    const e = experiment(sys, rng, 200, 0.01);
    const sub = poMoesp([e], 1);
    assert.notEqual(sub.stabilization, 'none');
    assert.ok(sub.spectralRadius < 1, `ρ = ${sub.spectralRadius}`);
    const lin = identifyLinear([e], { nx: 1, feedthrough: false });
    assert.ok(lin.spectralRadius < 1, `ρ = ${lin.spectralRadius}`);
    assert.ok(Number.isFinite(lin.value));
  });

  it('says clearly when nx is too large for the data', () => {
    const rng = new Random(1);
    const sys = randomStableSystem(rng, 2, 1, 1, false);
    const e = experiment(sys, rng, 40, 0);
    assert.throws(
      () => identifyLinear([e], { nx: 12, feedthrough: false }),
      (err: unknown) =>
        err instanceof NailsError && /cannot estimate nx = 12 states/.test(err.message),
    );
    assert.throws(
      () => identifyLinear([e], { nx: 0, feedthrough: false }),
      (err: unknown) => err instanceof NailsError && /nx ≥ 1/.test(err.message),
    );
  });
});
