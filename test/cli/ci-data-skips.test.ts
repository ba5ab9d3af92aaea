/** .ci/data-skips: CI fails when the data are there and a data test was skipped anyway. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

function check(log: string, withData: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-ci-'));
  const data = path.join(dir, 'data');
  if (withData) mkdirSync(path.join(data, 'cascaded_tanks'), { recursive: true });
  writeFileSync(path.join(dir, 'log'), log);
  return spawnSync('bash', [path.join(ROOT, '.ci', 'data-skips'), path.join(dir, 'log'), data], {
    encoding: 'utf8',
  });
}

describe('.ci/data-skips', () => {
  const skipped = '150 passed, 0 failed, 36 skipped\n36 skipped: data not found at /x\n';
  const clean = '186 passed, 0 failed\n';
  it('without the data, skips pass and are shown', () => {
    const r = check(skipped, false);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), '36 skipped: data not found at /x');
  });
  it('with the data, a data skip fails the run', () => {
    const r = check(skipped, true);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /yet 36 data tests were skipped/);
  });
  it('with the data and no skip, it passes silently', () => {
    const r = check(clean, true);
    assert.equal(r.status, 0);
    assert.equal(r.stdout + r.stderr, '');
  });
});
