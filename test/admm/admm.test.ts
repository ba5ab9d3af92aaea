import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admm } from '../../src/core/admm/admm';
import { blockIndices, stateGroups } from '../../src/core/admm/groups';
import { regularizationPath } from '../../src/core/admm/path';
import { reduceModel, sparsityReport } from '../../src/core/admm/sparsity';
import { levelRange, resolveTerms } from '../../src/core/admm/terms';
import { makeExperiment, sliceExperiment } from '../../src/core/data/experiment';
import { NailsError } from '../../src/core/errors';
import {
  generateBinaryOutput,
  paperBinaryOutputModel,
} from '../../src/core/generators/binary-output';
import { makeLoss } from '../../src/core/losses';
import { channelMetrics } from '../../src/core/metrics';
import { feedforwardModel, linearModel, rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { nailm } from '../../src/core/solver/nailm';
import { evaluateV, packZ, unpackZ, type Problem } from '../../src/core/solver/problem';
import { estimateX0LeastSquares } from '../../src/core/solver/x0-estimation';
import { assertClose, fixture } from '../helpers';

interface LassoFixture {
  N: number;
  p: number;
  u: number[];
  y: number[];
  cases: { tau: number; d: number[]; value: number }[];
}

describe('ADMM on a convex problem: the Lasso optimum of an independent coordinate-descent reference', () => {
  const f = fixture<LassoFixture>('lasso.json');
  const model = feedforwardModel({ nu: f.p, ny: 1, hidden: [], linear: true }); // ŷ = D u
  const e = makeExperiment({ u: Float64Array.from(f.u), nu: f.p, y: Float64Array.from(f.y) });
  const p: Problem = {
    model,
    experiments: [e],
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: 0,
    rhoX0: 0,
    trainX0: false,
  };
  for (const c of f.cases) {
    for (const method of ['nails', 'nailm'] as const) {
      it(`τ = ${c.tau}, ${method}: same d to 1e-6, same zeros, same objective to 1e-9`, () => {
        const r = admm(p, new Float64Array(f.p), [{ kind: 'l1', tau: c.tau }], {
          method,
          rho: 1,
          iterations: 2000,
          inner: 1,
          epsAbs: 1e-10,
          epsRel: 1e-10,
          polish: false,
        });
        assertClose(r.z, c.d, 0, 1e-6, 'd');
        c.d.forEach((d, i) => assert.equal(r.z[i] === 0, d === 0, `zero pattern at ${i}`));
        assertClose([r.objective], [c.value], 1e-9, 0, 'V + τ‖d‖₁');
      });
    }
  }
});

describe('non-convex terms hold exactly', () => {
  const data = generateBinaryOutput({ seed: 3 });
  const model = paperBinaryOutputModel();
  const p: Problem = {
    model,
    experiments: [data.train],
    loss: makeLoss({ name: 'cross_entropy' }),
    rhoTheta: 0.001,
    rhoX0: 0.01,
    trainX0: true,
  };
  const z0 = nailm(p, packZ(p, model.init(new Random(3)), new Float64Array(3)), {
    maxIterations: 60,
  }).z;

  it('an ℓ0 budget yields exactly the required number of non-zeros; polishing does not raise the loss', () => {
    const r = admm(p, z0, [{ kind: 'l0-budget', k: 30, blocks: ['all'] }], {
      method: 'nailm',
      iterations: 30,
      rhoGrowth: 1.1,
    });
    const nz = [...r.z.subarray(0, model.nTheta)].filter((v) => v !== 0).length;
    assert.equal(nz, 30);
    assert.ok(r.polished);
    assert.equal(
      [...r.polished.z.subarray(0, model.nTheta)].filter((v) => v !== 0).length,
      30,
      'polishing keeps the pattern',
    );
    assert.ok(r.polished.value <= r.value, `polished ${r.polished.value} ≤ unpolished ${r.value}`);
  });

  it('integer and quantised constraints yield parameters exactly in the set', () => {
    const levels = levelRange(-8, 8, 1, 2 ** -2); // {-2, -1.75, …, 2}
    const r = admm(
      p,
      z0,
      [
        { kind: 'integer', lower: -3, upper: 3, blocks: ['output.W2'] },
        { kind: 'quantize', levels, blocks: ['state.*'] },
      ],
      {
        method: 'nails',
        iterations: 25,
        rhoGrowth: 1.2,
      },
    );
    const ow = model.layout.view(r.z, 'output.W2');
    assert.ok(
      ow.every((v) => Number.isInteger(v) && v >= -3 && v <= 3),
      `output.W2 = ${[...ow].join(', ')}`,
    );
    for (const b of model.layout.blocks.filter((x) => x.name.startsWith('state.'))) {
      for (const v of model.layout.view(r.z, b.name))
        assert.ok(levels.includes(v), `${b.name} has ${v}`);
    }
    assert.ok(r.polished && r.polished.value <= r.value);
    for (const v of model.layout.view(r.polished.z, 'output.W2')) assert.ok(Number.isInteger(v));
  });

  it('mixed-integer: the listed entries are integers and the rest stay continuous', () => {
    const r = admm(p, z0, [{ kind: 'mixed-integer', discrete: [0, 2, 4], blocks: ['output.W2'] }], {
      method: 'nailm',
      iterations: 20,
      rhoGrowth: 1.2,
    });
    const ow = model.layout.view(r.z, 'output.W2');
    for (const i of [0, 2, 4]) assert.ok(Number.isInteger(ow[i]));
    assert.ok(
      [1, 3].some((i) => !Number.isInteger(ow[i])),
      'free entries are not forced to integers',
    );
  });

  it('bad terms are named', () => {
    const z = { model, experiments: 1, trainX0: true };
    assert.throws(
      () => resolveTerms(z, [{ kind: 'l1', tau: 1, blocks: ['outptu.W2'] }]),
      (e: unknown) =>
        e instanceof NailsError &&
        /no parameter block 'outptu\.W2' \(did you mean 'output\.W2'\?\)/.test(e.message),
    );
    assert.throws(
      () => resolveTerms(z, [{ kind: 'l1', tau: -1 }]),
      /l1 tau must be a finite number ≥ 0/,
    );
    assert.throws(() => resolveTerms(z, [{ kind: 'bounds', lower: 1, upper: 0 }]), /lower ≤ upper/);
    assert.throws(() => resolveTerms(z, [{ kind: 'quantize', levels: [] }]), /at least one level/);
    assert.throws(
      () => resolveTerms(z, [{ kind: 'l0-budget', k: 1000 }]),
      /exceeds the 69 entries/,
    );
    assert.throws(
      () => resolveTerms(z, [{ kind: 'l1', tau: 1, blocks: ['foo.*'] }]),
      /'foo\.\*' matches no parameter block/,
    );
  });
});

describe('state groups, model reduction and the regularisation path', () => {
  // A linear system of order 3, fitted with 6 states.
  const rng = new Random(7);
  const truth = linearModel({ nx: 3, nu: 1, ny: 1 });
  const thTrue = Float64Array.of(
    0.8,
    0.1,
    0,
    -0.2,
    0.6,
    0.3,
    0,
    -0.3,
    0.5,
    1,
    0.5,
    -0.4,
    1,
    -0.7,
    0.6,
  );
  const N = 1200;
  const u = rng.fillNormal(new Float64Array(N));
  const yClean = simulate(truth, thTrue, u, N, [0, 0, 0]).y;
  const y = Float64Array.from(yClean, (v) => v + 0.01 * rng.normal());
  const all = makeExperiment({ u, y });
  const train = sliceExperiment(all, 0, 800, 'train');
  const test = sliceExperiment(all, 800, N, 'test');
  const testFit = (model: ReturnType<typeof linearModel>, theta: Float64Array) => {
    const x0 = estimateX0LeastSquares(model, theta, test.u, test.y, { window: 50 }).x0;
    return channelMetrics(test.y, simulate(model, theta, test.u, test.N, x0).y, 1, 50)[0]!.fit;
  };

  it('the state groups of a linear model are A row/column i, B row i, C column i and x0_i', () => {
    const m = linearModel({ nx: 2, nu: 1, ny: 1 });
    const g = stateGroups({ model: m, experiments: 1, trainX0: true });
    // θ = [A11 A12 A21 A22 | B1 B2 | C1 C2], x0 at 8, 9
    assert.deepEqual([...g[0]!], [0, 1, 2, 4, 6, 8]);
    assert.deepEqual([...g[1]!], [1, 2, 3, 5, 7, 9]);
    assert.deepEqual(
      [...blockIndices({ model: m, experiments: 1, trainX0: true }, ['B', 'x0'])],
      [4, 5, 8, 9],
    );
  });

  it('group-Lasso on the states of a 6-state fit keeps 3 states; the reduced model fits within 1 point of a 3-state fit', () => {
    const m6 = linearModel({ nx: 6, nu: 1, ny: 1 });
    const p6: Problem = {
      model: m6,
      experiments: [train],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 1e-6,
      rhoX0: 1e-6,
      trainX0: true,
    };
    const start = nailm(p6, packZ(p6, m6.init(new Random(1)), new Float64Array(6)), {
      maxIterations: 100,
    }).z;
    // τ by bisection between a value that keeps more than 3 states and one that keeps fewer,
    // each ADMM run from the same unregularised start (the number kept is not monotone in detail,
    // so a fixed grid can step over 3).
    const opts = { method: 'nailm' as const, iterations: 60, rhoGrowth: 1.05, rho: 0.5 };
    const kept = (tau: number) => {
      const r = admm(p6, start, [{ kind: 'group-lasso', tau, groups: 'states' }], opts);
      const z = r.polished?.z ?? r.z;
      return { z, states: 6 - sparsityReport(m6, z, 1, true).removableStates.length };
    };
    let lo = 0.005;
    let hi = 0.2;
    let pick: { z: Float64Array; states: number } | undefined;
    const seen: string[] = [];
    for (let k = 0; k < 12 && !pick; k++) {
      const mid = Math.sqrt(lo * hi);
      const r = kept(mid);
      seen.push(`τ ${mid.toPrecision(3)}: ${r.states}`);
      if (r.states === 3) pick = r;
      else if (r.states > 3) lo = mid;
      else hi = mid;
    }
    assert.ok(pick, `states kept: ${seen.join('; ')}`);
    // The regularisation path reports the same quantities at that τ, with validation metrics.
    const tau = Number(seen[seen.length - 1]!.split(':')[0]!.slice(2));
    const path = regularizationPath(
      p6,
      start,
      (t) => [{ kind: 'group-lasso', tau: t, groups: 'states' }],
      [tau / 2, tau],
      { ...opts, validation: [test] },
    );
    assert.equal(path.length, 2);
    assert.ok(
      path.every((pt) => typeof pt.validationFit === 'number' && Number.isFinite(pt.trainFit)),
    );
    const rep = sparsityReport(m6, pick.z, 1, true);
    assert.equal(rep.removableStates.length, 3);
    const red = reduceModel(m6, pick.z, 1, true, { states: rep.removableStates, inputs: [] });
    assert.equal(red.model.nx, 3);
    // The reduced model simulates identically to the sparse 6-state model.
    const { theta, x0s } = unpackZ(p6, pick.z);
    assertClose(
      simulate(red.model, red.theta, train.u, train.N, red.x0s).y,
      simulate(m6, theta, train.u, train.N, x0s).y,
      1e-12,
      1e-12,
      'reduced = sparse',
    );
    // Against an unregularised 3-state fit.
    const m3 = linearModel({ nx: 3, nu: 1, ny: 1 });
    const p3: Problem = { ...p6, model: m3 };
    const r3 = nailm(p3, packZ(p3, m3.init(new Random(1)), new Float64Array(3)), {
      maxIterations: 200,
    });
    const fit3 = testFit(m3, r3.theta);
    const fitRed = testFit(red.model, red.theta);
    assert.ok(
      Math.abs(fitRed - fit3) <= 1,
      `reduced ${fitRed.toFixed(2)} % vs 3-state ${fit3.toFixed(2)} %`,
    );
  });

  it('polishing never raises the training loss (ℓ1 on an RNN)', () => {
    const model = rnnModel({ nx: 2, nu: 1, ny: 1 });
    const p: Problem = {
      model,
      experiments: [train],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 1e-4,
      rhoX0: 1e-4,
      trainX0: true,
    };
    const z0 = packZ(p, model.init(new Random(2)), new Float64Array(2));
    const r = admm(p, z0, [{ kind: 'l1', tau: 1e-3, blocks: ['state.*', 'output.*'] }], {
      method: 'nailm',
      iterations: 30,
    });
    assert.ok(r.polished);
    assert.ok(r.polished.value <= r.value + 1e-15);
    assert.ok(Number.isFinite(evaluateV(p, r.polished.z)));
  });
});
