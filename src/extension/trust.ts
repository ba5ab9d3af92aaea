/**
 * Workspace trust (Restricted Mode) on the extension side. Reading a spec works everywhere:
 * highlighting, completion, hover, outline, formatting and the checks that need no data (the
 * language server is told not to read data files, src/language/trust.ts). What reads data files,
 * runs the solver on them or writes into the workspace — training, sweeps, evaluation, data
 * preview, export — needs a trusted workspace: those commands, registered through
 * `registerCommand` below, say why they are off and offer "Manage Workspace Trust".
 */
import * as vscode from 'vscode';
import {
  WORKSPACE_TRUST_NOTIFICATION,
  type NailsInitializationOptions,
  type WorkspaceTrustParams,
} from '../protocol/workspace-trust.js';

/** The commands that need a trusted workspace, and what the message calls them. */
export const NEEDS_TRUST: Readonly<Record<string, string>> = {
  'nails.train': 'Training',
  'nails.runSweep': 'Running a sweep',
  'nails.evaluate': 'Evaluation',
  'nails.evaluateFile': 'Evaluation on a file',
  'nails.exportModel': 'Export',
  'nails.previewData': 'Data preview',
};

/** The button that opens VS Code's trust editor, and the command behind it. */
export const MANAGE_TRUST = 'Manage Workspace Trust';
const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** What a command needing trust resolves to in an untrusted workspace (tests read it). */
export interface RestrictedModeRefusal {
  restrictedMode: string;
}

/** The message for `what` (e.g. "Training") in Restricted Mode. */
export function restrictedMessage(what: string): string {
  return `NAILS: ${what} is off in Restricted Mode: it reads data files and writes into the workspace, which needs a trusted workspace. Reading and checking specs still works.`;
}

/**
 * `vscode.commands.registerCommand`, except that a command of NEEDS_TRUST in an untrusted
 * workspace shows why it is off (with "Manage Workspace Trust") and resolves to a
 * RestrictedModeRefusal instead of running. Trust is checked at each call, so granting it takes
 * effect at once.
 */
export function registerCommand<A extends unknown[], R>(
  id: string,
  handler: (...args: A) => R,
  log?: vscode.LogOutputChannel,
): vscode.Disposable {
  const what = NEEDS_TRUST[id];
  if (what === undefined) return vscode.commands.registerCommand(id, handler);
  return vscode.commands.registerCommand(id, (...args: A): R | RestrictedModeRefusal => {
    if (vscode.workspace.isTrusted) return handler(...args);
    const message = restrictedMessage(what);
    log?.warn(message);
    void vscode.window.showWarningMessage(message, MANAGE_TRUST).then((choice) => {
      if (choice === MANAGE_TRUST) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
    return { restrictedMode: message };
  });
}

/** The language server's initialization options: whether it may read data files. */
export function trustInitializationOptions(): NailsInitializationOptions {
  return { workspaceTrusted: vscode.workspace.isTrusted };
}

/** Tells the language server when the user grants trust (it then reads the data files). */
export function forwardTrustGrant(
  send: (method: string, params: WorkspaceTrustParams) => Promise<void>,
): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(
    () => void send(WORKSPACE_TRUST_NOTIFICATION, { trusted: true }).catch(() => undefined),
  );
}
