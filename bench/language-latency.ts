/**
 * Language-server latency on a long spec (issue #18: "diagnostics after an edit of a 1,000-line
 * spec < 100 ms, completion < 50 ms"). Starts the bundled server (dist/language-server.cjs) over
 * stdio with the tests' client (test/language/lsp-client.ts), opens a generated 1,000-line spec
 * (a CSV record of 20,000 samples cut into 60 named parts, a custom model with 16 states, 240
 * parameters and their equations, constraints, regularisers, solver settings and many comments),
 * then
 *   - applies small edits one at a time (a digit of a parameter, a character in a comment, a
 *     solver setting, a line inserted and removed, …) and times each from `didChange` to the next
 *     `publishDiagnostics` for the document;
 *   - requests completion at several positions on the settled document, and right after an edit
 *     (the request then waits for the document to be rebuilt, as when typing);
 * and reports median, p95 and max. Rows replace earlier `benchmark: "language-latency"` rows of
 * bench/results.json; the table goes to bench/results/language-latency.md.
 *
 *   npx tsx bench/language-latency.ts [--edits 200] [--completions 20] [--no-write]
 *       [--server other/dist/language-server.cjs] [--profile DIR]
 * Needs `npm run build` first (dist/language-server.cjs).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CompletionItem, CompletionList, Diagnostic, Position } from 'vscode-languageserver';
import { LspClient } from '../test/language/lsp-client';
import { commandLine, machineInfo } from './machine';

const ROOT = path.resolve(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    edits: { type: 'string', default: '200' },
    completions: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
    /** A folder for a CPU profile of the server (node --cpu-prof). */
    profile: { type: 'string' },
    /** Another build of the server (e.g. an earlier commit's), measured the same way. */
    server: { type: 'string' },
  },
});
const nEdits = Number(values.edits);
const nCompletions = Number(values.completions);
const SERVER = path.resolve(values.server ?? path.join(ROOT, 'dist', 'language-server.cjs'));

/** One row of bench/results.json for this benchmark. */
export interface LatencyRow {
  benchmark: 'language-latency';
  measure: string;
  spec_lines: number;
  samples: number;
  median_ms: number;
  p95_ms: number;
  max_ms: number;
  /** The issue's target (none for opening the spec). */
  target_ms: number | null;
  load_average_1min: number;
  command: string;
  date: string;
  commit: string;
  node_version: string;
}

/** A CSV record: 3 inputs and 2 outputs of a damped nonlinear system, `rows` samples. */
function record(rows: number): string {
  const lines = ['u1,u2,u3,y1,y2'];
  let a = 0;
  let b = 0;
  for (let k = 0; k < rows; k++) {
    const u1 = Math.sin(k / 37);
    const u2 = Math.cos(k / 91);
    const u3 = ((k * 7919) % 1000) / 500 - 1;
    a = 0.9 * a + 0.1 * Math.tanh(u1 + 0.5 * u2);
    b = 0.8 * b + 0.2 * a * u3;
    lines.push([u1, u2, u3, a, b].map((v) => v.toFixed(6)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A valid 1,000-line spec of the kind a long one is: a commented header, a data section of many
 * parts with ranges and comments, a custom model with many parameters and long equations,
 * regularisers, constraints and solver settings.
 */
export function longSpec(targetLines = 1000): string {
  const L: string[] = [];
  L.push('// A long spec for the language-server latency benchmark (bench/language-latency.ts).');
  for (let i = 0; i < 18; i++)
    L.push(`// Notes ${i + 1}: the record was taken on rig ${i % 3} at 100 Hz; see the log book.`);
  L.push('experiment long_spec', '', 'data {');
  L.push('  file "record.csv"                 // 20,000 samples, 3 inputs and 2 outputs');
  L.push('  sampling 0.01 s', '  scale standard', '');
  const parts = 60;
  for (let p = 0; p < parts; p++) {
    const a = p * 300;
    const kind = p % 10 === 9 ? 'test' : p % 10 === 8 ? 'validation' : 'train';
    L.push(`  // segment ${p + 1}: operating point ${(p % 7) * 0.5} V, ${kind}`);
    L.push(`  ${kind} seg${p + 1} ${a}..${a + 300} {`);
    L.push('    input u1, u2, u3   // the three actuators');
    L.push('    output y1, y2');
    L.push('    init 10');
    L.push('  }');
  }
  L.push('}', '');
  const nx = 16;
  const nParams = 240;
  L.push('model custom {', `  states ${nx}`, '  // physical parameters, one per line');
  L.push('  parameters {');
  for (let i = 0; i < nParams; i++)
    L.push(`    p${i + 1} = ${((i % 9) + 1) / 20}   // coefficient ${i + 1} of the state map`);
  L.push('  }');
  L.push('  state {');
  const per = nParams / nx;
  for (let s = 0; s < nx; s++) {
    const terms: string[] = [];
    for (let j = 0; j < per; j++) {
      const p = `p${s * per + j + 1}`;
      const x = `x${((s + j) % nx) + 1}`;
      const u = `u${(j % 3) + 1}`;
      terms.push(j % 3 === 0 ? `${p}*tanh(${x})` : j % 3 === 1 ? `${p}*${x}*${u}` : `${p}*${u}`);
    }
    L.push(`    // state ${s + 1}`);
    L.push(`    x${s + 1}' = 0.5*x${s + 1} + 0.01*(${terms.slice(0, 5).join(' + ')}`);
    for (let j = 5; j < per; j += 5) L.push(`      + ${terms.slice(j, j + 5).join(' + ')}`);
    L.push('    )');
  }
  L.push('  }');
  L.push('  output {', '    y1 = x1 + 0.1*x2', '    y2 = x3 - 0.1*x4', '  }', '}', '');
  L.push('loss mse', '', 'regularize {', '  l2 weights 1e-3 x0 1e-4', '}', '', 'constrain {');
  for (let i = 0; i < 40; i++) L.push(`  bounds p${i + 1} in [-5, 5]     // physical range`);
  L.push('}', '', 'solver nailm {', '  iterations 50', '  ftol 1e-9', '  seed 1', '}');
  while (L.length < targetLines) L.push(`// trailing note ${L.length}`);
  return `${L.join('\n')}\n`;
}

interface Edit {
  line: number;
  character: number;
  remove: number;
  insert: string;
}

/** Small edits spread over the spec, each followed by its undo (so the text stays valid). */
function edits(text: string, n: number): Edit[] {
  const lines = text.split('\n');
  const find = (re: RegExp, from = 0) => {
    for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i;
    throw new Error(`no line matches ${re}`);
  };
  const sites: [Edit, Edit][] = [];
  const param = find(/^ {4}p120 = /);
  const at = lines[param]!.indexOf('= ') + 2;
  sites.push([
    { line: param, character: at, remove: 1, insert: '7' },
    { line: param, character: at, remove: 1, insert: lines[param]![at]! },
  ]);
  const comment = find(/^\/\/ Notes 5/);
  sites.push([
    { line: comment, character: 3, remove: 0, insert: 'x' },
    { line: comment, character: 3, remove: 1, insert: '' },
  ]);
  const iters = find(/^ {2}iterations 50/);
  sites.push([
    { line: iters, character: 13, remove: 1, insert: '6' },
    { line: iters, character: 13, remove: 1, insert: '5' },
  ]);
  const seg = find(/^ {2}train seg31 /);
  sites.push([
    { line: seg + 4, character: 0, remove: 0, insert: '    decimate 2\n' },
    { line: seg + 4, character: 0, remove: 15, insert: '' },
  ]);
  const eq = find(/^ {4}x9' = /);
  sites.push([
    { line: eq, character: 13, remove: 0, insert: ' ' },
    { line: eq, character: 13, remove: 1, insert: '' },
  ]);
  const out: Edit[] = [];
  for (let i = 0; out.length < n; i++) out.push(...sites[i % sites.length]!);
  return out.slice(0, n);
}

/** Where completion is asked: a new line in a part, the parameters, an equation, the solver, the end. */
function completionPositions(text: string): { what: string; at: Position }[] {
  const lines = text.split('\n');
  const find = (re: RegExp) => lines.findIndex((l) => re.test(l));
  return [
    { what: 'keyword in a data part', at: { line: find(/^ {4}init 10/), character: 4 } },
    { what: 'signal of a part', at: { line: find(/^ {4}output y1, y2/), character: 11 } },
    { what: 'solver setting', at: { line: find(/^ {2}ftol/), character: 2 } },
    { what: 'model entry', at: { line: find(/^ {2}states 16/), character: 2 } },
    { what: 'top level at the end', at: { line: lines.length - 1, character: 0 } },
  ];
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-latency-'));
  const samples = 20000;
  writeFileSync(path.join(dir, 'record.csv'), record(samples));
  let text = longSpec();
  const specLines = text.split('\n').length - 1;
  const file = path.join(dir, 'long.nails');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const env = values.profile
    ? { ...process.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(values.profile)}` }
    : process.env;
  const client = new LspClient(SERVER, env, dir);
  await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { workspace: { configuration: true } },
  });
  client.notify('initialized', {});

  let t0 = performance.now();
  let published: Promise<Diagnostic[]> = client.nextDiagnostics(uri);
  client.notify('textDocument/didOpen', {
    textDocument: { uri, languageId: 'nails', version: 1, text },
  });
  let d = await published;
  const openMs = performance.now() - t0;
  const errors = d.filter((x) => x.severity === 1);
  if (errors.length > 0)
    throw new Error(
      `the spec should be valid: ${errors.map((x) => (typeof x.message === 'string' ? x.message : x.message.value)).join('; ')}`,
    );
  process.stderr.write(
    `open: ${openMs.toFixed(0)} ms, ${d.length} diagnostics (${specLines} lines)\n`,
  );

  let version = 1;
  const apply = (e: Edit) => {
    const lines = text.split('\n');
    const offset = lines.slice(0, e.line).reduce((n, x) => n + x.length + 1, 0) + e.character;
    const end = positionAt(lines, offset + e.remove);
    text = text.slice(0, offset) + e.insert + text.slice(offset + e.remove);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [
        { range: { start: { line: e.line, character: e.character }, end }, text: e.insert },
      ],
    });
  };

  const editMs: number[] = [];
  for (const e of edits(text, nEdits)) {
    published = client.nextDiagnostics(uri);
    t0 = performance.now();
    apply(e);
    d = await published;
    editMs.push(performance.now() - t0);
  }
  if (d.some((x) => x.severity === 1)) throw new Error('the edits left errors in the spec');

  type Completion = CompletionItem[] | CompletionList | null;
  const count = (c: Completion) => (Array.isArray(c) ? c.length : (c?.items.length ?? 0));
  const idleMs: number[] = [];
  const afterEditMs: number[] = [];
  const positions = completionPositions(text);
  const perPosition = new Map<string, number[]>();
  for (let i = 0; i < nCompletions; i++) {
    for (const p of positions) {
      t0 = performance.now();
      const c = await client.request<Completion>('textDocument/completion', {
        textDocument: { uri },
        position: p.at,
      });
      const ms = performance.now() - t0;
      idleMs.push(ms);
      perPosition.set(p.what, [...(perPosition.get(p.what) ?? []), ms]);
      if (i === 0) process.stderr.write(`completion at ${p.what}: ${count(c)} items\n`);
    }
    // Typing then asking: the request is sent right after the edit and waits for the rebuild.
    for (const e of edits(text, 2)) {
      published = client.nextDiagnostics(uri);
      apply(e);
      t0 = performance.now();
      await client.request<Completion>('textDocument/completion', {
        textDocument: { uri },
        position: positions[i % positions.length]!.at,
      });
      afterEditMs.push(performance.now() - t0);
      await published;
    }
  }
  await client.request('shutdown', null);
  client.notify('exit', null);
  await new Promise((r) => setTimeout(r, 500));
  client.close();
  rmSync(dir, { recursive: true, force: true });

  const m = machineInfo();
  const load = loadavg()[0]!;
  const row = (measure: string, xs: number[], target: number | null): LatencyRow => ({
    benchmark: 'language-latency',
    measure,
    spec_lines: specLines,
    samples: xs.length,
    median_ms: quantile(xs, 0.5),
    p95_ms: quantile(xs, 0.95),
    max_ms: Math.max(...xs),
    target_ms: target,
    load_average_1min: load,
    command: commandLine(),
    date: m.date,
    commit: m.commit,
    node_version: m.node,
  });
  const rows = [
    row('open → first diagnostics', [openMs], null),
    row('edit → diagnostics', editMs, 100),
    row('completion (document settled)', idleMs, 50),
    row('completion right after an edit', afterEditMs, 50),
    ...[...perPosition].map(([what, xs]) => row(`completion: ${what}`, xs, 50)),
  ];
  const f = (x: number) => x.toFixed(1);
  const md =
    `# Language-server latency on a ${specLines}-line spec (bench/language-latency.ts)\n\n` +
    `Command: \`${commandLine()}\` — server ${path.relative(ROOT, SERVER)}, ${m.date}, commit ${m.commit}, ${m.cpu} (${m.cores} cores), Node ${m.node}; 1-minute load average ${load.toFixed(2)}.\n\n` +
    '| measure | samples | median ms | p95 ms | max ms | target ms |\n| --- | ---: | ---: | ---: | ---: | ---: |\n' +
    rows
      .map(
        (r) =>
          `| ${r.measure} | ${r.samples} | ${f(r.median_ms)} | ${f(r.p95_ms)} | ${f(r.max_ms)} | ${r.target_ms === null ? '—' : `< ${r.target_ms}`} |`,
      )
      .join('\n') +
    '\n';
  process.stdout.write(md);
  if (!values['no-write']) {
    const results = path.join(ROOT, 'bench', 'results.json');
    const old = JSON.parse(readFileSync(results, 'utf8')) as { benchmark?: string }[];
    const kept = old.filter((r) => r.benchmark !== 'language-latency');
    writeFileSync(results, `${JSON.stringify([...kept, ...rows], null, 1)}\n`);
    writeFileSync(path.join(ROOT, 'bench', 'results', 'language-latency.md'), md);
  }
}

/** The position of a character offset in a text split into lines. */
function positionAt(lines: string[], offset: number): Position {
  let line = 0;
  let rest = offset;
  while (line < lines.length - 1 && rest > lines[line]!.length) {
    rest -= lines[line]!.length + 1;
    line++;
  }
  return { line, character: rest };
}

await main();
