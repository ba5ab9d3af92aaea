/**
 * Workspace trust on the language-server side: data and init files are read only when the client
 * says the workspace is trusted (initialization options, then a notification when the user grants
 * trust, after which open specs are checked again with their files). Messages: src/protocol/workspace-trust.ts.
 */
import type { LangiumSharedServices } from 'langium/lsp';
import type { Connection } from 'vscode-languageserver';
import {
  WORKSPACE_TRUST_NOTIFICATION,
  type NailsInitializationOptions,
  type WorkspaceTrustParams,
} from '../protocol/workspace-trust.js';
import type { NailsSettings } from './nails-module.js';

/** Whether initialization options allow reading files (a client that says nothing: yes). */
export function trustedFromInitialization(options: unknown): boolean {
  const o = options as NailsInitializationOptions | null | undefined;
  return typeof o?.workspaceTrusted === 'boolean' ? o.workspaceTrusted : true;
}

/** Wires trust into `settings.readFiles`; call before `startLanguageServer`. */
export function followWorkspaceTrust(
  connection: Connection,
  shared: LangiumSharedServices,
  settings: NailsSettings,
): void {
  shared.lsp.LanguageServer.onInitialize((params) => {
    settings.readFiles = trustedFromInitialization(params.initializationOptions);
  });
  connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, async (p: WorkspaceTrustParams) => {
    if (settings.readFiles === p.trusted) return;
    settings.readFiles = p.trusted;
    const docs = shared.workspace.LangiumDocuments.all.toArray();
    await shared.workspace.DocumentBuilder.build(docs, { validation: true });
  });
}
