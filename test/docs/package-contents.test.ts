/**
 * What the .vsix carries (`vsce ls`, the same file list `make package` zips): exactly the files the
 * packaged extension needs — manifest, README, CHANGELOG, icon, licence, grammar, the bundles, the
 * example specs, the walkthrough's pages —
 * and never a training run beside an example (a user who trained an example in the checkout).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

const EXPECTED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^docs\/images\/icon\.png$/,
  /^LICENSE$/,
  /^language-configuration\.json$/,
  /^syntaxes\/nails\.tmLanguage\.json$/,
  /^dist\/(extension|cli|worker|host-jobs|pass-helper|language-server|hdf5-worker|text-table-worker)\.cjs$/,
  /^dist\/webview\/(results\.(js|css)|preview\.js)$/,
  /^media\/walkthrough\/[\w-]+\.md$/,
  /^examples\/[\w-]+\.nails$/,
];

/** The markdown files the walkthrough's steps show. */
function walkthroughMedia(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { walkthroughs: { steps: { media: { markdown?: string } }[] }[] };
  };
  return pkg.contributes.walkthroughs.flatMap((w) =>
    w.steps.map((s) => s.media.markdown ?? '(a step without markdown media)'),
  );
}

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
        'dist/host-jobs.cjs',
        'examples/cascaded-tanks.nails',
        'CHANGELOG.md',
        'docs/images/icon.png',
        'dist/webview/preview.js',
        // Every walkthrough step's media (package.json contributes.walkthroughs).
        ...walkthroughMedia(),
      ])
        assert.ok(files.includes(must), `${must} is packaged`);
    } finally {
      rmSync(hadRuns ? runs : parent, { recursive: true, force: true });
    }
  });
});
