/**
 * NAILS: Preview Data (`nails.previewData`): the spec's data parts, read by the language server
 * (`nails/previewData`, so the extension host loads no data itself), in the preview panel. The
 * argument is the spec's URI (a code lens passes it, as a Uri or a string); without one, the
 * active .nails editor.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  PREVIEW_DATA_REQUEST,
  type PreviewData,
  type PreviewDataParams,
  type PreviewDataResult,
} from '../protocol/data-preview.js';
import { PreviewPanel } from './preview-panel.js';

export interface PreviewDeps {
  extensionUri: vscode.Uri;
  client: LanguageClient;
  log: vscode.LogOutputChannel;
  openLog: () => void;
}

/** The spec to preview: the argument (Uri or URI string), else the active editor's .nails file. */
function specUri(arg: unknown): vscode.Uri | undefined {
  const u =
    arg instanceof vscode.Uri
      ? arg
      : typeof arg === 'string'
        ? vscode.Uri.parse(arg)
        : vscode.window.activeTextEditor?.document.uri;
  return u && u.path.endsWith('.nails') ? u : undefined;
}

/** Asks the language server for a spec's (or a run folder's) data parts. */
export function requestPreview(
  client: LanguageClient,
  params: PreviewDataParams,
): Promise<PreviewDataResult> {
  return client.sendRequest<PreviewDataResult>(PREVIEW_DATA_REQUEST, params);
}

/** Runs the command; returns what the panel received (tests read it), undefined on failure. */
export async function previewData(
  arg: unknown,
  deps: PreviewDeps,
): Promise<PreviewData | undefined> {
  const uri = specUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('NAILS: open a .nails spec to preview its data.');
    return undefined;
  }
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'NAILS: reading the data' },
    () => requestPreview(deps.client, { uri: uri.toString() }),
  );
  if (!r.ok) {
    deps.log.error(`preview data: ${r.message}`);
    void vscode.window
      .showErrorMessage(`NAILS: cannot preview the data: ${r.message}`, 'Open Log')
      .then((c) => c === 'Open Log' && deps.openLog());
    return undefined;
  }
  deps.log.info(
    `preview ${uri.fsPath}: ${r.data.parts.map((p) => `${p.kind} ${p.N} samples`).join(', ')}`,
  );
  PreviewPanel.show(deps.extensionUri, deps.openLog).post({ type: 'preview', data: r.data });
  return r.data;
}
