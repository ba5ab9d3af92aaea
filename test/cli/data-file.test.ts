/** `nails data FILE` on the built command line (dist/cli.cjs; `npm run build` first). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'data-formats');
const run = (args: string[], cwd = ROOT) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });

describe('nails data FILE', () => {
  it('is built', () =>
    assert.ok(existsSync(CLI), `run \`npm run build\` first: ${CLI} is missing`));

  it('a MAT v5 file: format, every variable, the 3×N matrix and how to pick its rows, Ts', () => {
    const r = run(['data', 'v5.mat'], FIXTURES);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      `${path.join(FIXTURES, 'v5.mat')}: MATLAB v5–v7 MAT-file (Level 5)`,
      '  u             100×1       min -0.999923  max 0.999574  mean 0.186474  NaN 0  Inf 0',
      '  y             1×100       min 0.0878488  max 1.10769  mean 0.400918  NaN 0  Inf 0',
      '  Acceleration  3×100       min -0.99999  max 0.999994  mean 0.0814422  NaN 0  Inf 0  (rows are channels: Acceleration[1] … Acceleration[3])',
      '  Ts            1×1         min 0.01  max 0.01  mean 0.01  NaN 0  Inf 0',
      '  info          not numeric: struct',
      '  c             not numeric: cell',
      '  name          not numeric: char',
      "  sampling time: Ts = 0.01 s, from variable 'Ts'",
    ]);
  });

  it('a whitespace text file with NaN and Inf: counted, Ts from the time column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-data-'));
    const file = path.join(dir, 'log.txt');
    writeFileSync(file, '% logger\ntime u y\n0 1 NaN\n0.5 2 3\n1.0 3 Inf\n1.5 4 -inf\n');
    const r = run(['data', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      `${file}: text table (whitespace-separated)`,
      '  time  4×1         min 0  max 1.5  mean 0.75  NaN 0  Inf 0',
      '  u     4×1         min 1  max 4  mean 2.5  NaN 0  Inf 0',
      '  y     4×1         min 3  max 3  mean 3  NaN 1  Inf 2',
      "  sampling time: Ts = 0.5 s, from time stamps 'time': 4 samples from 0 to 1.5, uniformly spaced",
    ]);
  });

  it('a missing or corrupt file: one line on stderr, exit 1, no stack', () => {
    const missing = run(['data', 'no-such-file.npz'], FIXTURES);
    assert.equal(missing.status, 1);
    assert.equal(missing.stdout, '');
    assert.match(
      missing.stderr,
      /^nails: cannot find data file 'no-such-file\.npz': looked at .*\n$/,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-data-'));
    const bad = path.join(dir, 'cut.mat');
    writeFileSync(bad, readFileSync(path.join(FIXTURES, 'v4.mat')).subarray(0, 700));
    const corrupt = run(['data', bad]);
    assert.equal(corrupt.status, 1);
    assert.equal(
      corrupt.stderr,
      `nails: ${bad}: truncated: variable 'u' (100×1 double) needs 800 bytes of data but only 678 are left\n`,
    );
  });

  it('a benchmark id still gives the benchmark summary (the argument is not a file)', () => {
    const r = run(['data', 'no_such_benchmark']);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^nails: unknown dataset 'no_such_benchmark'; known datasets: cascaded_tanks/,
    );
  });
});
