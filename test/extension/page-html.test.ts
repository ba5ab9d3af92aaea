/**
 * The webview page (results, data preview): the bundle and its stylesheet inlined under a strict
 * CSP whose only script and style sources besides the extension's folder are one fresh nonce.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pageHtml, type PageParts } from '../../src/extension/page-html';

const PARTS: PageParts = {
  cspSource: 'https://file+.vscode-resource.example',
  title: 'NAILS Results',
  placeholder: 'Waiting for a run…',
  script:
    'const a = "</script><script>alert(1)</script>";\nrun(a);\n//# sourceMappingURL=results.js.map\n',
  style: 'body { color: red; }\n/* </style><script>x()</script> */\n',
  sourceMap: 'https://file+.vscode-resource.example/dist/webview/results.js.map',
};

/** Plain text (nothing to escape). */
const PLAIN: PageParts = { ...PARTS, script: 'run();\n', style: 'body { color: red; }\n' };

const csp = (html: string) =>
  /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';

describe('webview page', () => {
  it('allows scripts by nonce only and no inline script without it', () => {
    const html = pageHtml(PLAIN);
    const policy = csp(html);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{24})';/.exec(policy)?.[1];
    assert.ok(nonce, policy);
    assert.match(policy, /^default-src 'none'; /);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(
      policy,
      `default-src 'none'; img-src ${PARTS.cspSource} data:; style-src ${PARTS.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';`,
    );
    // One script element and one style element, both carrying the nonce; nothing fetched.
    assert.deepEqual(html.match(/<script\b[^>]*>/g), [`<script nonce="${nonce}">`]);
    assert.deepEqual(html.match(/<style\b[^>]*>/g), [`<style nonce="${nonce}">`]);
    assert.doesNotMatch(html, /<script[^>]* src=|<link /);
  });

  it('inlines the bundle and the stylesheet so that their text cannot close the element', () => {
    const html = pageHtml(PARTS);
    // Inside the script element only its own end tag closes it; the same for the style element.
    const script = html.slice(html.indexOf('<script nonce='));
    assert.equal(script.match(/<\/script/gi)?.length, 1, 'only the element itself closes');
    const style = html.slice(html.indexOf('<style nonce='), html.indexOf('<title>'));
    assert.equal(style.match(/<\/style/gi)?.length, 1);
    assert.ok(html.includes('const a = "<\\/script><script>alert(1)<\\/script>";\nrun(a);'));
    assert.ok(html.includes('body { color: red; }'));
    // The source map is named by its webview URI (the page's own address is another origin).
    assert.ok(html.includes(`\n//# sourceMappingURL=${PARTS.sourceMap}\n</script>`));
    assert.ok(!html.includes('sourceMappingURL=results.js.map'));
    assert.ok(html.includes('<div id="root"><p>Waiting for a run…</p></div>'));
  });

  it('draws a new nonce for every page', () => {
    const nonces = new Set(
      Array.from({ length: 20 }, () => /'nonce-([^']+)'/.exec(csp(pageHtml(PARTS)))?.[1]),
    );
    assert.equal(nonces.size, 20);
  });

  it('the built bundles inline as they are (none holds a closing script tag)', (t) => {
    const dir = path.resolve(import.meta.dirname, '../../dist/webview');
    for (const name of ['results.js', 'preview.js']) {
      let text: string;
      try {
        text = readFileSync(path.join(dir, name), 'utf8');
      } catch {
        t.skip('dist/webview not built (npm run build)');
        return;
      }
      const html = pageHtml({ ...PLAIN, script: text });
      assert.equal(html.match(/<\/script>/gi)?.length, 1, name);
    }
  });
});
