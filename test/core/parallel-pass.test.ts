/**
 * The Gauss–Newton pass cut into pieces (core/solver/pass-pieces.ts) and run on helper threads
 * (src/worker/pass-pool.ts): the combined system equals the serial pass to 1e-10 relative (plus
 * 1e-12 of the largest entry for entries that cancel): the chain rule through the boundary state
 * is exact, only the order of the sums differs.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeExperiment, type Experiment } from '../../src/core/data/experiment';
import { prepareFit, type FitSpec } from '../../src/core/fit-job';
import { makeLoss } from '../../src/core/losses';
import type { Model } from '../../src/core/models/model';
import { linearModel, rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { Cancelled } from '../../src/core/solver/cancellation';
import {
  accumulateGaussNewton,
  denseMatrix,
  gradientVector,
  type GaussNewtonSystem,
} from '../../src/core/solver/gauss-newton';
import { nailm } from '../../src/core/solver/nailm';
import {
  accumulateParallel,
  canSplit,
  type PieceRunner,
} from '../../src/core/solver/parallel-pass';
import {
  combinePieces,
  pieceWorkspace,
  planPieces,
  runPiece,
} from '../../src/core/solver/pass-pieces';
import { packZ, type Problem } from '../../src/core/solver/problem';
import { PassPool } from '../../src/worker/pass-pool';
import { assertClose } from '../helpers';

function experiments(rng: Random, lengths: number[], nu: number, ny: number): Experiment[] {
  return lengths.map((N, j) =>
    makeExperiment({
      name: `e${j}`,
      u: rng.fillNormal(new Float64Array(N * nu)),
      nu,
      y: rng.fillNormal(new Float64Array(N * ny)),
      ny,
    }),
  );
}

function problem(model: Model, ex: Experiment[], trainX0: boolean): Problem {
  return {
    model,
    experiments: ex,
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: 1e-3,
    rhoX0: 1e-2,
    trainX0,
    ...(trainX0 ? {} : { fixedX0: rng0(ex.length * model.nx) }),
  };
}

function rng0(n: number): Float64Array {
  return new Random(99).fillNormal(new Float64Array(n), 0.5);
}

function assertSame(a: GaussNewtonSystem, b: GaussNewtonSystem, what: string): void {
  assert.ok(a.finite && b.finite, what);
  assertClose([a.value], [b.value], 1e-12, 0, `${what}: V`);
  const ga = gradientVector(a);
  const gb = gradientVector(b);
  assertClose(
    ga,
    gb,
    1e-10,
    1e-12 * gb.reduce((s, v) => Math.max(s, Math.abs(v)), 0),
    `${what}: ∇V`,
  );
  const Ma = denseMatrix(a);
  const Mb = denseMatrix(b);
  assertClose(
    Ma,
    Mb,
    1e-10,
    1e-12 * Mb.reduce((s, v) => Math.max(s, Math.abs(v)), 0),
    `${what}: M`,
  );
}

const cases: [string, Model, number[], boolean][] = [
  [
    'RNN, one record, x0 trained',
    rnnModel({ nx: 3, nu: 2, ny: 2, state: { hidden: [5] }, output: { hidden: [4] } }),
    [900],
    true,
  ],
  [
    'RNN, three records, x0 fixed',
    rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [4], activation: 'elu' } }),
    [300, 41, 500],
    false,
  ],
  [
    'linear model, two records',
    linearModel({ nx: 4, nu: 1, ny: 2, feedthrough: true }),
    [250, 260],
    true,
  ],
];

describe('the pass in pieces, combined by the chain rule', () => {
  for (const [name, model, lengths, trainX0] of cases) {
    for (const derivatives of ['wasm', 'typescript'] as const) {
      it(`${name}, ${derivatives} derivatives: 2, 3 and 7 pieces equal the serial pass`, () => {
        const rng = new Random(7);
        const p = problem(model, experiments(rng, lengths, model.nu, model.ny), trainX0);
        const theta = model.init(rng);
        for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! + 0.2 * rng.normal();
        const z = packZ(p, theta, rng.fillNormal(new Float64Array(lengths.length * model.nx)));
        const serial = accumulateGaussNewton(p, z, { chunk: 64, derivatives });
        const o = { chunk: 64, derivatives };
        const ws = pieceWorkspace(p, o);
        for (const parts of [2, 3, 7]) {
          const pieces = planPieces(p, parts, 1);
          assert.equal(pieces.length, parts);
          const covered = pieces.flat().reduce((s, g) => s + g.k1 - g.k0, 0);
          assert.equal(
            covered,
            lengths.reduce((s, n) => s + n, 0),
            'every sample once',
          );
          const results = pieces.map((piece) => runPiece(p, z, piece, o, ws));
          assertSame(combinePieces(p, z, results.reverse()), serial, `${parts} pieces`);
        }
      });
    }
  }

  it('a piece that diverges makes the whole system not finite', () => {
    const rng = new Random(3);
    const model = rnnModel({ nx: 2, nu: 1, ny: 1 });
    const p = problem(model, experiments(rng, [400], 1, 1), true);
    const theta = model.init(rng);
    model.layout.view(theta, 'A').set([3, 0, 0, 3]);
    const z = packZ(p, theta, Float64Array.of(1, 1));
    const o = { chunk: 64, derivatives: 'wasm' as const };
    const ws = pieceWorkspace(p, o);
    const results = planPieces(p, 2, 1).map((piece) => runPiece(p, z, piece, o, ws));
    assert.equal(combinePieces(p, z, results).finite, false);
  });
});

describe('the pass on two threads (PassPool)', () => {
  const pool = new PassPool(1, { name: 'mse' });
  after(() => pool.close());

  it('equals the serial pass, and NAILM runs the same iterations', () => {
    const rng = new Random(5);
    const model = rnnModel({
      nx: 3,
      nu: 1,
      ny: 1,
      state: { hidden: [6] },
      output: { hidden: [6] },
    });
    const p = problem(model, experiments(rng, [10000], 1, 1), true);
    assert.ok(canSplit(p, pool));
    const z = packZ(p, model.init(rng), new Float64Array(3));
    const o = { chunk: 128, derivatives: 'wasm' as const };
    const par = accumulateParallel(p, z, o, pool, pieceWorkspace(p, o));
    assertSame(par, accumulateGaussNewton(p, z, o), 'two threads');
    const a = nailm(p, z, { maxIterations: 15, chunk: 128 });
    const b = nailm(p, z, { maxIterations: 15, chunk: 128, parallel: pool });
    assert.equal(a.history.length, b.history.length);
    a.history.forEach((h, i) => {
      assert.equal(h.accepted, b.history[i]!.accepted, `accepted at ${i}`);
      assertClose([b.history[i]!.value], [h.value], 1e-9, 0, `V at iteration ${i}`);
    });
  });

  it("the linear stage's refinement splits its passes too: the same estimate to rounding", () => {
    // y from a stable 2-state system with a static nonlinearity, so that the output-error
    // refinement has work to do after the subspace step.
    const rng = new Random(8);
    const N = 12000;
    const u = Float64Array.from({ length: N }, () => rng.normal());
    const y = new Float64Array(N);
    let x1 = 0;
    let x2 = 0;
    for (let k = 0; k < N; k++) {
      const v = 0.6 * x1 - 0.4 * x2;
      y[k] = v + 0.3 * v * v + 0.01 * rng.normal();
      [x1, x2] = [0.7 * x1 + 0.2 * x2 + u[k]!, -0.3 * x1 + 0.8 * x2 + 0.5 * u[k]!];
    }
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [4] },
      output: { hidden: [4] },
    });
    let started = 0;
    const counting: PieceRunner = {
      helpers: pool.helpers,
      start: (...a) => {
        started++;
        pool.start(...a);
      },
      collect: () => pool.collect(),
      cancel: () => pool.cancel(),
    };
    const spec = (parallel?: PieceRunner): FitSpec => ({
      model: model.config,
      train: [makeExperiment({ u, y, nu: 1, ny: 1 })],
      loss: { name: 'mse' },
      rhoTheta: 1e-4,
      rhoX0: 1e-4,
      trainX0: true,
      method: 'nailm',
      options: { maxIterations: 0, ...(parallel ? { parallel } : {}) },
      init: { seed: 1 },
      linear: { init: true, required: true },
    });
    const serial = prepareFit(spec()).linear?.estimate;
    const split = prepareFit(spec(counting)).linear?.estimate;
    assert.ok(serial && split);
    assert.ok(started >= serial.refinement.iterations, `pieces started ${started}`);
    assert.ok(serial.refinement.iterations >= 3, `iterations ${serial.refinement.iterations}`);
    assert.equal(split.refinement.iterations, serial.refinement.iterations);
    assertClose([split.value], [serial.value], 1e-9, 0, 'V');
    for (const k of ['A', 'B', 'C'] as const) assertClose(split[k], serial[k], 1e-6, 1e-9, k);
  });

  it('short records keep the serial pass (fewer than 2 × MIN_PIECE_SAMPLES samples)', () => {
    const model = rnnModel({ nx: 2, nu: 1, ny: 1 });
    const p = problem(model, experiments(new Random(2), [3000, 5000], 1, 1), true);
    assert.equal(canSplit(p, pool), false);
    assert.equal(planPieces(p, 2).length, 1);
    assert.equal(planPieces(p, 2, 1000).length, 2);
  });

  it('a cancel stops both threads and the pass throws Cancelled', () => {
    const rng = new Random(6);
    const model = rnnModel({ nx: 2, nu: 1, ny: 1 });
    const p = problem(model, experiments(rng, [20000], 1, 1), true);
    const z = packZ(p, model.init(rng), new Float64Array(2));
    let calls = 0;
    const o = { chunk: 64, derivatives: 'wasm' as const, shouldStop: () => ++calls > 3 };
    assert.throws(() => accumulateParallel(p, z, o, pool, pieceWorkspace(p, o)), Cancelled);
    // The pool is usable again afterwards.
    const o2 = { chunk: 64, derivatives: 'wasm' as const };
    assertSame(
      accumulateParallel(p, z, o2, pool, pieceWorkspace(p, o2)),
      accumulateGaussNewton(p, z, o2),
      'after a cancel',
    );
  });
});
