import { paperBinaryOutputModel } from '../../src/core/generators/binary-output';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActivationName } from '../../src/core/models/activations';
import { ACTIVATION_NAMES } from '../../src/core/models/activations';
import { allocJacobians, type Model } from '../../src/core/models/model';
import {
  createModel,
  feedforwardModel,
  linearModel,
  rnnModel,
} from '../../src/core/models/model-factory';
import { NailsError } from '../../src/core/errors';
import { Random } from '../../src/core/random';
import { simulate } from '../../src/core/simulate';
import { assertClose, finiteDifferenceJacobian, fixture } from '../helpers';

interface DlsimCase {
  nx: number;
  nu: number;
  ny: number;
  feedthrough: boolean;
  A: number[];
  B: number[];
  C: number[];
  D: number[];
  u: number[];
  x0: number[];
  y: number[];
  N: number;
}

describe('linear state space against scipy.signal.dlsim', () => {
  for (const c of fixture<DlsimCase[]>('dlsim.json')) {
    it(`nx=${c.nx} nu=${c.nu} ny=${c.ny} feedthrough=${c.feedthrough}`, () => {
      const m = linearModel({ nx: c.nx, nu: c.nu, ny: c.ny, feedthrough: c.feedthrough });
      const th = new Float64Array(m.nTheta);
      th.set(c.A, m.layout.get('A').offset);
      th.set(c.B, m.layout.get('B').offset);
      th.set(c.C, m.layout.get('C').offset);
      if (c.feedthrough) th.set(c.D, m.layout.get('D').offset);
      else assert.equal(m.layout.has('D'), false);
      const sim = simulate(m, th, Float64Array.from(c.u), c.N, c.x0);
      assert.ok(sim.finite);
      assertClose(sim.y, c.y, 1e-10, 1e-12, 'y');
    });
  }
});

/** Checks every block of model.jacobians against central differences at a random point. */
function checkDerivatives(model: Model, seed: number): void {
  const rng = new Random(seed);
  const theta = model.init(rng);
  for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! + 0.3 * rng.normal(); // away from the special init values
  const x = rng.fillNormal(new Float64Array(model.nx));
  const u = rng.fillNormal(new Float64Array(model.nu));
  const J = allocJacobians(model);
  model.jacobians(theta, x, u, 0, J);
  const f = (th: Float64Array, xx: Float64Array, uu: Float64Array) => {
    const xn = new Float64Array(model.nx);
    const y = new Float64Array(model.ny);
    model.step(th, xx, uu, 0, xn, y, 0);
    return { xn, y };
  };
  const base = f(theta, x, u);
  assertClose(J.xNext, base.xn, 1e-14, 1e-14, 'jacobians() xNext = step() xNext');
  assertClose(J.y, base.y, 1e-14, 1e-14, 'jacobians() y = step() y');
  const tol = [1e-6, 1e-8] as const;
  if (model.nx > 0) {
    assertClose(
      J.fx,
      finiteDifferenceJacobian((p) => f(theta, p, u).xn, x),
      ...tol,
      'fx',
    );
    assertClose(
      J.fu,
      finiteDifferenceJacobian((p) => f(theta, x, p).xn, u),
      ...tol,
      'fu',
    );
    assertClose(
      J.ftheta,
      finiteDifferenceJacobian((p) => f(p, x, u).xn, theta),
      ...tol,
      'ftheta',
    );
    assertClose(
      J.gx,
      finiteDifferenceJacobian((p) => f(theta, p, u).y, x),
      ...tol,
      'gx',
    );
  }
  assertClose(
    J.gu,
    finiteDifferenceJacobian((p) => f(theta, x, p).y, u),
    ...tol,
    'gu',
  );
  assertClose(
    J.gtheta,
    finiteDifferenceJacobian((p) => f(p, x, u).y, theta),
    ...tol,
    'gtheta',
  );
}

describe('model step derivatives match finite differences', () => {
  it('linear, with and without feedthrough', () => {
    checkDerivatives(linearModel({ nx: 3, nu: 2, ny: 2, feedthrough: true }), 1);
    checkDerivatives(linearModel({ nx: 2, nu: 1, ny: 1 }), 2);
  });
  it('RNN with linear parts, one hidden layer each', () => {
    checkDerivatives(rnnModel({ nx: 3, nu: 2, ny: 2 }), 3);
  });
  it('RNN without linear parts, two hidden layers, feedthrough, sigmoid output (the paper model and more)', () => {
    checkDerivatives(paperBinaryOutputModel(), 4);
    checkDerivatives(
      rnnModel({
        nx: 2,
        nu: 2,
        ny: 3,
        state: { hidden: [4, 3], activation: 'swish' },
        output: { hidden: [3, 2], feedthrough: true, activation: 'softplus' },
      }),
      5,
    );
  });
  for (const act of ACTIVATION_NAMES) {
    it(`activation ${act}`, () => {
      checkDerivatives(
        rnnModel({
          nx: 2,
          nu: 1,
          ny: 1,
          state: { activation: act, hidden: [4] },
          output: { activation: act, feedthrough: true },
        }),
        6,
      );
    });
  }
  it('feedforward net (no state), with and without hidden layers', () => {
    checkDerivatives(feedforwardModel({ nu: 3, ny: 2, hidden: [6, 4], activation: 'tanh' }), 7);
    checkDerivatives(feedforwardModel({ nu: 4, ny: 1, hidden: [], linear: true }), 8);
  });
});

describe('models: layout, seeding, config round trip, bad config', () => {
  it('nThetaState is truthful: ∂f/∂θ is zero past it, and it covers every state-map block', () => {
    const rng = new Random(12);
    const models: Model[] = [
      linearModel({ nx: 3, nu: 2, ny: 2, feedthrough: true }),
      rnnModel({ nx: 2, nu: 1, ny: 1 }),
      rnnModel({
        nx: 3,
        nu: 2,
        ny: 2,
        state: { hidden: [], linear: true },
        output: { hidden: [5], feedthrough: true },
      }),
      rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [4, 3], linear: false } }),
    ];
    for (const m of models) {
      const n = m.nThetaState!;
      assert.ok(n > 0 && n < m.nTheta, `${m.kind}: 0 < ${n} < ${m.nTheta}`);
      const jac = allocJacobians(m);
      let nonzeroBefore = 0;
      for (let trial = 0; trial < 5; trial++) {
        const th = rng.fillNormal(new Float64Array(m.nTheta));
        const x = rng.fillNormal(new Float64Array(m.nx));
        const u = rng.fillNormal(new Float64Array(m.nu));
        m.jacobians(th, x, u, 0, jac);
        for (let i = 0; i < m.nx; i++)
          for (let c = 0; c < m.nTheta; c++) {
            const v = jac.ftheta[i * m.nTheta + c]!;
            if (c >= n) assert.equal(v, 0, `∂f_${i}/∂θ_${c} past nThetaState = ${n}`);
            else if (v !== 0) nonzeroBefore++;
          }
      }
      assert.ok(nonzeroBefore > 0);
      const last = m.layout.blocks.filter((b) => b.offset < n).at(-1)!;
      assert.equal(last.offset + last.size, n, 'nThetaState ends on a block boundary');
    }
  });

  it('the paper model has the blocks of ALGORITHM.md §8 and 6·5+5+... parameters', () => {
    const m = paperBinaryOutputModel();
    assert.deepEqual(
      m.layout.blocks.map((b) => `${b.name}:${b.rows}x${b.cols}`),
      [
        'state.W1:5x4',
        'state.b1:5x1',
        'state.W2:3x5',
        'state.b2:3x1',
        'output.W1:5x3',
        'output.b1:5x1',
        'output.W2:1x5',
        'output.b2:1x1',
      ],
    );
    assert.equal(m.nTheta, 20 + 5 + 15 + 3 + 15 + 5 + 5 + 1);
  });

  it('the same seed gives the same θ; another seed another θ', () => {
    const m = rnnModel({ nx: 2, nu: 1, ny: 1 });
    assert.deepEqual([...m.init(new Random(9))], [...m.init(new Random(9))]);
    assert.notDeepEqual([...m.init(new Random(9))], [...m.init(new Random(10))]);
  });

  it('createModel(config) rebuilds a model that simulates identically', () => {
    const m = rnnModel({ nx: 2, nu: 1, ny: 1, output: { feedthrough: true } });
    const th = m.init(new Random(3));
    const u = new Random(4).fillNormal(new Float64Array(50));
    const again = createModel(JSON.parse(JSON.stringify(m.config)) as typeof m.config);
    assert.deepEqual(
      [...simulate(again, th, u, 50, [0.1, -0.2]).y],
      [...simulate(m, th, u, 50, [0.1, -0.2]).y],
    );
  });

  it('bad configurations are named', () => {
    const isNails = (re: RegExp) => (e: unknown) => e instanceof NailsError && re.test(e.message);
    assert.throws(
      () => rnnModel({ nx: -1, nu: 1, ny: 1 }),
      isNails(/nx must be a non-negative integer, got -1/),
    );
    assert.throws(
      () => rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [0] } }),
      isNails(/state\.hidden\[0\] must be a positive integer/),
    );
    assert.throws(
      () => rnnModel({ nx: 2, nu: 1, ny: 1, state: { activation: 'relu' as ActivationName } }),
      isNails(/unknown activation 'relu'; use one of tanh/),
    );
    assert.throws(
      () => rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [], linear: false } }),
      isNails(/state map has neither/),
    );
    assert.throws(
      () => linearModel({ nx: 2, nu: 1, ny: 1 }).layout.get('W'),
      isNails(/no parameter block 'W'; its blocks are A, B, C/),
    );
  });
});
