/**
 * The bad-data matrix of issue #16: every way data can be wrong is a diagnostic on the spec line
 * (and column) that named it, and `nails check` / `nails train` end with one line per problem and
 * a non-zero exit — nothing is silently used. Run through dist/cli.cjs as a user would.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';
import { mat5 } from '../mat5-writer';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

const N = 200;
const wave = (k: number) => [Math.sin(k / 5), Math.cos(k / 7)];
const rows = (f: (k: number) => string) => Array.from({ length: N }, (_, k) => f(k)).join('\n');
const good = (k: number) =>
  wave(k)
    .map((v) => v.toFixed(6))
    .join(',');
const MODEL = 'model rnn { states 1 }\nsolver nailm { iterations 2 }\n';

/** [case, data files, data section, expected line:col, message pattern] */
const CASES: [string, Record<string, string | Buffer>, string, string, RegExp][] = [
  [
    'a NaN in a part (first offending sample named)',
    { 'd.csv': `u,y\n${rows((k) => (k === 17 ? '0.5,NaN' : good(k)))}\n` },
    'file "d.csv"\n  train 0..100 { input u output y }',
    '3:33',
    /'y' has 1 non-finite sample \(NaN or ±Inf\) in samples 0\.\.100, the first at sample 17 \(0-based\)/,
  ],
  [
    'an Inf in the input',
    { 'd.csv': `u,y\n${rows((k) => (k === 3 ? 'Inf,0.5' : good(k)))}\n` },
    'file "d.csv"\n  train { input u output y }',
    '3:17',
    /'u' has 1 non-finite sample .* the first at sample 3/,
  ],
  [
    'columns of different lengths',
    { 'd.csv': `u,y\n${rows((k) => (k >= 150 ? `${good(k).split(',')[0]},` : good(k)))}\n` },
    'file "d.csv"\n  train { input u output y }',
    '3:3',
    /the signals of the train part have different lengths \(200, 150\); select a common range with `train a\.\.b`/,
  ],
  [
    'an empty selection',
    { 'd.csv': `u,y\n${rows(good)}\n` },
    'file "d.csv"\n  train 50..50 { input u output y }',
    '3:9',
    /range 50\.\.50 must satisfy 0 ≤ start < end/,
  ],
  [
    'a selection past the end of the record',
    { 'd.csv': `u,y\n${rows(good)}\n` },
    'file "d.csv"\n  train 100..260 { input u output y }',
    '3:9',
    /range 100\.\.260 is outside the record of 200 samples/,
  ],
  [
    'a non-numeric cell (file, row and column named)',
    { 'd.csv': `u,y\n${rows((k) => (k === 9 ? '0.1,n/a' : good(k)))}\n` },
    'file "d.csv"\n  train { input u output y }',
    '2:8',
    /d\.csv:11: 'n\/a' in column 'y' is not a number/,
  ],
  [
    'a MAT variable of the wrong shape',
    {
      'd.mat': mat5({
        U: {
          rows: 2,
          cols: N,
          values: Float64Array.from({ length: 2 * N }, (_, i) => Math.sin(i)),
        },
        Y: { rows: N, cols: 1, values: Float64Array.from({ length: N }, (_, i) => Math.cos(i)) },
      }),
    },
    'file "d.mat"\n  train { input U output Y }',
    '3:17',
    /'U' is 2×200, not a vector: pick one row with U\[1\] … U\[2\] \(1-based/,
  ],
  [
    'a signal the file does not have',
    { 'd.csv': `u,y\n${rows(good)}\n` },
    'file "d.csv"\n  train { input u output yy }',
    '3:26',
    /'yy' is not in d\.csv \(did you mean 'y'\?\); it has u, y/,
  ],
  [
    'a second file named in a part',
    { 'd.csv': `u,y\n${rows(good)}\n`, 'e.csv': `u,y\n${rows(good)}\n` },
    'train { file "d.csv" input u file "e.csv" output y }',
    '2:37',
    /a part reads one `file`; take a signal from another file/,
  ],
];

describe('bad data: a diagnostic on the line that named it, one line each on the command line', () => {
  for (const [name, files, data, at, message] of CASES)
    it(name, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'nails-bad-'));
      for (const [f, body] of Object.entries(files)) writeFileSync(path.join(dir, f), body);
      const spec = path.join(dir, 'spec.nails');
      writeFileSync(spec, `data {\n  ${data}\n}\n${MODEL}`);
      const c = cli('check', spec);
      assert.equal(c.status, 1, c.stdout + c.stderr);
      const lines = c.stdout.trim().split('\n');
      const hit = lines.find((l) => message.test(l));
      assert.ok(hit, `no line matches ${message}:\n${c.stdout}`);
      assert.ok(hit.startsWith(`${spec}:${at}: error: `), hit);
      const t = cli('train', spec, '--quiet', '--out', path.join(dir, 'runs'));
      assert.equal(t.status, 1);
      assert.ok(t.stderr.includes(hit.slice(spec.length)), t.stderr);
      assert.match(
        t.stderr.trim().split('\n').at(-1)!,
        /^nails: .*spec\.nails has \d error\(s\); fix them and train again$/,
      );
      assert.ok(!/\n\s+at /.test(t.stderr), 'no stack trace');
    });
});
