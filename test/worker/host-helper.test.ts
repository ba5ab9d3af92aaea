/**
 * The pass helper served by the fit's host thread (solver-host.ts, serve-pieces.ts): a fit on 2
 * threads with it gives exactly the fit with a helper thread instead, and its pieces really ran
 * on this thread.
 */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { makeExperiment } from '../../src/core/data/experiment';
import type { FitSpec } from '../../src/core/fit-job';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { defaultThreads, startFit } from '../../src/worker/solver-host';
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

describe('threads per fit (README: two when there are two cores, NAILS_THREADS=1 for one)', () => {
  const saved = process.env['NAILS_THREADS'];
  const withEnv = (v: string | undefined, f: () => void) => {
    if (v === undefined) delete process.env['NAILS_THREADS'];
    else process.env['NAILS_THREADS'] = v;
    try {
      f();
    } finally {
      if (saved === undefined) delete process.env['NAILS_THREADS'];
      else process.env['NAILS_THREADS'] = saved;
    }
  };

  it('defaults to the cores up to 2; NAILS_THREADS sets it; a bad value is ignored', () => {
    withEnv(undefined, () => assert.equal(defaultThreads(), Math.min(2, availableParallelism())));
    withEnv('1', () => assert.equal(defaultThreads(), 1));
    withEnv('3', () => assert.equal(defaultThreads(), 3));
    for (const bad of ['0', '-2', '1.5', 'two', ''])
      withEnv(bad, () => assert.equal(defaultThreads(), Math.min(2, availableParallelism()), bad));
  });

  it("a lent worker (a sweep's lane) runs its fits on one thread", async () => {
    const worker = new Worker(workerPath);
    try {
      const before = servedPieces.count;
      const r = await startFit(spec(), { worker }).result;
      assert.equal(r.iterations, 4);
      assert.equal(servedPieces.count, before, 'no piece served on this thread');
    } finally {
      await worker.terminate();
    }
  });

  it('NAILS_THREADS=1: nothing is served here and the fit is the serial one', async () => {
    const before = servedPieces.count;
    // startFit reads NAILS_THREADS when it is called.
    let handle: ReturnType<typeof startFit> | undefined;
    withEnv('1', () => (handle = startFit(spec(), { workerPath })));
    const serial = await handle!.result;
    assert.equal(servedPieces.count, before, 'no piece served on this thread');
    const split = await startFit(spec(), { workerPath, threads: 2 }).result;
    assert.ok(servedPieces.count > before);
    assert.equal(serial.iterations, split.iterations);
    assert.ok(
      Math.abs(serial.value - split.value) <= 1e-9 * split.value,
      `${serial.value} ${split.value}`,
    );
  });
});
