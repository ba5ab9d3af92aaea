/**
 * `nails new DATA` (issue #14, item 5): a starter spec from a data file with settings recommended
 * from the data — the linear stage finds the order of a known system, the spec checks clean and
 * trains, and every mistake is one line with a non-zero exit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Random } from '../../src/core/random';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const cli = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });

/**
 * A lightly damped second-order system (poles 0.95 e^{±0.2i}) with a mild output nonlinearity,
 * driven by a random-phase multisine, 1 % measurement noise: y = tanh(x1) + e.
 */
function record(N: number, seed: number): { u: number[]; y: number[] } {
  const rng = new Random(seed);
  const phases = Array.from({ length: 20 }, () => 2 * Math.PI * rng.uniform());
  const u = Array.from(
    { length: N },
    (_, k) =>
      phases.reduce((s, p, i) => s + Math.sin((2 * Math.PI * (i + 1) * k) / 400 + p), 0) / 4,
  );
  const r = 0.95;
  const w = 0.2;
  const a1 = 2 * r * Math.cos(w);
  const a2 = -r * r;
  const x = [0, 0];
  const y: number[] = [];
  for (let k = 0; k < N; k++) {
    y.push(Math.tanh(x[0]!) + 0.01 * rng.normal());
    const next = a1 * x[0]! + a2 * x[1]! + 0.005 * u[k]!;
    x[1] = x[0]!;
    x[0] = next;
  }
  return { u, y };
}

const csv = (cols: Record<string, number[]>) =>
  `${Object.keys(cols).join(',')}\n${cols[Object.keys(cols)[0]!]!.map((_, k) =>
    Object.values(cols)
      .map((c) => c[k]!.toPrecision(10))
      .join(','),
  ).join('\n')}\n`;

describe('nails new DATA', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-new-'));
  const { u, y } = record(2000, 1);
  writeFileSync(path.join(dir, 'plant.csv'), csv({ time: u.map((_, k) => 0.01 * k), u, y }));

  it('writes a spec that checks clean and trains, with the order of the system', () => {
    const r = cli(dir, 'new', 'plant.csv');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /inputs u; outputs y; 1400 training and 600 test samples/);
    assert.match(r.stdout, /next: nails train plant\.nails/);
    const spec = readFileSync(path.join(dir, 'plant.nails'), 'utf8');
    assert.match(spec, /^ {2}file "plant\.csv"$/m);
    assert.match(spec, /^ {2}sampling 0\.01 s {3}\/\/ from time stamps 'time'/m);
    assert.match(spec, /^ {2}states 2 /m, 'a second-order system');
    assert.match(spec, /^ {2}train 0\.\.1400 /m);
    assert.match(spec, /^ {2}test 1400\.\.2000$/m);
    assert.match(spec, /^ {2}l2 weights 1e-3 x0 1e-3 /m);
    const check = cli(dir, 'check', 'plant.nails');
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const train = cli(dir, 'train', 'plant.nails', '--iterations', '3', '--quiet', '--out', 'runs');
    assert.equal(train.status, 0, train.stderr);
    const run = path.resolve(dir, /^run folder: (.+)$/m.exec(train.stdout)![1]!);
    const report = JSON.parse(readFileSync(path.join(run, 'report.json'), 'utf8')) as {
      parts: { kind: string; metrics: { rmse: number }[] }[];
    };
    const test = report.parts.find((p) => p.kind === 'test')!.metrics[0]!.rmse;
    assert.ok(Number.isFinite(test) && test < 0.5, `test RMSE ${test}`);
  });

  it('pairs a test record by name (u/y ↔ u_val/y_val)', () => {
    const v = record(800, 2);
    writeFileSync(
      path.join(dir, 'pair.csv'),
      csv({ u: u.slice(0, 800), y: y.slice(0, 800), u_val: v.u, y_val: v.y }),
    );
    const r = cli(dir, 'new', 'pair.csv', '--sampling', '10 ms', '--name', 'paired');
    assert.equal(r.status, 0, r.stderr);
    const spec = readFileSync(path.join(dir, 'pair.nails'), 'utf8');
    assert.match(spec, /^experiment paired$/m);
    assert.match(spec, /^ {2}sampling 0\.01 s$/m);
    assert.match(spec, /^ {2}train \{ input u output y \}$/m);
    assert.match(spec, /^ {2}test \{ input u_val output y_val init \d+ \}/m);
    assert.equal(cli(dir, 'check', 'pair.nails').status, 0);
  });

  it('refuses mistakes in one line with a non-zero exit', () => {
    writeFileSync(path.join(dir, 'cols.csv'), csv({ a: u, b: y }));
    const cases: [string[], RegExp][] = [
      [['new', 'cols.csv'], /name the signals with --input and --output \(its vectors: a, b\)/],
      [
        ['new', 'plant.csv', '--input', 'v', '--output', 'y', '--out', 'x.nails'],
        /has no numeric variable 'v' \(it has: time, u, y\)/,
      ],
      [
        ['new', 'plant.csv', '--input', 'u', '--out', 'q.nails'],
        /give --input and --output together/,
      ],
      [['new', 'plant.csv'], /plant\.nails exists; choose another --out or add --force/],
      [
        ['new', 'plant.csv', '--sampling', 'fast', '--out', 'y.nails'],
        /--sampling 'fast' is not a positive time or rate/,
      ],
      [
        ['new', 'plant.csv', '--name', '1x', '--out', 'z.nails'],
        /--name '1x' is not an identifier/,
      ],
      [['new', 'missing.csv', '--out', 'w.nails'], /missing\.csv/],
    ];
    for (const [args, message] of cases) {
      const r = cli(dir, ...args);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
    }
    for (const f of ['q.nails', 'x.nails', 'y.nails', 'z.nails', 'w.nails'])
      assert.equal(existsSync(path.join(dir, f)), false, `${f} not written`);
  });
});
