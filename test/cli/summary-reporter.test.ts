/** test/summary-reporter.mjs: the plain summary line, and the count of tests skipped for want of data. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

describe('the summary reporter', () => {
  it('counts passes, failures, skips, and the skips for missing data on their own line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-reporter-'));
    const file = path.join(dir, 'sample.test.mjs');
    writeFileSync(
      file,
      [
        "import { it } from 'node:test';",
        "it('passes', () => {});",
        "it('fails', () => { throw new Error('no'); });",
        "it('needs data', { skip: 'data not found at /q' }, () => {});",
        "it('needs data too', { skip: 'data not found at /q' }, () => {});",
        "it('skipped otherwise', { skip: 'later' }, () => {});",
      ].join('\n'),
    );
    const r = spawnSync(
      process.execPath,
      ['--test', `--test-reporter=${path.join(ROOT, 'test', 'summary-reporter.mjs')}`, file],
      // Without the outer runner's context, the inner run reports to its own stdout.
      { encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
    );
    assert.equal(r.stdout.trim(), '1 passed, 1 failed, 3 skipped\n2 skipped: data not found at /q');
  });
});
