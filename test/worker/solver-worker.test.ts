import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import type { FitSpec } from '../../src/core/fit-job';
import {
  generateBinaryOutput,
  paperBinaryOutputModel,
  PAPER_BINARY_OUTPUT_OBJECTIVE,
} from '../../src/core/generators/binary-output';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { startFit, startMultiStart } from '../../src/worker/solver-host';
import { ROOT } from '../helpers';

const workerPath = path.join(ROOT, 'dist', 'worker.cjs');

function binarySpec(overrides: Partial<FitSpec> = {}): FitSpec {
  const data = generateBinaryOutput({ seed: 3 });
  const model = paperBinaryOutputModel();
  return {
    model: model.config,
    train: [data.train],
    ...PAPER_BINARY_OUTPUT_OBJECTIVE,
    method: 'nailm',
    options: { maxIterations: 40 },
    init: { seed: 1 },
    ...overrides,
  };
}

describe('the bundled solver worker (dist/worker.cjs)', () => {
  it('is built', () =>
    assert.ok(existsSync(workerPath), `run \`npm run build\` first: ${workerPath} is missing`));

  it('fits and reports progress', async () => {
    const progress: number[] = [];
    const h = startFit(binarySpec(), {
      workerPath,
      progressIntervalMs: 0,
      onProgress: (r) => progress.push(r.value),
    });
    const r = await h.result;
    assert.equal(r.method, 'NAILM');
    assert.equal(r.iterations, 40);
    assert.equal(r.status, 'budget');
    assert.equal(r.stopTest, 'iterations');
    assert.ok(progress.length >= 10, `${progress.length} progress messages`);
    assert.ok(r.value < 0.3, `trained loss ${r.value}`);
    assert.equal(r.z.length, 69 + 3);
  });

  it('throttles progress: at most one record per interval', async () => {
    const progress: number[] = [];
    const h = startFit(binarySpec(), {
      workerPath,
      progressIntervalMs: 60_000,
      onProgress: (r) => progress.push(r.value),
    });
    const r = await h.result;
    assert.equal(r.iterations, 40);
    assert.ok(progress.length <= 1, `${progress.length} progress messages in one interval`);
  });

  it('a cancel at iteration k is answered by the worker with the best parameters so far', async () => {
    const k = 5;
    let requested = 0;
    const h = startFit(binarySpec({ options: { maxIterations: 100000 } }), {
      workerPath,
      progressIntervalMs: 0,
      // Cancel when the first progress message for iteration k arrives (no timer, no race).
      onProgress: (r) => {
        if (r.iteration >= k && requested === 0) {
          requested = r.iteration;
          h.cancel();
        }
      },
    });
    const r = await h.result;
    assert.equal(requested, k, 'every iteration is reported with progressIntervalMs 0');
    assert.equal(r.status, 'cancelled');
    assert.match(r.message, /^cancelled: best parameters so far returned/);
    assert.ok(r.cancel && !r.cancel.terminated, 'the worker answered; it was not terminated');
    assert.ok(r.iterations >= k && r.iterations < 100000, `${r.iterations} iterations`);
    const accepted = r.history.filter((x) => x.accepted);
    assert.ok(accepted.length >= 1 && r.history.length >= k, `${r.history.length} records`);
    // The kept point is the best accepted one: no record below it (NAILM accepts only decreases).
    assert.ok(
      r.value <= Math.min(...accepted.map((x) => x.value)) * (1 + 1e-12),
      `kept ${r.value}, best in history ${Math.min(...accepted.map((x) => x.value))}`,
    );
    assert.equal(r.z.length, 69 + 3);
    assert.ok(r.z.every(Number.isFinite));
  });

  it('under two busy background processes a cancel mid-pass still returns within 0.5 s', async (t) => {
    // A long problem: 200,000 samples, so one Gauss–Newton pass takes far longer than 0.5 s and
    // the request lands inside a pass (the solver polls the flag every accumulation chunk).
    const rng = new Random(2);
    const N = 200000;
    const e = makeExperiment({
      u: rng.fillNormal(new Float64Array(N)),
      y: rng.fillNormal(new Float64Array(N)),
    });
    const model = rnnModel({
      nx: 4,
      nu: 1,
      ny: 1,
      state: { hidden: [16] },
      output: { hidden: [16] },
    });
    const spec: FitSpec = {
      ...binarySpec(),
      model: model.config,
      train: [e],
      loss: { name: 'mse' },
      options: { maxIterations: 10000 },
    };
    const busy = [0, 1].map(() =>
      spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }),
    );
    try {
      let t0 = 0;
      const h = startFit(spec, {
        workerPath,
        progressIntervalMs: 0,
        onProgress: (r) => {
          if (r.iteration >= 1 && t0 === 0) {
            t0 = performance.now();
            h.cancel();
          }
        },
      });
      const r = await h.result;
      const dt = performance.now() - t0;
      t.diagnostic(
        `cancel answered ${dt.toFixed(0)} ms after the request (worker says ${r.cancel?.answeredMs.toFixed(0)} ms), ${r.iterations} iterations`,
      );
      assert.ok(t0 > 0, 'iteration 1 was reported');
      assert.equal(r.status, 'cancelled');
      assert.ok(dt < 500, `answered ${dt.toFixed(0)} ms after the request`);
      assert.match(
        r.message,
        /^cancelled: best parameters so far returned/,
        'the solver stopped by itself (shared flag), not by termination',
      );
      assert.equal(r.cancel?.terminated, false);
      assert.equal(r.z.length, model.nTheta + 4);
      assert.ok(Number.isFinite(r.value));
    } finally {
      for (const b of busy) b.kill('SIGKILL');
    }
  });

  it('a worker that does not answer a cancel is terminated after the hard timeout, and the result says so', async () => {
    const stuck = path.join(ROOT, 'test', 'fixtures', 'stuck-worker.cjs');
    let t0 = 0;
    const h = startFit(binarySpec(), {
      workerPath: stuck,
      graceMs: 300,
      onProgress: () => {
        t0 = performance.now();
        h.cancel();
      },
    });
    const r = await h.result;
    const dt = performance.now() - t0;
    assert.equal(r.status, 'cancelled');
    assert.match(
      r.message,
      /did not answer the cancel request within 300 ms and was terminated; the last reported parameters \(iteration 1\) returned/,
    );
    assert.ok(r.cancel?.terminated, 'reported as terminated');
    assert.ok(dt >= 290 && dt < 2000, `terminated ${dt.toFixed(0)} ms after the request`);
    // The fixture reports z = [1, 2, 3], which is not this problem's size: the start is returned.
    assert.equal(r.z.length, 69 + 3, 'a z of the problem size');
    assert.equal(r.nTheta, 69, 'θ size from the spec, so a run folder can be written');
    assert.equal(r.value, 0.5);
    assert.equal(r.history.length, 1);
  });

  it('bad input comes back as a clear error, not a crash', async () => {
    const h = startFit(binarySpec({ loss: { name: 'hinge' } as unknown as FitSpec['loss'] }), {
      workerPath,
    });
    await assert.rejects(h.result, /unknown loss 'hinge'; use one of mse/);
  });

  it('multi-start runs every start on a pool and picks the best training loss', async () => {
    const done: number[] = [];
    const h = startMultiStart(binarySpec({ options: { maxIterations: 15 } }), {
      workerPath,
      starts: 3,
      seed: 10,
      poolSize: 2,
      select: 'train',
      onStartDone: (i) => done.push(i),
    });
    const { best, all, bestIndex } = await h.result;
    assert.equal(all.length, 3);
    assert.deepEqual(done.sort(), [0, 1, 2]);
    assert.deepEqual(all.map((r) => r.seed).sort(), [10, 11, 12]);
    assert.equal(best.value, Math.min(...all.map((r) => r.value)));
    assert.equal(best.seed, 10 + bestIndex);
  });

  it('runs ADMM from a spec with terms: exact ℓ0 budget, residuals in the progress', async () => {
    const progress: { primal?: number; dual?: number }[] = [];
    const spec = binarySpec({
      options: { maxIterations: 30 },
      regularize: {
        terms: [{ kind: 'l0-budget', k: 25, blocks: ['all'] }],
        admm: { iterations: 20, rhoGrowth: 1.1 },
      },
    });
    const r = await startFit(spec, {
      workerPath,
      progressIntervalMs: 0,
      onProgress: (rec) => progress.push(rec),
    }).result;
    assert.equal(r.method, 'ADMM + NAILM');
    assert.equal([...r.z.subarray(0, r.nTheta)].filter((v) => v !== 0).length, 25);
    assert.ok(r.admm && r.admm.report.nonZeros === 25);
    assert.ok(
      progress.some((p) => typeof p.primal === 'number' && typeof p.dual === 'number'),
      'ADMM residuals reported',
    );
  });

  it('multi-start can select by validation loss', async () => {
    const data = generateBinaryOutput({ seed: 5 });
    const h = startMultiStart(
      binarySpec({ options: { maxIterations: 10 }, validation: [data.test] }),
      { workerPath, starts: 2, seed: 1, poolSize: 2, select: 'validation' },
    );
    const { best, all } = await h.result;
    assert.ok(
      all.every((r) => typeof r.validationLoss === 'number' && Number.isFinite(r.validationLoss)),
    );
    assert.equal(best.validationLoss, Math.min(...all.map((r) => r.validationLoss!)));
  });
});
