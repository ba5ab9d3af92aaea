/**
 * The local executor's threads (src/sweep/local-pool.ts): threads started before the sweep's fits
 * are known are taken first (the command starts them while it checks the spec), a started thread
 * that ended is never handed out, and the ones not taken are ended by `close`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { StartedThreads } from '../../src/sweep/local-pool';
import { ROOT } from '../helpers';
import { localSweep, smallSpec } from './sweep-helpers';

const workerPath = path.join(ROOT, 'dist', 'worker.cjs');

/** The rows of a sweep of `seeds` of the small spec (a fresh copy each time). */
async function sweep(seeds: number[], workers: number, started?: StartedThreads) {
  return (await localSweep(smallSpec().spec, seeds, workers, started ? { started } : {})).rows;
}

/** Resolves when `f()` holds (checked every 10 ms); fails after 20 s. */
async function until(f: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!f()) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the local executor's threads (sweep/local-pool.ts)", () => {
  it(
    'takes the started threads first, one per lane, and trains as without them',
    { timeout: 120_000 },
    async () => {
      let taken = 0;
      class Counted extends StartedThreads {
        override take() {
          const w = super.take();
          if (w) taken++;
          return w;
        }
      }
      const started = new Counted(3, workerPath);
      try {
        const rows = await sweep([1, 2, 3, 4], 2, started);
        assert.ok(
          rows.every((r) => r.status === 'done'),
          JSON.stringify(rows),
        );
        assert.equal(taken, 2, 'one per lane');
        const plain = await sweep([1, 2, 3, 4], 2);
        assert.deepEqual(
          rows.map((r) => r.metrics),
          plain.map((r) => r.metrics),
        );
      } finally {
        await started.close();
      }
      assert.equal(started.alive(), 0, 'the third ended');
      assert.equal(started.take(), undefined);
    },
  );

  it(
    'never hands out a started thread that ended; the lane starts its own',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'nails-local-pool-exit-'));
      const exits = path.join(dir, 'exits.cjs');
      writeFileSync(exits, 'process.exit(0);\n');
      const started = new StartedThreads(2, exits);
      await until(() => started.alive() === 0, 'the two threads to end');
      const rows = await sweep([1, 2], 2, started);
      assert.ok(
        rows.every((r) => r.status === 'done'),
        JSON.stringify(rows),
      );
      assert.equal(started.take(), undefined);
      await started.close();
    },
  );
});
