/**
 * `nails sweep` on the local pool (the bundled CLI): one row per fit, each fit the same result as
 * `nails train --seed s` of its modified spec, resumable after an interruption, a bad value a
 * failed row, an unknown key a usage error.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nails, smallSpec, sweepFile } from './sweep-helpers';

const started = (stderr: string) => [...stderr.matchAll(/^started (\S+)/gm)].map((m) => m[1]!);

describe('nails sweep (local pool)', () => {
  it('one row per fit, each as `nails train --seed s` of its spec', () => {
    const { dir, spec } = smallSpec();
    const out = path.join(dir, 'sweeps');
    const r = nails(
      'sweep',
      spec,
      '--set',
      'model.states=1,2',
      '--seeds',
      '1..2',
      '--iterations',
      '3',
      '--workers',
      '2',
      '--out',
      out,
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const { dir: sweepDir, file } = sweepFile(r.stdout);
    assert.equal(file.format, 'nails-sweep/1');
    assert.equal(file.rows.length, 4);
    assert.ok(
      file.rows.every((x) => x.status === 'done'),
      JSON.stringify(file.rows),
    );
    assert.deepEqual(
      file.rows.map((x) => x.id),
      [
        'model.states=1,seed=1',
        'model.states=1,seed=2',
        'model.states=2,seed=1',
        'model.states=2,seed=2',
      ],
    );
    assert.match(r.stdout, /^sorted by test RMSE/m);
    assert.match(r.stdout, /^Pareto front \(test RMSE vs states\):/m);
    assert.match(r.stderr, /\[4 done, 0 running, 0 failed of 4; 2 parallel\]/);
    for (const row of file.rows) {
      const run = path.join(sweepDir, row.run!);
      const alone = path.join(dir, 'alone');
      const t = nails(
        'train',
        path.join(run, 'spec.nails'),
        '--seed',
        String(row.seed),
        '--iterations',
        '3',
        '--out',
        alone,
        '--quiet',
      );
      assert.equal(t.status, 0, t.stdout + t.stderr);
      const runAlone = /^run folder: (.+)$/m.exec(t.stdout)![1]!;
      const theta = (d: string) =>
        (JSON.parse(readFileSync(path.join(d, 'model.json'), 'utf8')) as { theta: number[] }).theta;
      assert.deepEqual(theta(run), theta(runAlone), `${row.id}: same θ as nails train`);
      assert.match(
        readFileSync(path.join(run, 'spec.nails'), 'utf8'),
        new RegExp(`states ${row.settings['model.states']}`),
      );
    }
  });

  it('an interrupted sweep, re-run, does only the fits it had not finished', () => {
    const { dir, spec } = smallSpec();
    const out = path.join(dir, 'sweeps');
    const args = [
      'sweep',
      spec,
      '--set',
      'model.states=1,2',
      '--seeds',
      '1..2',
      '--iterations',
      '2',
      '--workers',
      '1',
      '--out',
      out,
    ];
    const first = nails(...args, '--limit', '2');
    assert.equal(first.status, 0, first.stderr);
    const half = sweepFile(first.stdout).file;
    assert.equal(half.rows.length, 2);
    const second = nails(...args);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /4 fit\(s\), 2 done before, 2 to run/);
    const all = sweepFile(second.stdout).file;
    assert.equal(all.rows.length, 4);
    assert.deepEqual(
      started(second.stderr).sort(),
      all.rows
        .map((x) => x.id)
        .filter((id) => !half.rows.some((h) => h.id === id))
        .sort(),
    );
    for (const h of half.rows)
      assert.deepEqual(
        all.rows.find((x) => x.id === h.id),
        h,
        'kept as it was',
      );
    const third = nails(...args);
    assert.match(third.stderr, /4 done before, 0 to run/);
  });

  it("a value the settings schema refuses is a failed row with the schema's message", () => {
    const { dir, spec } = smallSpec();
    const r = nails(
      'sweep',
      spec,
      '--set',
      'model.states=0,1',
      '--iterations',
      '2',
      '--out',
      path.join(dir, 's'),
      '--quiet',
    );
    assert.equal(r.status, 0, r.stderr);
    const { file } = sweepFile(r.stdout);
    const bad = file.rows.find((x) => x.settings['model.states'] === '0')!;
    assert.equal(bad.status, 'failed');
    assert.equal(bad.error, 'model.states=0: states must be an integer from 1 to 1000, got 0');
    assert.equal(file.rows.find((x) => x.settings['model.states'] === '1')!.status, 'done');
    assert.match(r.stderr, /^nails: 1 of 2 fit\(s\) failed/m);
  });

  it('an unknown key is one usage line with the nearest key', () => {
    const { spec } = smallSpec();
    const r = nails('sweep', spec, '--set', 'model.state=2,3');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^nails sweep: --set: unknown key 'model\.state'; did you mean model\.states\?/,
    );
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
