/**
 * What the .vsix carries (`vsce ls`, the same file list `make package` zips): exactly the files the
 * packaged extension needs — manifest, README, licence, grammar, the bundles, the example specs —
 * and never a training run beside an example (a user who trained an example in the checkout).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

const EXPECTED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^language-configuration\.json$/,
  /^syntaxes\/nails\.tmLanguage\.json$/,
  /^dist\/(extension|cli|worker|pass-helper|language-server|hdf5-worker)\.cjs$/,
  /^dist\/webview\/results\.(js|css)$/,
  /^examples\/[\w-]+\.nails$/,
];

describe('package contents', () => {
  it('vsce ls lists only what the extension needs, and no runs/ beside the examples', () => {
    const parent = path.join(ROOT, 'examples', 'runs');
    const hadRuns = existsSync(parent);
    const runs = path.join(parent, 'package-test-run');
    mkdirSync(runs, { recursive: true });
    writeFileSync(path.join(runs, 'report.json'), '{}\n');
    try {
      const r = spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      const files = r.stdout.trim().split('\n');
      const unexpected = files.filter((f) => !EXPECTED.some((re) => re.test(f)));
      assert.deepEqual(unexpected, []);
      for (const must of [
        'package.json',
        'dist/extension.cjs',
        'dist/language-server.cjs',
        'examples/cascaded-tanks.nails',
      ])
        assert.ok(files.includes(must), `${must} is packaged`);
    } finally {
      rmSync(hadRuns ? runs : parent, { recursive: true, force: true });
    }
  });
});
