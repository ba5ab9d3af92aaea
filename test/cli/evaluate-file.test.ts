/**
 * `nails evaluate RUN --data FILE` (issue #16): a model trained from a spec scores a new CSV
 * without editing the spec — the same metrics as the spec's own test part when the file holds
 * that part's samples, predictions only when it holds no outputs, one-line errors otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

const N = 1500;
const u = Array.from({ length: N }, (_, k) => Math.sin(0.05 * k) + 0.5 * Math.sin(0.23 * k + 1));
const y = new Array<number>(N).fill(0);
for (let k = 1; k < N; k++) y[k] = 0.9 * y[k - 1]! + 0.1 * Math.tanh(1.2 * u[k - 1]!);
const csv = (cols: Record<string, number[]>, a: number, b: number) =>
  `${Object.keys(cols).join(',')}\n${Array.from({ length: b - a }, (_, k) =>
    Object.values(cols)
      .map((c) => c[a + k]!.toPrecision(17))
      .join(','),
  ).join('\n')}\n`;

describe('nails evaluate RUN --data FILE', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-evalfile-'));
  writeFileSync(path.join(dir, 'record.csv'), csv({ u, y }, 0, N));
  writeFileSync(path.join(dir, 'new.csv'), csv({ u, y }, 1000, N));
  writeFileSync(path.join(dir, 'inputs.csv'), csv({ u }, 1000, N));
  writeFileSync(
    path.join(dir, 'spec.nails'),
    'data {\n  file "record.csv"\n  input u\n  output y unit V\n  train 0..1000\n  test 1000..1500 { init 10 }\n}\nmodel rnn { states 1 state { hidden [4] activation tanh linear } }\nsolver nailm { iterations 10 }\n',
  );
  const t = cli('train', path.join(dir, 'spec.nails'), '--out', path.join(dir, 'runs'), '--quiet');
  const run = /^run folder: (.+)$/m.exec(t.stdout)?.[1];

  it('scores a new CSV like the spec’s own test part, and writes its predictions', () => {
    assert.equal(t.status, 0, t.stderr);
    const report = JSON.parse(readFileSync(path.join(run!, 'report.json'), 'utf8')) as {
      parts: { kind: string; metrics: { rmse: number; fit: number }[] }[];
    };
    const test = report.parts.find((p) => p.kind === 'test')!.metrics[0]!;
    const r = cli('evaluate', run!, '--data', path.join(dir, 'new.csv'), '--init', '10');
    assert.equal(r.status, 0, r.stderr);
    const m =
      /new\.csv: N = 500, n_init = 10, inputs u: y RMSE (\S+) V, NRMSE \S+, fit (\S+) %/.exec(
        r.stdout,
      );
    assert.ok(m, r.stdout);
    assert.equal(Number(m[1]), Number(test.rmse.toPrecision(5)));
    assert.equal(Number(m[2]), Number(test.fit.toFixed(2)));
    const file = /^predictions: (.+)$/m.exec(r.stdout)![1]!;
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'k,y1,yhat1');
    assert.equal(rows.length, 501);
    assert.equal(Number(rows[7]!.split(',')[1]), Number(y[1006]!.toPrecision(17)));
  });

  it('a file with the inputs only gives predictions; --init then needs --output', () => {
    const r = cli(
      'evaluate',
      run!,
      '--data',
      path.join(dir, 'inputs.csv'),
      '--out',
      path.join(dir, 'p.csv'),
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /inputs\.csv: N = 500, n_init = 0, inputs u: no measured outputs \(y not in the file\), predictions only/,
    );
    const rows = readFileSync(path.join(dir, 'p.csv'), 'utf8').trim().split('\n');
    assert.equal(rows[0], 'k,yhat1');
    assert.equal(rows.length, 501);
    const bad = cli('evaluate', run!, '--data', path.join(dir, 'inputs.csv'), '--init', '5');
    assert.equal(bad.status, 1);
    assert.equal(
      bad.stderr.trim(),
      'nails: --init 5 estimates x0 from measured outputs, but inputs.csv holds none of y; name them with --output',
    );
  });

  it('wrong names and counts are one line and a non-zero exit', () => {
    for (const [args, re] of [
      [
        ['--input', 'q'],
        /^nails: .*new\.csv has no variable or column 'q' \(did you mean 'u'\?\); it has: u, y$/,
      ],
      [['--input', 'u,y'], /^nails: the model has 1 input; --input names 2 \(u, y\)$/],
      [['--init', '600'], /^nails: --init 600 leaves no samples of the 500 in /],
    ] as const) {
      const r = cli('evaluate', run!, '--data', path.join(dir, 'new.csv'), ...args);
      assert.notEqual(r.status, 0);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr.trim(), re);
    }
    const stray = cli('evaluate', run!, '--init', '4');
    assert.equal(stray.status, 2);
    assert.equal(stray.stderr.trim(), 'nails evaluate: --init goes with --data FILE');
  });
});
