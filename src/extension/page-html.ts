/**
 * The HTML of a NAILS webview (results, data preview), without `vscode` (for tests): strict CSP
 * (default-src 'none'; the script and the stylesheet by nonce, nothing else runs), the bundle and
 * its stylesheet inlined. Inlined, the page needs no fetch through the webview's service worker and
 * the extension host's resource loading before its script runs (about 200 ms of a first panel's
 * start; bench/results-panel.ts).
 */
import { randomBytes } from 'node:crypto';

export interface PageParts {
  /** The webview's `cspSource` (images from the extension's folder). */
  cspSource: string;
  title: string;
  /** What the page says until the data comes. */
  placeholder: string;
  /** The bundle (dist/webview/<name>.js) and the stylesheet (dist/webview/results.css). */
  script: string;
  style: string;
  /** Where the bundle's source map is (a webview URI), for the developer tools. */
  sourceMap?: string;
}

/** `</script` / `</style` inside inlined text would end its element early: escape the slash. */
const inline = (text: string, tag: 'script' | 'style') =>
  text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');

/** The page; every call draws a fresh nonce (crypto.randomBytes). */
export function pageHtml(p: PageParts): string {
  const nonce = randomBytes(16).toString('base64');
  let script = p.script.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '');
  if (p.sourceMap) script += `\n//# sourceMappingURL=${p.sourceMap}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${p.cspSource} data:; style-src ${p.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
${inline(p.style, 'style')}
</style>
<title>${p.title}</title></head>
<body><div id="root"><p>${p.placeholder}</p></div>
<script nonce="${nonce}">
${inline(script, 'script')}
</script></body></html>`;
}
