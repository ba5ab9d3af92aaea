/**
 * Memory of reading a text table, asserted without timing anything: a 2e5-row CSV (two columns,
 * 3.2 MB as doubles) is read in chunks of at most 64 kB, never as one string, and the V8 heap +
 * ArrayBuffer bytes grow by less than 3× the doubles at the peak (the whole-file reader held
 * the file's bytes, its text and columns grown by doubling: about 5×) and by the columns alone
 * afterwards. Measured in a child process with a 1 MB young generation, so that the garbage of
 * the lines parsed stays small against the data.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Random } from '../../src/core/random';
import { ROOT } from '../helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'nails-stream-mem-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('text table memory', () => {
  it('a 2e5-row CSV is read in 64 kB chunks with heap + ArrayBuffers under 3× its doubles', () => {
    const N = 200_000;
    const rng = new Random(3);
    const lines = ['u,y'];
    for (let k = 0; k < N; k++) lines.push(`${rng.normal().toPrecision(9)},${rng.normal()}`);
    const file = path.join(dir, 'big.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-semi-space-size=1',
        '--import',
        'tsx',
        path.join(ROOT, 'test', 'io', 'stream-memory-child.ts'),
        file,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      rows: number;
      peakGrowth: number;
      retainedGrowth: number;
      maxChunk: number;
      decoded: number;
    };
    const doubles = 2 * N * 8;
    assert.equal(r.rows, N);
    assert.equal(r.decoded, statSync(file).size, 'every byte decoded once');
    assert.ok(r.maxChunk <= 65536, `a chunk of ${r.maxChunk} bytes`);
    assert.ok(
      r.peakGrowth < 3 * doubles,
      `peak growth ${(r.peakGrowth / 1e6).toFixed(1)} MB ≥ 3 × ${(doubles / 1e6).toFixed(1)} MB`,
    );
    assert.ok(
      r.retainedGrowth < 1.1 * doubles + 1e6,
      `retained ${(r.retainedGrowth / 1e6).toFixed(1)} MB for ${(doubles / 1e6).toFixed(1)} MB of doubles`,
    );
  });
});
