/**
 * The local executor's threads (src/sweep/local-pool.ts): threads started before the sweep's fits
 * are known are taken first (the command starts them while it checks the spec), a started thread
 * that ended is never handed out, and the ones not taken are ended by `close`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { FitTask, SweepRow } from '../../src/protocol/sweep';
import { localExecutor, StartedThreads } from '../../src/sweep/local-pool';
import { ROOT } from '../helpers';

const workerPath = path.join(ROOT, 'dist', 'worker.cjs');

/** A small spec (a noisy first-order response, 200 samples) in a folder of its own. */
function spec(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-local-pool-'));
  const rows = ['u,y'];
  let x = 0;
  for (let k = 0; k < 200; k++) {
    const u = Math.sin(0.13 * k) + 0.5 * Math.sin(0.041 * k);
    rows.push(`${u},${Math.tanh(x) + 0.01 * Math.cos(7.3 * k)}`);
    x = 0.8 * x + 0.4 * u;
  }
  writeFileSync(path.join(dir, 'rec.csv'), `${rows.join('\n')}\n`);
  const file = path.join(dir, 'rec.nails');
  writeFileSync(
    file,
    `experiment rec
data {
  file "rec.csv"
  sampling 1 s
  input u
  output y
  train 0..150
  test 150..200
}
model rnn {
  states 1
  state { hidden [3] activation tanh linear }
  output { hidden [] linear }
  init random
}
loss mse
solver nailm { iterations 4 }
`,
  );
  return file;
}

async function sweep(file: string, seeds: number[], workers: number, started?: StartedThreads) {
  const sweepDir = mkdtempSync(path.join(tmpdir(), 'nails-local-pool-sweep-'));
  const specText = readFileSync(file, 'utf8');
  const tasks: FitTask[] = seeds.map((seed) => ({
    id: `seed=${seed}`,
    seed,
    settings: {},
    specText,
    specName: 'rec.nails',
  }));
  const rows: SweepRow[] = [];
  await localExecutor(
    { specFile: file, dataDirs: [], sweepDir, worker: 'local', workerPath },
    workers,
    undefined,
    started,
  ).run(
    tasks,
    () => undefined,
    (r) => rows.push(r),
  );
  return rows.sort((a, b) => a.seed - b.seed);
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
      const file = spec();
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
        const rows = await sweep(file, [1, 2, 3, 4], 2, started);
        assert.ok(
          rows.every((r) => r.status === 'done'),
          JSON.stringify(rows),
        );
        assert.equal(taken, 2, 'one per lane');
        const plain = await sweep(file, [1, 2, 3, 4], 2);
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
      const rows = await sweep(spec(), [1, 2], 2, started);
      assert.ok(
        rows.every((r) => r.status === 'done'),
        JSON.stringify(rows),
      );
      assert.equal(started.take(), undefined);
      await started.close();
    },
  );
});
