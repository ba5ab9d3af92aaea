/**
 * No import circle in src/ or webview/ (issue #19): every relative import counts — value imports,
 * `import type`, `export … from` and `import('…')` types and dynamic imports — since a circle of
 * types alone still ties the files together. ESLint's import-x/no-cycle checks the same on value
 * and type imports; this test also sees `import('…')` types, which the rule does not.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The relative imports of a file, resolved to .ts paths. */
function importsOf(file: string, text: string): string[] {
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'(\.[^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specs.map((s) => {
    const p = resolve(dirname(file), s);
    return p.endsWith('.js') ? p.slice(0, -3) + '.ts' : p.endsWith('.ts') ? p : p + '.ts';
  });
}

/** The strongly connected components with more than one file (or a file importing itself). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || graph.get(v)!.includes(v)) out.push(c);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import circles', () => {
  it('finds a circle through an import() type (the check bites)', () => {
    const g = new Map<string, string[]>();
    for (const [f, text] of [
      ['/m/model.ts', "export type C = import('./net.js').NetConfig;"],
      ['/m/net.ts', "import type { Model } from './model.js';\nexport interface NetConfig {}"],
      ['/m/leaf.ts', "import { x } from './model.js';"],
    ] as const)
      g.set(f, importsOf(f, text));
    assert.deepEqual(
      circles(g).map((c) => c.sort()),
      [['/m/model.ts', '/m/net.ts']],
    );
  });

  it('src/ and webview/ have none', () => {
    const graph = new Map<string, string[]>();
    for (const f of [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'webview'))])
      graph.set(f, importsOf(f, readFileSync(f, 'utf8')));
    const found = circles(graph).map((c) => c.map((f) => relative(root, f)).join(' → '));
    assert.deepEqual(found, [], `import circles:\n${found.join('\n')}`);
  });
});
