// Runs the extension's integration tests inside a real VS Code (the 1.100.3 server build from
// code-server's npm package, workbench in headless Debian Chromium), as shared/TESTING.md says:
//   node scripts/vscode-test.mjs <node> <vscode-dir> <workspace> <tests-module> [--vsix F] [--screenshots DIR]
//     [--untrusted] [--suite NAME]
// --untrusted opens the workspace in Restricted Mode (trust enabled, never prompted, not trusted)
// and runs the suite's restricted-mode tests; --suite picks another part of the suite (NAILS_SUITE,
// e.g. `activation` for bench/activation.ts).
// Diagnostics: NAILS_TRACE=1 logs the page's requests, failed responses, frames and console
// (every frame's, webviews too) as `TRACE <epoch ms> …` lines; NAILS_CHROME_TRACE=FILE writes a
// Chromium performance trace of the whole run there.
// Exit status: that of the tests' run(); the tests print their own `N passed, N failed` line.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const [node20, vscodeDir, workspace, testsModule, ...rest] = process.argv.slice(2);
// Options: --vsix FILE (install the package and test it instead of the sources), --screenshots DIR
const opt = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const vsix = opt('--vsix');
const shotsDir = opt('--screenshots');
const untrusted = rest.includes('--untrusted');
const suite = opt('--suite') ?? (untrusted ? 'untrusted' : vsix ? 'installed' : 'full');
const ext = path.resolve('.');
const port = 3900 + Math.floor(Math.random() * 500);
const tmp = mkdtempSync(path.join(tmpdir(), 'nails-vscode-'));
for (const d of ['server', 'data', 'ext']) mkdirSync(path.join(tmp, d));
// A test workspace is trusted (trust off), except with --untrusted: trust on, no start-up prompt, and
// a fresh user-data folder that trusts nothing, so the folder opens in Restricted Mode.
for (const d of ['data/User', 'data/Machine', 'server/data/User', 'server/data/Machine']) {
  mkdirSync(path.join(tmp, d), { recursive: true });
  writeFileSync(
    path.join(tmp, d, 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': untrusted,
      'security.workspace.trust.startupPrompt': 'never',
      'git.openRepositoryInParentFolders': 'never',
      'git.enabled': false,
    }),
  );
}
if (shotsDir) mkdirSync(shotsDir, { recursive: true });
if (vsix) {
  const r = spawnSync(
    node20,
    [
      path.join(vscodeDir, 'out', 'server-main.js'),
      '--install-extension',
      path.resolve(vsix),
      '--extensions-dir',
      path.join(tmp, 'ext'),
      '--server-data-dir',
      path.join(tmp, 'server'),
      '--user-data-dir',
      path.join(tmp, 'data'),
      '--accept-server-license-terms',
    ],
    { encoding: 'utf8' },
  );
  console.log((r.stdout + r.stderr).trim());
  if (r.status !== 0) process.exit(1);
}
const server = spawn(
  node20,
  [
    path.join(vscodeDir, 'out', 'server-main.js'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--server-data-dir',
    path.join(tmp, 'server'),
    '--user-data-dir',
    path.join(tmp, 'data'),
    '--extensions-dir',
    path.join(tmp, 'ext'),
  ],
  {
    env: {
      ...process.env,
      EXTENSIONS_GALLERY: '{"serviceUrl":"http://127.0.0.1:9/none"}',
      NAILS_SUITE: suite,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let serverLog = '';
const ready = new Promise((resolve, reject) => {
  const onData = (b) => {
    serverLog += b.toString();
    if (serverLog.includes(`Extension host agent listening on ${port}`)) resolve();
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (c) => reject(new Error(`VS Code server exited (${c}):\n${serverLog}`)));
  setTimeout(
    () => reject(new Error(`VS Code server did not start in 60 s:\n${serverLog}`)),
    60000,
  ).unref();
});
let code = 1;
let browser;
try {
  await ready;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let exit;
  const exited = new Promise((r) => (exit = r));
  // Tests ask for a screenshot by logging `SCREENSHOT <name>` (and then wait a moment).
  await page.exposeFunction('codeAutomationLog', async (type, args) => {
    const parts = Array.isArray(args) ? args : [args];
    const m = /^SCREENSHOT (\S+)/.exec(parts.map(String).join(' '));
    if (m && shotsDir) {
      const file = path.join(shotsDir, `${m[1]}.png`);
      await page.screenshot({ path: file });
      console.log(`  screenshot ${file}`);
    } else if (!m) console.log(...parts);
  });
  await page.exposeFunction('codeAutomationExit', (c) => exit(c));
  if (process.env.NAILS_CHROME_TRACE)
    await browser.startTracing(page, {
      path: process.env.NAILS_CHROME_TRACE,
      categories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'v8.execute',
        'toplevel',
      ],
    });
  if (process.env.NAILS_TRACE) {
    const t = () => Date.now();
    page.on('request', (r) => console.log(`TRACE ${t()} request ${r.url().slice(0, 160)}`));
    page.on('requestfinished', (r) =>
      console.log(`TRACE ${t()} finished ${r.url().slice(0, 160)}`),
    );
    page.on('requestfailed', (r) => console.log(`TRACE ${t()} failed ${r.url().slice(0, 160)}`));
    page.on('response', (r) => {
      if (r.status() >= 400)
        console.log(`TRACE ${t()} status ${r.status()} ${r.url().slice(0, 160)}`);
    });
    page.on('console', (m) => console.log(`TRACE ${t()} console ${m.text().slice(0, 300)}`));
    page.on('frameattached', (f) => console.log(`TRACE ${t()} frame ${f.url().slice(0, 160)}`));
  }
  const payload = JSON.stringify([
    // With --vsix the tests run from an empty host extension and NAILS Studio is the installed package.
    [
      'extensionDevelopmentPath',
      `vscode-remote://127.0.0.1:${port}${vsix ? path.join(ext, 'test', 'vscode', 'host') : ext}`,
    ],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${path.resolve(testsModule)}`],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(workspace))}&payload=${encodeURIComponent(payload)}`,
  );
  code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 300000))]);
  if (process.env.NAILS_CHROME_TRACE) await browser.stopTracing();
  if (code === 'timeout') {
    console.log('the tests did not finish in 300 s');
    code = 1;
  }
} catch (e) {
  console.error(String(e));
} finally {
  await browser?.close().catch(() => undefined);
  server.kill();
}
process.exit(typeof code === 'number' ? code : 1);
