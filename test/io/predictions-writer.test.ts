/**
 * The chunked predictions writer (io/run-folder.ts writePredictions) writes, byte for byte, what
 * the one-string writer it replaced wrote: `k, y…, yhat…` with numbers as String() formats them
 * (NaN, ±Infinity, -0, 1e-7, 1e21 and integers included), across many 64 kB chunks.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Random } from '../../src/core/random';
import { writePredictions } from '../../src/io/run-folder';

const dir = mkdtempSync(path.join(tmpdir(), 'nails-pred-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The writer before chunking: one string of every row. */
function reference(yhat: Float64Array, ny: number, y?: Float64Array): string {
  const head = [
    'k',
    ...(y ? Array.from({ length: ny }, (_, c) => `y${c + 1}`) : []),
    ...Array.from({ length: ny }, (_, c) => `yhat${c + 1}`),
  ];
  const rows = [head.join(',')];
  for (let k = 0; k < yhat.length / ny; k++) {
    let row = String(k);
    if (y) for (let c = 0; c < ny; c++) row += `,${y[k * ny + c]!}`;
    for (let c = 0; c < ny; c++) row += `,${yhat[k * ny + c]!}`;
    rows.push(row);
  }
  return `${rows.join('\n')}\n`;
}

const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1e-7, 1.5e21, -123456789, 0.1 + 0.2, 5e-324];

function values(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: n }, (_, i) =>
    i % 97 === 5 ? SPECIAL[((i / 97) % SPECIAL.length) | 0]! : rng.normal() * 10 ** ((i % 13) - 6),
  );
}

describe('predictions CSV', () => {
  for (const [ny, withY, N] of [
    [1, true, 30_000],
    [2, true, 7_000],
    [3, false, 5_000],
    [1, true, 0],
  ] as const) {
    it(`ny = ${ny}${withY ? ' with y' : ', ŷ only'}, ${N} rows: identical to the one-string writer`, () => {
      const yhat = values(N * ny, 1 + ny);
      const y = withY ? values(N * ny, 7 + ny) : undefined;
      const file = path.join(dir, `p${ny}${withY ? 'y' : ''}${N}.csv`);
      writePredictions(file, yhat, ny, y);
      assert.equal(readFileSync(file, 'utf8'), reference(yhat, ny, y));
    });
  }
});
