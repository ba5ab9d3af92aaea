/**
 * The language server starts when it is needed, not at activation: when a .nails document is
 * open (already, or the first one later). Activation (`workspaceContains:**\/*.nails`) therefore
 * costs no process start until a spec is shown; the solver worker likewise starts per training run.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** Starts `client` once, at the first open .nails document; disposing stops it. */
export function startOnFirstSpec(
  client: LanguageClient,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  let started = false;
  const start = (doc: vscode.TextDocument) => {
    if (started || doc.languageId !== 'nails') return;
    started = true;
    log.info('starting the .nails language server');
    client.start().catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      log.error(`the .nails language server did not start: ${message}`);
      void vscode.window
        .showErrorMessage(`NAILS: the language server did not start: ${message}`, 'Open Log')
        .then((c) => c === 'Open Log' && log.show());
    });
  };
  vscode.workspace.textDocuments.forEach(start);
  const opened = vscode.workspace.onDidOpenTextDocument(start);
  return {
    dispose: () => {
      opened.dispose();
      void client.stop();
    },
  };
}
