/**
 * The pass helper served by the fit's host thread (solver-host.ts, serve-pieces.ts): a fit on 2
 * threads with it gives exactly the fit with a helper thread instead, and its pieces really ran
 * on this thread.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import type { FitSpec } from '../../src/core/fit-job';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { startFit } from '../../src/worker/solver-host';
import { servedPieces } from '../../src/worker/serve-pieces';
import { ROOT } from '../helpers';

const workerPath = path.join(ROOT, 'dist', 'worker.cjs');

/** A 20,000-sample record of a small nonlinear system (long enough to be cut into pieces). */
function spec(): FitSpec {
  const N = 20_000;
  const rng = new Random(7);
  const u = rng.fillNormal(new Float64Array(N));
  const y = new Float64Array(N);
  let x = 0;
  for (let k = 0; k < N; k++) {
    y[k] = Math.tanh(x) + 0.01 * rng.normal();
    x = 0.7 * x + 0.5 * u[k]!;
  }
  const model = rnnModel({ nx: 2, nu: 1, ny: 1, state: { hidden: [4] }, output: { hidden: [4] } });
  return {
    model: model.config,
    train: [makeExperiment({ u, y, nu: 1, ny: 1 })],
    loss: { name: 'mse' },
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
    method: 'nailm',
    options: { maxIterations: 4 },
    init: { seed: 1 },
  };
}

describe('the pass helper on the host thread', () => {
  it('gives the same fit as a helper thread, and serves its pieces here', async () => {
    const before = servedPieces.count;
    const hosted = await startFit(spec(), { workerPath, threads: 2 }).result;
    const served = servedPieces.count - before;
    const threaded = await startFit(spec(), { workerPath, threads: 2, hostHelper: false }).result;
    assert.equal(servedPieces.count - before, served, 'hostHelper: false served nothing here');
    assert.ok(served >= 4, `${served} pieces served on the host thread`);
    assert.equal(hosted.iterations, 4);
    assert.deepEqual([...hosted.z], [...threaded.z]);
    assert.equal(hosted.value, threaded.value);
  });
});
