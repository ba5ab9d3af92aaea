import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CustomModel } from '../../src/core/models/custom-model';
import {
  add,
  call,
  diff,
  div,
  FUNCTIONS,
  mul,
  neg,
  pow,
  sub,
  variables,
  type Expr,
} from '../../src/core/models/expression';
import { allocJacobians } from '../../src/core/models/model';
import { Random } from '../../src/core/random';
import { assertClose, finiteDifferenceJacobian } from '../helpers';

const x = (i: number): Expr => ({ k: 'x', i });
const u = (i: number): Expr => ({ k: 'u', i });
const p = (i: number): Expr => ({ k: 'p', i });
const n = (v: number): Expr => ({ k: 'num', v });
const op = (k: 'add' | 'sub' | 'mul' | 'div' | 'pow', a: Expr, b: Expr): Expr => ({ k, a, b });

describe('custom models from expressions', () => {
  // Every operator and function: f1 = p0 x0 + sin(x1) u0 / (1 + p1²) − tanh(p2 x0 x1),
  // f2 = exp(−x1²) + sqrt(1 + x0²)·sigmoid(u0) + log(2 + cos(p0)) + x0^p1 (x0 > 0 here), y = cos(x0)·x1 + p2.
  const f1 = op(
    'sub',
    op(
      'add',
      op('mul', p(0), x(0)),
      op('div', op('mul', call('sin', x(1)), u(0)), op('add', n(1), op('pow', p(1), n(2)))),
    ),
    call('tanh', op('mul', p(2), op('mul', x(0), x(1)))),
  );
  const f2 = op(
    'add',
    op(
      'add',
      op(
        'add',
        call('exp', { k: 'neg', a: op('pow', x(1), n(2)) }),
        op('mul', call('sqrt', op('add', n(1), op('pow', x(0), n(2)))), call('sigmoid', u(0))),
      ),
      call('log', op('add', n(2), call('cos', p(0)))),
    ),
    op('pow', x(0), p(1)),
  );
  const g = op('add', op('mul', call('cos', x(0)), x(1)), p(2));
  const model = new CustomModel({
    kind: 'custom',
    nx: 2,
    nu: 1,
    ny: 1,
    parameters: [
      { name: 'a', init: 0.5 },
      { name: 'b', init: 1.2 },
      { name: 'c', init: -0.3 },
    ],
    state: [f1, f2],
    output: [g],
  });

  it('step derivatives match finite differences at random points', () => {
    const rng = new Random(3);
    for (let trial = 0; trial < 10; trial++) {
      const th = Float64Array.from([0.5, 1.2, -0.3].map((v) => v + 0.2 * rng.normal()));
      const xs = Float64Array.of(0.5 + rng.uniform(), rng.normal());
      const us = Float64Array.of(rng.normal());
      const J = allocJacobians(model);
      model.jacobians(th, xs, us, 0, J);
      const step = (tt: Float64Array, xx: Float64Array, uu: Float64Array) => {
        const xn = new Float64Array(2);
        const y = new Float64Array(1);
        model.step(tt, xx, uu, 0, xn, y, 0);
        return { xn, y };
      };
      assertClose(
        J.fx,
        finiteDifferenceJacobian((q) => step(th, q, us).xn, xs),
        1e-6,
        1e-8,
        'fx',
      );
      assertClose(
        J.fu,
        finiteDifferenceJacobian((q) => step(th, xs, q).xn, us),
        1e-6,
        1e-8,
        'fu',
      );
      assertClose(
        J.ftheta,
        finiteDifferenceJacobian((q) => step(q, xs, us).xn, th),
        1e-6,
        1e-8,
        'ftheta',
      );
      assertClose(
        J.gx,
        finiteDifferenceJacobian((q) => step(th, q, us).y, xs),
        1e-6,
        1e-8,
        'gx',
      );
      assertClose(
        J.gtheta,
        finiteDifferenceJacobian((q) => step(q, xs, us).y, th),
        1e-6,
        1e-8,
        'gtheta',
      );
    }
  });

  it('differentiation folds constants: d(3x + 2)/dx = 3, d(u)/dx = 0', () => {
    assert.deepEqual(diff(op('add', op('mul', n(3), x(0)), n(2)), { k: 'x', i: 0 }), n(3));
    assert.deepEqual(diff(u(0), { k: 'x', i: 0 }), n(0));
  });

  // The model differentiates only by the variables an equation contains (custom-model.ts): that
  // is exact only if ∂e/∂v of every other variable simplifies to the number 0. Expressions are
  // built as the spec's analysis builds them (the folding builders); a non-finite constant (e.g.
  // log(0) folded) makes the old full differentiation give NaN there, so those are left out.
  it('∂e/∂v of a variable e does not contain is the number 0, for random expressions', () => {
    const build = { add, sub, mul, div, pow } as const;
    const expr = fc.letrec<{ e: Expr }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.double({ min: -3, max: 3, noNaN: true }).map(n),
        fc.integer({ min: 0, max: 3 }).map(x),
        fc.integer({ min: 0, max: 1 }).map(u),
        fc.integer({ min: 0, max: 4 }).map(p),
        tie('e').map(neg),
        fc.tuple(fc.constantFrom(...FUNCTIONS), tie('e')).map(([f, a]) => call(f, a)),
        fc
          .tuple(fc.constantFrom('add', 'sub', 'mul', 'div', 'pow' as const), tie('e'), tie('e'))
          .map(([k, a, b]) => build[k](a, b)),
      ),
    })).e;
    const finite = (e: Expr): boolean =>
      e.k === 'num'
        ? Number.isFinite(e.v)
        : 'b' in e
          ? finite(e.a) && finite(e.b)
          : 'a' in e
            ? finite(e.a)
            : true;
    fc.assert(
      fc.property(expr, (e) => {
        fc.pre(finite(e));
        const used = new Set(variables(e).map((v) => `${v.k}${v.i}`));
        for (const k of ['x', 'u', 'p'] as const)
          for (let i = 0; i < 5; i++) {
            if (used.has(`${k}${i}`)) continue;
            const d = diff(e, { k, i });
            assert.ok(d.k === 'num' && d.v === 0, `∂/∂${k}${i} of ${JSON.stringify(e)}`);
          }
      }),
      { numRuns: 500 },
    );
  });

  it('a model with many parameters differentiates each equation by the ones it uses', () => {
    // 200 parameters, each equation using 4: the Jacobian by θ has 4 entries per row.
    const np = 200;
    const eq = (r: number): Expr =>
      op(
        'add',
        op('mul', p(4 * r), x(0)),
        op('mul', p(4 * r + 1), op('mul', p(4 * r + 2), p(4 * r + 3))),
      );
    const m = new CustomModel({
      kind: 'custom',
      nx: 1,
      nu: 1,
      ny: 1,
      parameters: Array.from({ length: np }, (_, i) => ({ name: `q${i}`, init: 0.5 + i / np })),
      state: [eq(0)],
      output: [eq(1)],
    });
    const th = Float64Array.from({ length: np }, (_, i) => (i + 1) / 10);
    const J = allocJacobians(m);
    m.jacobians(th, Float64Array.of(0.7), Float64Array.of(0.2), 0, J);
    const nonzero = (a: Float64Array) => [...a.keys()].filter((i) => a[i] !== 0);
    assert.deepEqual(nonzero(J.ftheta), [0, 1, 2, 3]);
    assert.deepEqual(nonzero(J.gtheta), [4, 5, 6, 7]);
    assertClose(J.ftheta.subarray(0, 4), [0.7, 0.3 * 0.4, 0.2 * 0.4, 0.2 * 0.3], 1e-15);
    assertClose(J.fx, [0.1], 1e-15);
  });

  it('dimension errors are named', () => {
    assert.throws(
      () =>
        new CustomModel({
          kind: 'custom',
          nx: 1,
          nu: 1,
          ny: 1,
          parameters: [],
          state: [x(1)],
          output: [x(0)],
        }),
      /x2 is outside the model \(1 states\)/,
    );
    assert.throws(
      () =>
        new CustomModel({
          kind: 'custom',
          nx: 2,
          nu: 1,
          ny: 1,
          parameters: [],
          state: [x(0)],
          output: [x(0)],
        }),
      /needs 2 state equations, got 1/,
    );
  });
});

describe('a custom model’s seeded start (jitter)', () => {
  const config = (jitter?: number) => ({
    kind: 'custom' as const,
    nx: 1,
    nu: 1,
    ny: 1,
    parameters: [
      { name: 'a', init: 0.5 },
      { name: 'b', init: -2 },
      { name: 'c', init: 0 },
      { name: 'd', init: 40 },
    ],
    ...(jitter !== undefined ? { jitter } : {}),
    state: [op('add', op('mul', p(0), x(0)), op('mul', p(1), u(0)))],
    output: [op('add', op('mul', p(2), x(0)), p(3))],
  });
  const declared = [0.5, -2, 0, 40];

  it('without jitter (or 0) the declared values, whatever the seed', () => {
    for (const j of [undefined, 0])
      for (const seed of [1, 2, 99])
        assert.deepEqual([...new CustomModel(config(j)).init(new Random(seed))], declared);
  });

  it('with jitter j each value is declared · (1 + j·U(−1, 1)): seeds differ, a seed repeats, zero stays zero', () => {
    const m = new CustomModel(config(0.3));
    const starts = [1, 2, 3].map((seed) => [...m.init(new Random(seed))]);
    assert.deepEqual([...m.init(new Random(2))], starts[1]);
    assert.notDeepEqual(starts[0], starts[1]);
    assert.notDeepEqual(starts[1], starts[2]);
    let spread = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const t = m.init(new Random(seed));
      t.forEach((v, i) => {
        const d = declared[i]!;
        if (d === 0) assert.equal(v, 0);
        else {
          const r = v / d - 1;
          assert.ok(Math.abs(r) <= 0.3 + 1e-12, `seed ${seed}, ${i}: ratio ${r}`);
          spread = Math.max(spread, Math.abs(r));
        }
      });
    }
    // Uniform over ±30 %: 200 draws of 3 values come near the edge.
    assert.ok(spread > 0.25, `largest shift ${spread}`);
  });
});
