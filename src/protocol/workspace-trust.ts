/**
 * Workspace trust between the extension and the .nails language server. In an untrusted workspace
 * (Restricted Mode) the server checks specs without reading the data and init files they name.
 *
 * client → server, at start:  InitializeParams.initializationOptions: NailsInitializationOptions
 * client → server, on grant:  WORKSPACE_TRUST_NOTIFICATION with WorkspaceTrustParams
 * Trust is only ever granted while the server runs (revoking it reloads the window).
 */

/** What the extension passes as `initializationOptions`. */
export interface NailsInitializationOptions {
  /** `vscode.workspace.isTrusted`; absent (another client): trusted. */
  workspaceTrusted?: boolean;
}

/** The notification the extension sends when the user trusts the workspace. */
export const WORKSPACE_TRUST_NOTIFICATION = 'nails/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}
