/**
 * The HTML of a NAILS webview (src/extension/page-html.ts): strict CSP, the bundle
 * dist/webview/<script>.js and dist/webview/results.css (uPlot's and ours) inlined with a nonce.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { pageHtml } from './page-html.js';

/** Page for `dist/webview/<script>.js` with dist/webview/results.css. */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  script: string,
  title: string,
  placeholder: string,
): string {
  const dir = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  // A few hundred KB, read when a panel opens (a rebuilt bundle is picked up by the next panel).
  const read = (name: string) => readFileSync(vscode.Uri.joinPath(dir, name).fsPath, 'utf8');
  return pageHtml({
    cspSource: webview.cspSource,
    title,
    placeholder,
    script: read(`${script}.js`),
    style: read('results.css'),
    sourceMap: webview.asWebviewUri(vscode.Uri.joinPath(dir, `${script}.js.map`)).toString(),
  });
}
