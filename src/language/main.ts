/**
 * The .nails language server (bundled as dist/language-server.cjs), started by the extension over
 * IPC. Reads `nails.dataDirectory` from the client's configuration for relative data files.
 */
import './polyfills.js';
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
} from 'vscode-languageserver/node';
import { createNailsServices } from './nails-module.js';
import { registerPreviewRequest } from './preview-request.js';
import { followWorkspaceTrust } from './trust.js';

const connection = createConnection(ProposedFeatures.all);
const { shared, Nails } = createNailsServices({ connection, ...NodeFileSystem });
Nails.settings.advise = true;

async function refreshSettings(): Promise<void> {
  try {
    const [dir] = (await connection.workspace.getConfiguration([
      { section: 'nails.dataDirectory' },
    ])) as unknown[];
    const dirs = typeof dir === 'string' && dir.trim() !== '' ? [dir] : [];
    Nails.settings.dataDirs = [
      ...dirs,
      ...(process.env.NAILS_DATA_DIR ? [process.env.NAILS_DATA_DIR] : []),
    ];
    // Re-validate open documents with the new data directory.
    const docs = shared.workspace.LangiumDocuments.all.toArray();
    await shared.workspace.DocumentBuilder.build(docs, { validation: true });
  } catch {
    // A client without configuration support: keep the environment's data directory.
  }
}

connection.onInitialized(() => {
  void connection.client
    .register(DidChangeConfigurationNotification.type, { section: 'nails' })
    .catch(() => undefined);
  void refreshSettings();
});
connection.onDidChangeConfiguration(() => void refreshSettings());
registerPreviewRequest(
  connection,
  shared,
  () => Nails.settings.dataDirs,
  () => Nails.settings.readFiles,
);

followWorkspaceTrust(connection, shared, Nails.settings);
startLanguageServer(shared);
