/**
 * The default accumulation chunk (src/core/solver/chunk.ts): 512 samples for small models, fewer
 * as the rows a chunk holds (n_l · n_y of them per sample) grow, and the same system as a pass
 * with 512-sample chunks up to rounding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scalingProblem } from '../../bench/cases';
import { CHUNK_BYTES, defaultChunk } from '../../src/core/solver/chunk';
import {
  accumulateGaussNewton,
  denseMatrix,
  gradientVector,
} from '../../src/core/solver/gauss-newton';
import type { Problem } from '../../src/core/solver/problem';
import { assertClose } from '../helpers';

/** A problem of n_θ parameters (only the sizes are read by defaultChunk). */
const sized = (nTheta: number, ny = 1, trainX0 = false, nx = 6) =>
  ({ model: { nx, ny, nTheta }, trainX0 }) as unknown as Problem;

describe('the default accumulation chunk', () => {
  it('keeps a chunk of rows within CHUNK_BYTES: 512 samples up to n_l ≈ 160, fewer above, at least 64', () => {
    assert.equal(defaultChunk(sized(20)), 512);
    assert.equal(defaultChunk(sized(160)), 512);
    assert.equal(defaultChunk(sized(319, 1, true)), 256, 'n_l counts the x0 columns: 325');
    assert.equal(defaultChunk(sized(325)), 256);
    assert.equal(defaultChunk(sized(589)), 128);
    assert.equal(defaultChunk(sized(765)), 96);
    assert.equal(defaultChunk(sized(100000)), 64);
    assert.equal(defaultChunk(sized(325, 2)), 128, 'two outputs: two rows per sample');
    for (const n of [170, 325, 589, 765, 1200]) {
      const c = defaultChunk(sized(n));
      assert.equal(c % 32, 0, `a multiple of 32 at n_l ${n}`);
      assert.ok(
        Math.abs(c * 8 * n - CHUNK_BYTES) <= 16 * 8 * n,
        `within half a step of the budget at ${n}`,
      );
    }
  });

  it('a pass with the default chunk (128 samples at n_z = 589) is the pass with 512-sample chunks up to rounding', () => {
    // bench/chunk.ts's problem at hidden 24 (n_z = 589), on a shorter record.
    const { p, z0: z } = scalingProblem(3000, 24);
    assert.equal(z.length, 589);
    assert.equal(defaultChunk(p), 128);
    const a = accumulateGaussNewton(p, z);
    const b = accumulateGaussNewton(p, z, { chunk: 512 });
    assertClose([a.value], [b.value], 1e-13, 0, 'V');
    assertClose(gradientVector(a), gradientVector(b), 1e-11, 1e-14, '∇V');
    assertClose(denseMatrix(a), denseMatrix(b), 1e-11, 1e-14, 'M');
    assert.ok(
      denseMatrix(a).some((v, i) => v !== denseMatrix(b)[i]),
      'the chunks differ (rounding)',
    );
  });
});
