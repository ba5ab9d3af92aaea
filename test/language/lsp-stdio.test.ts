import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, Diagnostic, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DATA_DIR, needsData, ROOT } from '../helpers';
import { writeLinearRecord } from './linear-record';
import { LspClient } from './lsp-client';

const SERVER = path.join(ROOT, 'dist', 'language-server.cjs');
const CLI = path.join(ROOT, 'dist', 'cli.cjs');

/** The Cascaded Tanks example with typos in values, a data variable and keywords. */
function specWithTypos(): string {
  return readFileSync(path.join(ROOT, 'examples', 'cascaded-tanks.nails'), 'utf8')
    .replace('hidden', 'hiden') // keyword (a map setting)
    .replace('states 2', 'stats 2') // keyword (a model setting)
    .replace('iterations 100\n', 'iteratons 100\n') // keyword (a solver setting)
    .replace(/activation elu/g, 'activation eluu') // value
    .replace(/^loss mse/m, 'loss mse2') // value
    .replace(/solver nail[sm]/, 'solver nailz') // value
    .replace('uVal ', 'uVall '); // data variable
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'nails', 1, text), edits);
}

describe('the language server over stdio (dist/language-server.cjs)', needsData, () => {
  let client: LspClient;
  let dir: string;
  let capabilities: Record<string, unknown>;
  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    dir = mkdtempSync(path.join(tmpdir(), 'nails-lsp-'));
    client = new LspClient(SERVER, { ...process.env, NAILS_DATA_DIR: DATA_DIR }, dir);
    const init = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: {
        textDocument: {
          codeAction: {
            codeActionLiteralSupport: {
              codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] },
            },
          },
        },
        workspace: { configuration: true },
      },
    });
    capabilities = init.capabilities;
    client.notify('initialized', {});
  });
  after(() => client?.close());

  async function open(
    name: string,
    text: string,
  ): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    const published = client.diagnostics(uri);
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'nails', version: 1, text },
    });
    return { uri, diagnostics: await published };
  }

  it('announces quick fixes, fix all and code lenses', () => {
    assert.deepEqual(capabilities.codeActionProvider, {
      codeActionKinds: ['quickfix', 'source.fixAll'],
    });
    assert.ok(capabilities.codeLensProvider, 'codeLensProvider');
  });

  it('a spec with typos: the first quick fix of each diagnostic gives a spec `nails check` passes', async () => {
    const text = specWithTypos();
    const { uri, diagnostics } = await open('typos.nails', text);
    const messages = diagnostics.map((d) =>
      typeof d.message === 'string' ? d.message : d.message.value,
    );
    for (const m of [
      "unknown setting 'hiden' (did you mean 'hidden'?)",
      "unknown setting 'stats' (did you mean 'states'?)",
      "unknown setting 'iteratons' (did you mean 'iterations'?)",
    ])
      assert.ok(messages.includes(m), `"${m}" in:\n${messages.join('\n')}`);
    assert.ok(messages.some((m) => m.startsWith("'uVall' is not in dataBenchmark.mat")));
    assert.ok(!messages.some((m) => /Expecting|equations belong/.test(m)), messages.join('\n'));
    assert.equal(diagnostics.length, 8, messages.join('\n'));
    const edits: TextEdit[] = [];
    for (const d of diagnostics) {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d], only: ['quickfix'] },
      });
      const first = actions.find((a) => a.edit?.changes?.[uri]);
      assert.ok(
        first,
        `a quick fix for "${typeof d.message === 'string' ? d.message : d.message.value}"`,
      );
      edits.push(first.edit!.changes![uri]![0]!);
    }
    const fixed = applyEdits(text, edits);
    const file = path.join(dir, 'fixed.nails');
    writeFileSync(file, fixed);
    const out = execFileSync(process.execPath, [CLI, 'check', file], {
      env: { ...process.env, NAILS_DATA_DIR: DATA_DIR },
      encoding: 'utf8',
    });
    assert.doesNotMatch(out, /error/);
    assert.equal(
      fixed,
      readFileSync(path.join(ROOT, 'examples', 'cascaded-tanks.nails'), 'utf8').replace(
        /solver nails/,
        'solver nailm',
      ),
      'the example again (nailz is as near to nailm as to nails)',
    );
  });

  it('source.fixAll repairs all of them in one edit', async () => {
    const text = specWithTypos();
    const { uri, diagnostics } = await open('fix-all.nails', text);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.edit!.changes![uri]!.length, diagnostics.length);
    const fixed = applyEdits(text, actions[0]!.edit!.changes![uri]!);
    const file = path.join(dir, 'fixed-all.nails');
    writeFileSync(file, fixed);
    execFileSync(process.execPath, [CLI, 'check', file], {
      env: { ...process.env, NAILS_DATA_DIR: DATA_DIR },
      encoding: 'utf8',
    });
  });

  it('code lenses: Train and Preview data with the document URI', async () => {
    const text = readFileSync(path.join(ROOT, 'examples', 'cascaded-tanks.nails'), 'utf8');
    const { uri } = await open('lens.nails', text.replace('uVal ', 'uVall '));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri },
    });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.command, l.command?.arguments]),
      [
        [1, 'nails.train', [uri]],
        [1, 'nails.previewData', [uri]],
        [3, 'nails.previewData', [uri]],
      ],
    );
  });

  it('advice: the hover recommends 4 states for a 4th-order record, an information diagnostic on `states 2`, and its fix checks', async () => {
    writeLinearRecord(path.join(dir, 'fourth.csv'), 4, 3000);
    const text = [
      'data {\n  file "fourth.csv"\n  input u\n  output y\n  train 0..2000\n  test 2000..3000 { init 20 }\n}',
      'model rnn {\n  states 2\n  state { hidden [8] activation tanh linear }\n  output { hidden [8] activation tanh linear }\n}',
      'regularize {\n  l2 weights 1e-3 x0 1e-3\n}\n',
    ].join('\n\n');
    const { uri, diagnostics } = await open('advice.nails', text);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const d = diagnostics[0]!;
    assert.equal(d.severity, 3, 'Information');
    assert.match(
      typeof d.message === 'string' ? d.message : d.message.value,
      /^states 2 is well below the order these data suggest/,
    );
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 8, character: 2 },
    });
    assert.match(hover.contents.value, /\*\*Recommended for these data\*\*[^]*`states 4`/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    assert.equal(actions[0]?.title, 'Use the recommended states 4');
    const file = path.join(dir, 'advice-fixed.nails');
    writeFileSync(file, applyEdits(text, actions[0].edit!.changes![uri]!));
    const out = execFileSync(process.execPath, [CLI, 'check', file], { encoding: 'utf8' });
    assert.doesNotMatch(out, /error|warning/);
  });
});
