/**
 * A run folder with a corrupted or missing field, read by the command line (`nails evaluate`,
 * `nails export`): one line on stderr naming the file and the field, exit 1, no stack (issue #19).
 * The extension's side is test/extension/job-client.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');

function nails(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
}

describe('a corrupted run folder on the command line', () => {
  let runDir = '';
  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-corrupt-'));
    const spec = path.join(dir, 'tiny.nails');
    writeFileSync(
      spec,
      'experiment tiny\ndata {\n  generate binary_output seed 1 samples 400\n  train 0..200\n  test 200..400 { init 10 }\n}\nmodel linear { states 1 }\nsolver nails { iterations 2 }\n',
    );
    const r = nails('train', spec, '--out', path.join(dir, 'runs'));
    assert.equal(r.status, 0, r.stderr);
    const m = /run folder:? (\S+)/.exec(r.stdout + r.stderr);
    assert.ok(m, `the run folder is printed:\n${r.stdout}`);
    runDir = m[1]!;
  });

  /** Rewrites a JSON file of the run folder, runs the command, restores the file. */
  function withBroken(file: string, edit: (json: Record<string, unknown>) => void, args: string[]) {
    const full = path.join(runDir, file);
    const text = readFileSync(full, 'utf8');
    const json = JSON.parse(text) as Record<string, unknown>;
    edit(json);
    writeFileSync(full, JSON.stringify(json));
    try {
      return nails(...args);
    } finally {
      writeFileSync(full, text);
    }
  }

  it('model.json with a mistyped field: evaluate names the file and the field', () => {
    const r = withBroken(
      'model.json',
      (j) => {
        j.theta = 'oops';
      },
      ['evaluate', runDir],
    );
    assert.equal(r.status, 1, r.stdout);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /model\.json: theta: expected an array, got the string "oops"/);
  });

  it('model.json with a missing field: export names the file and the field', () => {
    const r = withBroken(
      'model.json',
      (j) => {
        delete j.scaling;
      },
      ['export', runDir, '--format', 'json'],
    );
    assert.equal(r.status, 1, r.stdout);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /model\.json: scaling: the field is missing/);
  });

  it('report.json with a mistyped field: evaluate on a file names the file and the field', () => {
    const data = path.join(path.dirname(runDir), 'record.csv');
    writeFileSync(
      data,
      `u1,y1\n${Array.from({ length: 50 }, (_, k) => `${k % 3},${k % 2}`).join('\n')}\n`,
    );
    const r = withBroken(
      'report.json',
      (j) => {
        (j.parts as { metrics: unknown }[])[0]!.metrics = 7;
      },
      ['evaluate', runDir, '--data', data],
    );
    assert.equal(r.status, 1, r.stdout);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /report\.json: parts\[0\]\.metrics: expected an array, got number 7/);
  });
});
