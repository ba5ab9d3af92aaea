/**
 * The default accumulation chunk (src/core/solver/chunk.ts): 512 samples for small models, fewer
 * as the rows a chunk holds (n_l · n_y of them per sample) grow, and the same system as a pass
 * with 512-sample chunks up to rounding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { makeLoss } from '../../src/core/losses';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { CHUNK_BYTES, defaultChunk } from '../../src/core/solver/chunk';
import {
  accumulateGaussNewton,
  denseMatrix,
  gradientVector,
} from '../../src/core/solver/gauss-newton';
import { packZ, type Problem } from '../../src/core/solver/problem';
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
    const rng = new Random(4);
    const model = rnnModel({
      nx: 6,
      nu: 1,
      ny: 1,
      state: { hidden: [24] },
      output: { hidden: [24] },
    });
    const N = 3000;
    const u = rng.fillNormal(new Float64Array(N));
    const y = new Float64Array(N);
    for (let k = 1; k < N; k++) y[k] = Math.tanh(0.5 * u[k - 1]! + 0.3 * y[k - 1]!);
    const p: Problem = {
      model,
      experiments: [makeExperiment({ u, y })],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 1e-4,
      rhoX0: 1e-4,
      trainX0: true,
    };
    const z = packZ(p, model.init(rng), new Float64Array(model.nx));
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
