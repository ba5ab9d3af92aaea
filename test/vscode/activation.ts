/**
 * Activation cost, measured inside the real extension host (bench/activation.ts runs it through
 * scripts/vscode-test.mjs --suite activation, in a fresh empty workspace each time): the time from
 * the activation request to `activate()` having returned (loading dist/extension.cjs included),
 * the extension host's memory before and after, that the language server has not started by then,
 * and the time from opening the first spec to its first diagnostics (the language server's start).
 * Prints one `ACTIVATION {json}` line; with NAILS_ACTIVATION_OUT, also writes the JSON there.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { NailsApi } from '../../src/extension/extension';
import { assert, runTests, until } from './util';

export interface ActivationSample {
  /** ms from ext.activate() to its promise resolving. */
  activateMs: number;
  /** Extension host heap used and resident set growth across activation (MB). */
  heapDeltaMB: number;
  rssDeltaMB: number;
  /** Whether the language client was running right after activation (it must not be). */
  serverRunningAtActivation: boolean;
  /** ms from opening the first spec to its first diagnostic (the language server's start). */
  firstDiagnosticsMs: number;
  vscodeVersion: string;
}

export async function measureActivation(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert(folder, 'a workspace folder is open');
  const ext = vscode.extensions.all.find(
    (e) => (e.packageJSON as { name?: string } | undefined)?.name === 'nails-studio',
  );
  assert(ext, 'the extension is installed');
  await runTests([
    [
      'activation is measured, and the language server starts only with the first spec',
      async () => {
        assert(!ext.isActive, 'the extension is not active before the measurement');
        const m0 = process.memoryUsage();
        const t0 = performance.now();
        const api = (await ext.activate()) as NailsApi;
        const activateMs = performance.now() - t0;
        const m1 = process.memoryUsage();
        const serverRunningAtActivation = api.client.isRunning();
        const uri = vscode.Uri.file(path.join(folder, 'first.nails'));
        writeFileSync(uri.fsPath, 'model rnn { states 2 state { activation tahn } }\n');
        const t1 = performance.now();
        await vscode.window.showTextDocument(uri);
        await until('the first diagnostics', () => vscode.languages.getDiagnostics(uri).length > 0);
        const sample: ActivationSample = {
          activateMs,
          heapDeltaMB: (m1.heapUsed - m0.heapUsed) / 2 ** 20,
          rssDeltaMB: (m1.rss - m0.rss) / 2 ** 20,
          serverRunningAtActivation,
          firstDiagnosticsMs: performance.now() - t1,
          vscodeVersion: vscode.version,
        };
        console.log(`ACTIVATION ${JSON.stringify(sample)}`);
        if (process.env.NAILS_ACTIVATION_OUT)
          writeFileSync(process.env.NAILS_ACTIVATION_OUT, JSON.stringify(sample));
        assert(!serverRunningAtActivation, 'the language server was started at activation');
      },
    ],
  ]);
}
