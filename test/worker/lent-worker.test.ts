/** A solver worker lent by a pool: fits one after another on one thread, each as on a fresh one. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { FitSpec } from '../../src/core/fit-job';
import {
  generateBinaryOutput,
  paperBinaryOutputModel,
  PAPER_BINARY_OUTPUT_OBJECTIVE,
} from '../../src/core/generators/binary-output';
import { startFit } from '../../src/worker/solver-host';
import { ROOT } from '../helpers';

const workerPath = path.join(ROOT, 'dist', 'worker.cjs');

function spec(seed: number): FitSpec {
  return {
    model: paperBinaryOutputModel().config,
    train: [generateBinaryOutput({ seed: 3 }).train],
    ...PAPER_BINARY_OUTPUT_OBJECTIVE,
    method: 'nailm',
    options: { maxIterations: 8 },
    init: { seed },
  };
}

describe('a lent solver worker', () => {
  it('runs fits one after another with the results of fresh workers, and stays running', async () => {
    const worker = new Worker(workerPath);
    let exited = false;
    worker.once('exit', () => (exited = true));
    try {
      for (const seed of [1, 2, 1]) {
        const lent = await startFit(spec(seed), { worker, progressIntervalMs: 0 }).result;
        const fresh = await startFit(spec(seed), { workerPath }).result;
        assert.deepEqual([...lent.z], [...fresh.z], `seed ${seed}`);
        assert.equal(lent.value, fresh.value);
        assert.equal(worker.listenerCount('message'), 0, 'its listeners are removed');
      }
      assert.equal(exited, false, 'not terminated after its fits');
    } finally {
      await worker.terminate();
    }
  });

  it('is terminated when a cancel is not answered in time', async () => {
    const worker = new Worker(workerPath);
    const exit = new Promise((r) => worker.once('exit', r));
    const h = startFit({ ...spec(1), options: { maxIterations: 10_000 } }, { worker, graceMs: 0 });
    h.cancel();
    const r = await h.result;
    assert.equal(r.status, 'cancelled');
    // Almost always the 0 ms grace fires first; a worker that answered sooner stays lent.
    if (r.cancel?.terminated) await exit;
    else await worker.terminate();
  });
});
