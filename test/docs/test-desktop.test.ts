/**
 * `npm run test:desktop` (scripts/test-desktop.mjs, @vscode/test-electron's runTests): which VS Code
 * it runs and with what, from flags and environment, checked with --dry-run (nothing is started or
 * downloaded); bad arguments and the offline case end in one line and a non-zero exit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { desktopOptions, DOWNLOAD_HOST, reachable } from '../../scripts/test-desktop.mjs';
import { ROOT } from '../helpers';

const SCRIPT = path.join(ROOT, 'scripts', 'test-desktop.mjs');

function run(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.VSCODE_EXECUTABLE;
  delete clean.VSCODE_VERSION;
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...clean, ...env },
    timeout: 20000,
  });
  return { status: r.status, stdout: r.stdout, stderrLines: r.stderr.trim().split('\n') };
}

describe('npm run test:desktop', () => {
  it('--vscode PATH runs the server suite in that executable (dry run)', () => {
    const r = run(['--vscode', process.execPath, '--dry-run']);
    assert.equal(r.status, 0, r.stderrLines.join('\n'));
    const o = JSON.parse(r.stdout) as {
      vscodeExecutablePath: string;
      extensionDevelopmentPath: string;
      extensionTestsPath: string;
      extensionTestsEnv: { NAILS_SUITE: string };
      launchArgs: string[];
    };
    assert.equal(o.vscodeExecutablePath, process.execPath);
    assert.equal(o.extensionDevelopmentPath, ROOT);
    assert.equal(o.extensionTestsPath, path.join(ROOT, 'dist-test', 'vscode-suite.cjs'));
    assert.equal(o.extensionTestsEnv.NAILS_SUITE, 'full');
    assert.ok(o.launchArgs.includes('--disable-extensions'), o.launchArgs.join(' '));
    assert.ok(o.launchArgs.some((a) => a.startsWith('--user-data-dir=')));
  });

  it('VSCODE_EXECUTABLE does the same; --version asks for a download; --untrusted the restricted part', () => {
    const e = run(['--dry-run'], { VSCODE_EXECUTABLE: process.execPath });
    assert.equal(e.status, 0, e.stderrLines.join('\n'));
    assert.equal(
      (JSON.parse(e.stdout) as { vscodeExecutablePath: string }).vscodeExecutablePath,
      process.execPath,
    );
    const v = run(['--version', '1.100.3', '--untrusted', '--dry-run']);
    assert.equal(v.status, 0, v.stderrLines.join('\n'));
    const o = JSON.parse(v.stdout) as {
      version: string;
      vscodeExecutablePath?: string;
      extensionTestsEnv: { NAILS_SUITE: string };
    };
    assert.equal(o.version, '1.100.3');
    assert.equal(o.vscodeExecutablePath, undefined);
    assert.equal(o.extensionTestsEnv.NAILS_SUITE, 'untrusted');
  });

  it('a missing executable, an unknown argument or both sources: one line, exit 2', () => {
    for (const [args, text] of [
      [['--vscode', '/nonexistent/code'], 'no VS Code executable at /nonexistent/code'],
      [['--vsocde', 'x'], "unknown argument '--vsocde'"],
      [['--vscode', process.execPath, '--version', 'stable'], 'not both'],
      [['--version'], '--version needs a value'],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}`);
      assert.equal(r.stderrLines.length, 1, r.stderrLines.join('\n'));
      assert.ok(r.stderrLines[0]!.includes(text), r.stderrLines[0]);
    }
  });

  it('without an executable it probes the network (parsing alone decides nothing)', async () => {
    assert.deepEqual(desktopOptions([], {}), { untrusted: false, dryRun: false, probe: true });
    assert.equal(await reachable('nails-studio-test.invalid', 3000), false);
  });

  it('offline and no executable: one line that says what to pass, exit 1', async (t) => {
    if (await reachable(DOWNLOAD_HOST)) {
      t.skip(`${DOWNLOAD_HOST} is reachable here: the script would download VS Code`);
      return;
    }
    const r = run([]);
    assert.equal(r.status, 1);
    assert.equal(r.stderrLines.length, 1, r.stderrLines.join('\n'));
    assert.match(r.stderrLines[0]!, /no VS Code to run: pass --vscode PATH .* not reachable/);
  });
});
