/** `nails train` options that change what is trained or printed (no benchmark data needed). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const SPEC = path.join(ROOT, 'examples', 'binary-output.nails');

function train(...args: string[]) {
  const out = mkdtempSync(path.join(tmpdir(), 'nails-train-'));
  const r = spawnSync(process.execPath, [CLI, 'train', SPEC, '--out', out, ...args], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const dir = /^run folder: (.+)$/m.exec(r.stdout)![1]!;
  const text = readFileSync(path.join(dir, 'report.json'), 'utf8');
  return { stdout: r.stdout, text, report: JSON.parse(text) as { value: number } };
}

describe('nails train options', () => {
  it('--seed replaces the spec seed: another seed, another start and result', () => {
    const a = train('--seed', '1', '--iterations', '3', '--quiet');
    const b = train('--seed', '2', '--iterations', '3', '--quiet');
    const again = train('--seed', '1', '--iterations', '3', '--quiet');
    assert.notEqual(a.report.value, b.report.value);
    assert.equal(a.report.value, again.report.value, 'the same seed trains the same');
  });

  it('--seed N is the first seed of a multi-start', () => {
    const r = train('--seed', '5', '--starts', '2', '--iterations', '2', '--quiet');
    const { starts } = JSON.parse(r.text) as { starts: { seed: number }[] };
    assert.deepEqual(
      starts.map((s) => s.seed),
      [5, 6],
    );
  });

  it('a classification output gets an accuracy column', () => {
    const r = train('--iterations', '2');
    assert.match(r.stdout, /accuracy %/);
    assert.match(r.stdout, /^test\s+1000\s+50\s+y1\s/m);
    assert.equal((JSON.parse(r.text) as { classification: boolean }).classification, true);
  });

  it('--quiet prints the final line and the run folder only', () => {
    const lines = train('--iterations', '2', '--quiet').stdout.trim().split('\n');
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /^budget: .*loss [0-9.e+-]+, wall/);
    assert.match(lines[1]!, /^run folder: /);
  });
});

describe('a run that fails', () => {
  it('prints its reason on one line and no table of non-finite metrics', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-fail-'));
    const spec = path.join(dir, 'unstable.nails');
    writeFileSync(
      spec,
      "data {\n  generate binary_output seed 1 samples 2000\n  train 0..1000\n}\nmodel custom {\n  states 1\n  parameters { a = 3 }\n  state { x1' = a*x1 + u1 }\n  output { y1 = x1 }\n}\n",
    );
    const r = spawnSync(process.execPath, [CLI, 'train', spec, '--out', dir], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    // One line: the reason (the start does not simulate to finite values).
    assert.match(r.stderr, /^nails: training failed: [^\n]*finite[^\n]*\n$/);
    // No metrics table (the linear baseline's own line may name its RMSE).
    assert.doesNotMatch(r.stdout, /^(part|train|test)\s/m);
    assert.doesNotMatch(r.stdout, /infinity|\bnan\b/i);
    assert.match(r.stdout, /^run folder: /m);
  });
});

describe('a data section with a file per part', () => {
  it('trains from train.csv and test.csv and scores the test part', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-parts-'));
    const csv = (phase: number) =>
      `u,y\n${Array.from({ length: 200 }, (_, k) => `${Math.sin(k / 5 + phase).toFixed(5)},${Math.cos(k / 7 + phase).toFixed(5)}`).join('\n')}\n`;
    writeFileSync(path.join(dir, 'train.csv'), csv(0));
    writeFileSync(path.join(dir, 'test.csv'), csv(1));
    const spec = path.join(dir, 'parts.nails');
    writeFileSync(
      spec,
      'data {\n  train { file "train.csv" input u output y }\n  test { file "test.csv" input u output y init 10 }\n}\nmodel rnn { states 2 }\n',
    );
    const r = spawnSync(process.execPath, [CLI, 'train', spec, '--iterations', '2', '--out', dir], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, '', 'no diagnostics');
    assert.match(r.stdout, /^test\s+200\s+10\s+y\s+[0-9.]+/m);
    assert.match(r.stdout, /^train\s+200\s+0\s+y\s+[0-9.]+/m);
  });
});

describe('where runs go', () => {
  it('without --out, the run folder is in runs/ beside the spec', () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'nails-beside-')));
    const spec = path.join(dir, 'binary.nails');
    copyFileSync(SPEC, spec);
    const r = spawnSync(process.execPath, [CLI, 'train', spec, '--iterations', '2', '--quiet'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const runDir = /^run folder: (.+)$/m.exec(r.stdout)![1]!;
    assert.equal(path.dirname(realpathSync(runDir)), path.join(dir, 'runs'));
  });
});
