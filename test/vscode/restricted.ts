/**
 * The extension in Restricted Mode (an untrusted workspace; scripts/vscode-test.mjs --untrusted):
 * reading a spec works — diagnostics that need no data, hover, completion, outline, formatting —
 * while the language server reads no data file, and Train, Evaluate and Export are refused with the
 * trust message instead of running.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { assert, runTests, sleep, until } from './util';

/** A spec naming a data file in the workspace, with a wrong activation and a misspelt signal. */
const SPEC = `experiment restricted
data {
  file "record.csv"
  train { input uu output y }
}
model rnn {
  states 2
  state { activation tahn }
}
loss mse
solver nailm { iterations 5 }
`;

export async function runRestricted(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert(folder, 'a workspace folder is open');
  mkdirSync(folder, { recursive: true });
  const ext = vscode.extensions.all.find(
    (e) => (e.packageJSON as { name?: string } | undefined)?.name === 'nails-studio',
  );
  assert(ext, 'the extension is installed (enabled in Restricted Mode: supported "limited")');
  await ext.activate();
  writeFileSync(
    path.join(folder, 'record.csv'),
    `u,y\n${Array.from({ length: 50 }, (_, k) => `${Math.sin(k)},${Math.cos(k)}`).join('\n')}\n`,
  );
  const uri = vscode.Uri.file(path.join(folder, 'restricted.nails'));
  writeFileSync(uri.fsPath, SPEC);
  await runTests([
    [
      'the workspace is untrusted (Restricted Mode)',
      () => {
        assert(vscode.workspace.isTrusted === false, 'vscode.workspace.isTrusted is false');
        return Promise.resolve();
      },
    ],
    [
      'diagnostics that need no data appear; the data file is not read, and says so',
      async () => {
        await vscode.window.showTextDocument(uri);
        const diags = await until('the diagnostics', () => {
          const d = vscode.languages.getDiagnostics(uri);
          return d.some((x) => x.message.includes("unknown activation 'tahn'")) ? d : undefined;
        });
        const notRead = diags.find((d) => d.message.includes('not read in Restricted Mode'));
        assert(
          notRead,
          `a warning that record.csv is not read (${diags.map((d) => d.message).join(' | ')})`,
        );
        assert(
          notRead.range.start.line === 2,
          `on the file line (line ${notRead.range.start.line})`,
        );
        // Trusted, the checker reads record.csv and reports 'uu' (did you mean 'u'?): not here.
        assert(
          !diags.some((d) => d.message.includes("'uu'")),
          `no diagnostic from the data file's contents (${diags.map((d) => d.message).join(' | ')})`,
        );
      },
    ],
    [
      'hover, completion, outline and formatting work',
      async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          uri,
          new vscode.Position(6, 4),
        );
        assert(hovers.length > 0, 'a hover on `states`');
        const completion = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          uri,
          new vscode.Position(9, 5),
        );
        assert(
          completion.items.some((i) => i.label === 'cross_entropy' || i.label === 'logistic'),
          `loss names offered (${completion.items.length} items)`,
        );
        const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
          'vscode.executeDocumentSymbolProvider',
          uri,
        );
        assert(symbols.length >= 3, `an outline (${symbols.length} symbols)`);
        const messy = vscode.Uri.file(uri.fsPath.replace('restricted', 'messy'));
        writeFileSync(messy.fsPath, SPEC.replace('  states 2', 'states     2'));
        await vscode.workspace.openTextDocument(messy);
        const edits = await until('formatting edits', async () => {
          const e = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>(
            'vscode.executeFormatDocumentProvider',
            messy,
            { tabSize: 2, insertSpaces: true },
          );
          return e && e.length > 0 ? e : undefined;
        });
        assert(edits.length > 0, 'the formatter returns edits');
      },
    ],
    [
      'Train, Evaluate and Export are refused with the trust message; nothing is trained',
      async () => {
        await vscode.window.showTextDocument(uri);
        const train = await vscode.commands.executeCommand<{ restrictedMode?: string }>(
          'nails.train',
          uri,
        );
        assert(
          train?.restrictedMode?.includes('Training is off in Restricted Mode'),
          `Train answers with the trust message (${JSON.stringify(train)})`,
        );
        for (const id of ['nails.evaluate', 'nails.exportModel', 'nails.runSweep']) {
          const r = await vscode.commands.executeCommand<{ restrictedMode?: string }>(id, {
            runDir: folder,
          });
          assert(r?.restrictedMode?.includes('Restricted Mode'), `${id} is refused`);
        }
        assert(!existsSync(path.join(folder, 'runs')), 'no runs/ folder was written');
        await sleep(500);
        console.log('SCREENSHOT restricted-mode');
        await sleep(1500);
      },
    ],
  ]);
}
