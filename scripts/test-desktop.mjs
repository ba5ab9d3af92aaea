// `npm run test:desktop`: the same integration tests as `make test-vscode` (dist-test/vscode-suite.cjs),
// run in VS Code desktop through @vscode/test-electron's runTests, the way most extensions test:
//   npm run test:desktop -- --vscode /path/to/code        (or VSCODE_EXECUTABLE=/path/to/code)
//   npm run test:desktop -- --version 1.100.3             (or VSCODE_VERSION; downloads, needs network)
//   npm run test:desktop -- --untrusted                   (the Restricted Mode part)
// Without an executable, it downloads `stable` when update.code.visualstudio.com is reachable and
// otherwise stops with one line saying what to pass. Build first (`npm run build`).
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
export const DOWNLOAD_HOST = 'update.code.visualstudio.com';
const USAGE =
  'usage: npm run test:desktop -- [--vscode PATH | --version X.Y.Z|stable|insiders] [--untrusted] [--dry-run]';

/**
 * What to run, from the arguments and the environment (flags win): `{ executable }`,
 * `{ version }` (to download), `{ probe: true }` (download `stable` if the network allows), or
 * `{ error }` — one line for the user.
 */
export function desktopOptions(argv, env) {
  const out = { untrusted: false, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--untrusted') out.untrusted = true;
    else if (a === '--dry-run') out.dryRun = true;
    else if (a === '--vscode' || a === '--version') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return { error: `${a} needs a value; ${USAGE}` };
      out[a === '--vscode' ? 'executable' : 'version'] = v;
    } else return { error: `unknown argument '${a}'; ${USAGE}` };
  }
  if (out.executable === undefined && out.version === undefined) {
    if (env.VSCODE_EXECUTABLE) out.executable = env.VSCODE_EXECUTABLE;
    else if (env.VSCODE_VERSION) out.version = env.VSCODE_VERSION;
  }
  if (out.executable !== undefined && out.version !== undefined)
    return { error: `give --vscode or --version, not both; ${USAGE}` };
  if (out.executable !== undefined) {
    out.executable = path.resolve(out.executable);
    if (!existsSync(out.executable))
      return { error: `no VS Code executable at ${out.executable} (--vscode / VSCODE_EXECUTABLE)` };
  } else if (out.version === undefined) out.probe = true;
  return out;
}

/** Whether `host` resolves within `ms` (the download needs it; this machine may be offline). */
export async function reachable(host, ms = 3000) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(false), ms).unref());
  return Promise.race([
    lookup(host).then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

/** runTests' options for the suite: a fresh workspace and user data, trusted or not. */
export function runTestsOptions(opts) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'nails-desktop-'));
  const workspace = path.join(tmp, 'workspace');
  const userData = path.join(tmp, 'user-data');
  mkdirSync(workspace);
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': opts.untrusted,
      'security.workspace.trust.startupPrompt': 'never',
      'git.enabled': false,
    }),
  );
  return {
    ...(opts.executable !== undefined ? { vscodeExecutablePath: opts.executable } : {}),
    ...(opts.version !== undefined ? { version: opts.version } : {}),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'dist-test', 'vscode-suite.cjs'),
    extensionTestsEnv: { NAILS_SUITE: opts.untrusted ? 'untrusted' : 'full' },
    launchArgs: [
      workspace,
      `--user-data-dir=${userData}`,
      '--disable-extensions',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  };
}

async function main() {
  const opts = desktopOptions(process.argv.slice(2), process.env);
  if (opts.error) {
    console.error(`test:desktop: ${opts.error}`);
    process.exit(2);
  }
  if (opts.probe) {
    if (!(await reachable(DOWNLOAD_HOST))) {
      console.error(
        `test:desktop: no VS Code to run: pass --vscode PATH (or VSCODE_EXECUTABLE) — ${DOWNLOAD_HOST} is not reachable to download one (offline: use make test-vscode)`,
      );
      process.exit(1);
    }
    opts.version = 'stable';
  }
  if (!existsSync(path.join(ROOT, 'dist-test', 'vscode-suite.cjs'))) {
    console.error('test:desktop: dist-test/vscode-suite.cjs is missing; run npm run build first');
    process.exit(1);
  }
  const options = runTestsOptions(opts);
  if (opts.dryRun) {
    console.log(JSON.stringify(options));
    return;
  }
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests(options);
  } catch (e) {
    console.error(
      `test:desktop: the tests failed or VS Code did not start: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
