// Runs the extension's integration tests inside a real VS Code (the 1.100.3 server build from
// code-server's npm package, workbench in headless Debian Chromium), as shared/TESTING.md says:
//   node scripts/vscode-test.mjs <node20> <vscode-dir> <workspace> <tests-module> [screenshots-dir]
// Exit status: that of the tests' run(); the tests print their own `N passed, N failed` line.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const [node20, vscodeDir, workspace, testsModule] = process.argv.slice(2);
const ext = path.resolve('.');
const port = 3900 + Math.floor(Math.random() * 500);
const tmp = mkdtempSync(path.join(tmpdir(), 'nails-vscode-'));
for (const d of ['server', 'data', 'ext']) mkdirSync(path.join(tmp, d));
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
    env: { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":"http://127.0.0.1:9/none"}' },
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
  await page.exposeFunction('codeAutomationLog', (type, args) =>
    console.log(...(Array.isArray(args) ? args : [args])),
  );
  await page.exposeFunction('codeAutomationExit', (c) => exit(c));
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ext}`],
    ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${path.resolve(testsModule)}`],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(workspace))}&payload=${encodeURIComponent(payload)}`,
  );
  code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 300000))]);
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
