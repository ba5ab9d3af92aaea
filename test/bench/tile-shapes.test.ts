import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { compileTileShapes, TileProbe } from '../../bench/tile-shapes-probe';
import { Random } from '../../src/core/random';

// bench/tile-shapes.ts compares the tiles' rates; that is only a comparison if they compute the
// same thing. Shapes whose widths do not divide n exercise the zero padding and the diagonal.
describe('tile-shapes probe (bench/tile-shapes.ts)', () => {
  let module: WebAssembly.Module;
  before(() => {
    module = compileTileShapes();
  });

  for (const [rows, n] of [
    [64, 37],
    [33, 6],
    [16, 1],
  ] as const)
    it(`every tile gives AᵀA's upper triangle, the same bits (${rows} × ${n})`, () => {
      const A = new Random(n + rows).fillNormal(new Float64Array(rows * n));
      const p = new TileProbe(module, rows, n, A);
      const m44 = p.product('tile44');
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let r = 0; r < rows; r++) s += A[r * n + i]! * A[r * n + j]!;
          const got = m44[i * n + j]!;
          if (j < i) assert.equal(got, 0, `lower triangle (${i}, ${j}) untouched`);
          else
            assert.ok(
              Math.abs(got - s) <= 1e-12 * Math.max(1, Math.abs(s)),
              `(${i}, ${j}): ${got} vs ${s}`,
            );
        }
      for (const shape of ['tile63', 'tile46'] as const) {
        const m = p.product(shape);
        assert.ok(
          m.every((v, k) => Object.is(v, m44[k])),
          `${shape} differs from tile44`,
        );
      }
    });

  it('the chain probes report a positive rate', () => {
    const p = new TileProbe(module, 8, 8, new Float64Array(64));
    assert.ok(p.chainRate(8, 1e6) > 0);
    assert.ok(p.chainRate(12, 1e6) > 0);
  });
});
