/**
 * The HTML of a NAILS webview: strict CSP (default-src 'none', a nonce script from
 * crypto.randomBytes), the bundle and stylesheet from dist/webview only.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Page for `dist/webview/<script>.js` with dist/webview/results.css (uPlot's and ours). */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  script: string,
  title: string,
): string {
  const nonce = randomBytes(16).toString('base64');
  const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const js = webview.asWebviewUri(vscode.Uri.joinPath(dir, `${script}.js`));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(dir, 'results.css'));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${css.toString()}" rel="stylesheet">
<title>${title}</title></head>
<body><div id="root"><p>Reading the data…</p></div>
<script nonce="${nonce}" src="${js.toString()}"></script></body></html>`;
}
