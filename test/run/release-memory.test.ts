/**
 * releaseMemory (src/run/release-memory.ts): after a burst of short-lived allocations has grown
 * this thread's young generation, it shrinks it again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { releaseMemory } from '../../src/run/release-memory';

const newSpace = () =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

describe('releaseMemory', () => {
  it('shrinks a young generation grown by parsing-like garbage', () => {
    // Lines of text parsed into numbers, with a window of them kept alive for a while (what
    // reading a large table does): V8 grows the young generation.
    let keep: string[] = [];
    let sum = 0;
    for (let i = 0; i < 2_000_000; i++) {
      const line = `${i * 0.37},${i * 1.7}`;
      keep.push(line);
      if (keep.length > 20_000) keep = [];
      sum += Number(line.split(',')[1]);
    }
    assert.ok(sum > 0);
    const grown = newSpace();
    releaseMemory();
    const after = newSpace();
    assert.ok(
      grown >= 4 << 20,
      `the young generation did not grow (${grown} bytes): the test proves nothing`,
    );
    assert.ok(after < grown / 2, `young generation ${grown} → ${after} bytes`);
  });
});
