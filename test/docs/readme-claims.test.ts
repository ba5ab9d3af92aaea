/**
 * The README cannot name things that are gone: every path in docs/readme-claims.md and every repo
 * path, `make` target, `nails` command and `--option` in README.md exists; the README's spec is the
 * example file; its data sections parse; every form of its language table checks clean; the
 * manifest and source claims it makes hold.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { parseDocument } from 'langium/test';
import { COMMAND_OPTIONS, type Command } from '../../src/cli/options';
import { MIN_PIECE_SAMPLES } from '../../src/core/solver/pass-pieces';
import { createNailsServices } from '../../src/language/nails-module';
import { ROOT } from '../helpers';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CLAIMS = readFileSync(path.join(ROOT, 'docs', 'readme-claims.md'), 'utf8');
const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');

/** Top-level entries of the checkout that a path can start with (build output and runs excluded). */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'dist-test', 'runs', 'test-artifacts']);
const TOP = new Set(
  readdirSync(ROOT).filter((f) => !NOT_SOURCE.has(f) && !f.startsWith('.vscode') && f !== '.git'),
);

/** Backticked tokens of a markdown text (single or double backticks), code blocks left out. */
function codeSpans(md: string): string[] {
  const prose = md.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/(`{1,2})(.+?)\1/g)].map((m) => m[2]!.trim());
}

/**
 * The files and folders of the checkout the spans name: a word of a span (`npx tsx bench/x.ts`
 * gives `bench/x.ts`) that starts with a top-level entry and is a path (a `/`, or a file name).
 */
function repoPaths(md: string): string[] {
  return codeSpans(md)
    .flatMap((t) => t.split(/\s+/))
    .filter((t) => {
      const first = t.split('/')[0]!;
      return TOP.has(first) && (t.includes('/') || /\.|^[A-Z]/.test(t));
    });
}

describe('docs/readme-claims.md', () => {
  it('every path it names exists', () => {
    const paths = repoPaths(CLAIMS);
    assert.ok(paths.length >= 60, `only ${paths.length} paths found: the extraction broke`);
    const missing = paths.filter((p) => !existsSync(path.join(ROOT, p)));
    assert.deepEqual(missing, [], 'named in docs/readme-claims.md but not in the checkout');
  });

  it('every test file it names has at least one test', () => {
    for (const p of new Set(repoPaths(CLAIMS).filter((f) => /\.test\.ts$/.test(f))))
      assert.match(read(p), /\b(it|test)\(/, `${p} has no test`);
  });
});

describe('README.md names only what exists', () => {
  it('every path in the checkout it names', () => {
    const paths = repoPaths(README);
    assert.ok(paths.length >= 20, `only ${paths.length} paths found: the extraction broke`);
    const missing = paths.filter((p) => !existsSync(path.join(ROOT, p.replace(/\/$/, ''))));
    assert.deepEqual(missing, [], 'named in README.md but not in the checkout');
    // links and images (the screenshots) too
    const links = [...README.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((l) => !/^[a-z]+:/.test(l) && !l.startsWith('#'));
    assert.ok(links.length >= 4, `links found: ${links.join(', ')}`);
    assert.deepEqual(
      links.filter((l) => !existsSync(path.join(ROOT, l))),
      [],
      'README links to files that are not there',
    );
  });

  it('every benchmark it lists has a results file in bench/results that names its command', () => {
    const scripts = [
      ...new Set(
        [...README.matchAll(/`(?:npx tsx|bash) (bench\/[\w-]+\.(?:ts|sh))`/g)].map((m) => m[1]!),
      ),
    ];
    assert.ok(scripts.length >= 7, `benchmarks found: ${scripts.join(', ')}`);
    const results = readdirSync(path.join(ROOT, 'bench', 'results'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => read(`bench/results/${f}`));
    for (const b of scripts)
      assert.ok(
        results.some((r) => r.includes(b)),
        `no bench/results/*.md names ${b}`,
      );
  });

  it('the record length from which a fit uses two threads is 2 × MIN_PIECE_SAMPLES', () => {
    const m = /training\s+records at least ([\d,]+) samples/.exec(README);
    assert.ok(m, 'the sentence on threads per fit');
    assert.equal(Number(m[1]!.replace(/,/g, '')), 2 * MIN_PIECE_SAMPLES);
  });

  it('every `make` target is a Makefile target', () => {
    const targets = new Set(
      [...read('Makefile').matchAll(/^([a-z][\w-]*)\s*:(?!=)/gm)].map((m) => m[1]!),
    );
    const named = [...new Set([...README.matchAll(/\bmake ([a-z][\w-]*)/g)].map((m) => m[1]!))];
    assert.ok(named.length >= 5, `make targets found: ${named.join(', ')}`);
    for (const t of named) assert.ok(targets.has(t), `make ${t} is not a Makefile target`);
  });

  it('every `nails` command and option, and each option on the command it is given to', () => {
    const commands = Object.keys(COMMAND_OPTIONS);
    const invocations = [...README.matchAll(/(?:\bnails|dist\/cli\.cjs) ([a-z]+)\b([^\n`#]*)/g)];
    assert.ok(invocations.length >= 6, 'nails invocations found');
    for (const [, command, rest] of invocations) {
      assert.ok(commands.includes(command!), `nails ${command} is not a command`);
      const options: Record<string, unknown> = COMMAND_OPTIONS[command as Command];
      for (const [, option] of rest!.matchAll(/(?<![\w-])--([a-z][\w-]*)/g))
        if (option !== 'sed') assert.ok(option! in options, `nails ${command} has no --${option}`);
    }
    const every = new Set(commands.flatMap((c) => Object.keys(COMMAND_OPTIONS[c as Command])));
    // Options given to the project's scripts (`node scripts/x.mjs --write`, `npm run test:desktop --
    // --vscode PATH`) are theirs, not the command line's (test/docs/test-desktop.test.ts checks those).
    const nailsOnly = README.replace(/`(?:node scripts\/[\w.-]+|npm run [\w:]+ --)[^`]*`/g, '');
    const named = [
      ...new Set([...nailsOnly.matchAll(/(?<![\w-])--([a-z][\w-]*)/g)].map((m) => m[1]!)),
    ];
    // `--sed` is the README's example of a mistyped option: it must stay unknown.
    assert.ok(named.includes('sed') && !every.has('sed'));
    for (const o of named.filter((x) => x !== 'sed'))
      assert.ok(every.has(o), `--${o} is no option of any nails command`);
  });

  it('the spec it shows is examples/cascaded-tanks.nails (comments and layout aside)', () => {
    const block = /```\n\/\/ examples\/cascaded-tanks\.nails\n([\s\S]*?)```/.exec(README);
    assert.ok(block, 'the README shows the Cascaded Tanks spec');
    const tokens = (text: string) =>
      text
        .split('\n')
        .map((l) => l.replace(/\/\/.*$/, '').trim())
        .filter((l) => l && !l.startsWith('experiment '))
        .join(' ')
        .split(/\s+/);
    assert.deepEqual(tokens(block[1]!), tokens(read('examples/cascaded-tanks.nails')));
  });

  it('its data sections parse', async () => {
    const { Nails } = createNailsServices(EmptyFileSystem);
    const blocks = [...README.matchAll(/^```\n(data \{[\s\S]*?)^```/gm)];
    assert.ok(blocks.length >= 1, 'the README shows the data section forms');
    for (const [, text] of blocks) {
      const doc = await parseDocument(Nails, text!);
      const errors = [...doc.parseResult.lexerErrors, ...doc.parseResult.parserErrors];
      assert.deepEqual(
        errors.map((e) => e.message),
        [],
        text,
      );
    }
  });
});

/**
 * Specs that use every form of the README's language table (data from the generator, so no file is
 * needed): each checks with no diagnostic at all.
 */
const LANGUAGE_TABLE_SPECS: string[] = [
  `data {
  generate binary_output seed 3 samples 2000
  train 0..1000
  validation 20% { init 5 }
  test last 1000..2000 { init 50 }
  sampling 610.35 Hz
  scale none
}
model rnn {
  states 2
  state { hidden [8, 4] activation tanh linear }
  output { hidden [4] activation elu final sigmoid feedthrough linear }
  seed 3
  init random
}
loss weighted_mse weights [1]
regularize { l2 weights 1e-3 x0 1e-4  l1 state.* 1e-3  l0 output.W2 1e-3  group states 1e-2  group inputs 1e-2  group state.W1 output.W1 1e-2  group_l0 states 1e-2  budget 20 weights }
constrain { bounds A in [-1.5, 1.5]  integer output.W2 in [-3, 3]  quantize state.* levels -8..8 step 2^-4  quantize output.b2 levels {-1, 0, 1}  mixed_integer output.W2 entries [0, 2] }
solver nailm { iterations 10 ftol 1e-9 xtol 1e-10 gtol 1e-6 seconds 60 chunk 256 lambda 1e-2 seed 2 starts 4 select validation admm { rho 0.1 iterations 100 inner 3 growth 1.5 polish 1 } }
`,
  `data {
  generate binary_output
  train 0..1000
  test 1000..2000 { init 10 }
  sampling 4 s
  scale standard
}
model custom {
  states 1
  parameters { k = 1  a = 0.5 }
  state { x1' = a*x1 + k*sin(u1) + cos(x1)*Ts + tanh(x1) + exp(-x1*x1) + log(1 + x1*x1) + sqrt(1 + x1*x1) + sigmoid(x1) }
  output { y1 = x1 }
}
loss cross_entropy epsilon 1e-4
solver adam { iterations 10 }
`,
  `data { generate binary_output train 0..1000 }
model feedforward { output { hidden [4] } init random }
loss logistic
solver lbfgs { iterations 5 starts 2 select train }
`,
  `data { generate binary_output train 0..1000 }
model linear { states 2 }
loss mse
solver nailm
`,
  `data { generate binary_output train 0..1000 }
model rnn { states 2 state { hidden [4] linear } output { hidden [4] linear } init linear }
loss pseudo_huber delta 1
solver nails { iterations 5 }
`,
];

describe("the README's language table", () => {
  it('every form it lists checks clean', async () => {
    const { Nails } = createNailsServices(EmptyFileSystem);
    for (const text of LANGUAGE_TABLE_SPECS) {
      const doc = await parseDocument(Nails, text, { validation: true });
      assert.deepEqual(
        (doc.diagnostics ?? []).map((d) => [d.range.start.line + 1, d.message]),
        [],
        text,
      );
    }
  });
});

describe('what the README says of the extension and the tooling', () => {
  const pkg = JSON.parse(read('package.json')) as {
    engines: { node: string };
    contributes: {
      commands: { command: string; title: string; category?: string }[];
      menus: Record<string, { command: string }[]>;
      views: { explorer: { id: string; name: string }[] };
      configuration: { properties: Record<string, unknown> };
    };
  };

  it('the commands it names are contributed under NAILS, Train in the title bar and context menus', () => {
    const titles = pkg.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    for (const t of [
      'NAILS: Train',
      'NAILS: Stop',
      'NAILS: Show Results',
      'NAILS: Evaluate on Test Data',
      'NAILS: Compare Runs',
      'NAILS: Export Model (JSON, C header, ONNX)',
      'NAILS: Open Example',
    ])
      assert.ok(titles.includes(t), `${t} is contributed`);
    for (const menu of ['editor/title', 'editor/context'])
      assert.ok(
        pkg.contributes.menus[menu]?.some((m) => m.command === 'nails.train'),
        `Train in ${menu}`,
      );
    assert.ok(pkg.contributes.views.explorer.some((v) => v.name === 'NAILS Runs'));
    assert.ok('nails.dataDirectory' in pkg.contributes.configuration.properties);
  });

  it('engines.node is >=20 and the Node version is pinned', () => {
    assert.equal(pkg.engines.node, '>=20');
    assert.match(read('.node-version'), /^\d+\.\d+\.\d+\s*$/);
    assert.ok(existsSync(path.join(ROOT, 'package-lock.json')));
  });

  it('TypeScript is strict with noUncheckedIndexedAccess', () => {
    const ts = read('tsconfig.json');
    assert.match(ts, /"strict":\s*true/);
    assert.match(ts, /"noUncheckedIndexedAccess":\s*true/);
  });

  it('the results webview: uPlot, a strict CSP (no default source, nonce scripts), state restore', () => {
    // The page (src/extension/page-html.ts; test/extension/page-html.test.ts checks the policy).
    assert.match(read('src/extension/results-panel.ts'), /webviewHtml\(/);
    assert.match(
      read('src/extension/page-html.ts'),
      /Content-Security-Policy" content="default-src 'none';[^"]*script-src 'nonce-/,
    );
    const view = read('webview/results.ts');
    // The charts (webview/charts/chart.ts, which every panel draws with) are uPlot.
    assert.match(read('webview/charts/chart.ts'), /from 'uplot'/, 'the charts are uPlot');
    assert.match(view, /vscode\.setState\(/);
    assert.match(
      view,
      // The saved state: the latest host message (and the run's inputs), checked before use.
      /const saved = vscode\.getState\(\) as State \| undefined;\s*if \(saved && isHostMessage\(saved\.main\)\)/,
    );
  });
});
