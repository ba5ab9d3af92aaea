/**
 * Where the extension runs: declared `extensionKind: ["workspace"]`, so under Remote-SSH, WSL,
 * containers and Codespaces it runs beside the data. The test server set-up is such a remote
 * set-up (a web workbench, the extension host on the server).
 */
import * as vscode from 'vscode';
import { assert } from './util';

export const workspaceKindTest: [string, () => Promise<void>] = [
  'the extension runs on the workspace side (extensionKind workspace)',
  () => {
    const ext = vscode.extensions.all.find(
      (e) => (e.packageJSON as { name?: string } | undefined)?.name === 'nails-studio',
    );
    assert(ext, 'the extension is installed');
    const declared = (ext.packageJSON as { extensionKind?: string[] }).extensionKind;
    assert(
      JSON.stringify(declared) === '["workspace"]',
      `package.json extensionKind ${JSON.stringify(declared)}`,
    );
    assert(
      ext.extensionKind === vscode.ExtensionKind.Workspace,
      `extension host kind ${ext.extensionKind} (Workspace is ${vscode.ExtensionKind.Workspace})`,
    );
    console.log(
      `  (extensionKind Workspace; uiKind ${vscode.env.uiKind === vscode.UIKind.Web ? 'Web' : 'Desktop'}; remoteName ${String(vscode.env.remoteName)}; VS Code ${vscode.version})`,
    );
    return Promise.resolve();
  },
];
