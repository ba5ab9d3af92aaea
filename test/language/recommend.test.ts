/**
 * The settings recommended for a spec's own data (src/language/recommendation.ts): the hover on
 * `model`, `states`, `hidden`, `l2` and `solver` over records of known order, its cache (a second
 * hover computes nothing; a changed data file or part does), the bound on long records, Restricted
 * Mode (nothing read, nothing recommended), and the information diagnostics far from the
 * recommendation (src/language/recommend-advice.ts) with their quick fixes; and that the example
 * and benchmark specs get advice only where the benchmarks say they are far from it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import { DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';
import { recommendationsComputed } from '../../src/language/recommendation';
import { DATA_DIR, needsData, ROOT } from '../helpers';
import { writeLinearRecord } from './linear-record';

const { Nails } = createNailsServices(EmptyFileSystem);
Nails.settings.advise = true;
const parse = parseHelper<Spec>(Nails);
const dir = mkdtempSync(path.join(tmpdir(), 'nails-recommend-'));
writeLinearRecord(path.join(dir, 'second.csv'), 2, 3000);
writeLinearRecord(path.join(dir, 'fourth.csv'), 4, 3000);
writeLinearRecord(path.join(dir, 'long.csv'), 2, 30000);
after(() => {
  Nails.settings.readFiles = true;
});

let n = 0;
function spec(
  file: string,
  model = 'states 2',
  reg = 'l2 weights 1e-3 x0 1e-3',
  train = '0..2000',
) {
  const [a, b] = train.split('..').map(Number);
  return `data {
  file "${file}"
  input u
  output y
  train ${a}..${b}
  test ${b}..${file === 'long.csv' ? 30000 : 3000} { init 20 }
}

model rnn {
  ${model}
  state { hidden [8] activation tanh linear }
  output { hidden [8] activation tanh linear }
}

regularize {
  ${reg}
}

solver nailm {
  iterations 100
}
`;
}

async function open(text: string, validation = false): Promise<LangiumDocument<Spec>> {
  return parse(text, {
    documentUri: URI.file(path.join(dir, `spec${++n}.nails`)).toString(),
    validation,
  });
}

/** The hover text on the last character of the first match of `at` (a keyword). */
async function hoverOn(doc: LangiumDocument<Spec>, where: RegExp): Promise<string> {
  const m = where.exec(doc.textDocument.getText());
  assert.ok(m, `${where} in the spec`);
  const at = m.index + m[0].length - 2;
  const h = await Nails.lsp.HoverProvider!.getHoverContent(doc, {
    textDocument: { uri: doc.uri.toString() },
    position: doc.textDocument.positionAt(at + 1),
  });
  const c = h?.contents as { value?: string } | undefined;
  return c?.value ?? '';
}

const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const infos = (doc: LangiumDocument) =>
  (doc.diagnostics ?? []).filter((d) => d.severity === DiagnosticSeverity.Information);

describe('hover: the settings recommended for the spec’s data', () => {
  it('on `model`: every setting with its reason; 2 states for a 2nd-order record', async () => {
    const h = await hoverOn(await open(spec('second.csv')), /^model/m);
    assert.match(h, /\*\*Recommended for these data\*\*/);
    assert.match(
      h,
      /`states 2` — linear-stage singular values \(relative\) 1\.0, 0\.7\d, 0\.00\d+.*: 2 above the noise floor/,
    );
    assert.match(h, /`hidden \[8\]` — 2,000 training samples: 8 neurons per map/);
    assert.match(h, /`l2 weights 1e-3 x0 1e-3` — ridge term/);
    assert.match(h, /`solver nailm \{ iterations 100 \}` — NAILM/);
    assert.match(h, /`init 20 \(test part\)`/);
    assert.doesNotMatch(h, /first 20,000/, 'all samples used');
  });

  it('4 states for a 4th-order record; `states`, `hidden`, `l2` and `solver` show their own line under the keyword doc', async () => {
    const doc = await open(spec('fourth.csv'));
    const states = await hoverOn(doc, /states/);
    assert.match(states, /^\*\*states\*\*: The number of states nx/);
    assert.match(states, /---\n\n\*\*Recommended for these data\*\*[^]*`states 4`/);
    assert.doesNotMatch(states, /hidden \[/);
    const hidden = await hoverOn(doc, /hidden/);
    assert.match(hidden, /`hidden \[8\]` — 2,000 training samples/);
    assert.match(await hoverOn(doc, /\bl2/), /`l2 weights 1e-3 x0 1e-3`/);
    assert.match(await hoverOn(doc, /^solver/m), /`solver nailm \{ iterations 100 \}`/);
    assert.doesNotMatch(await hoverOn(doc, /iterations/), /Recommended/);
  });

  it('a long record: the singular values from the first 20,000 samples, and the hover says so', async () => {
    const h = await hoverOn(
      await open(spec('long.csv', 'states 2', 'l2 weights 1e-4 x0 1e-4', '0..25000')),
      /^model/m,
    );
    assert.match(h, /`states 2`/);
    assert.match(h, /`hidden \[12\]` — 25,000 training samples/);
    assert.match(h, /`solver nails \{ iterations 250 \}` — 25,000 > 20,000 samples/);
    assert.match(h, /Singular values — from the first 20,000 of 25,000 training samples\./);
  });

  it('is computed once per data version and parts: a second hover, or an edit of the model, computes nothing', async () => {
    const before = recommendationsComputed();
    const text = spec('second.csv', 'states 2', 'l2 weights 1e-3 x0 1e-3', '0..1900');
    await hoverOn(await open(text), /^model/m);
    assert.equal(recommendationsComputed(), before + 1, 'the first hover computes');
    const t0 = performance.now();
    await hoverOn(await open(text), /^model/m);
    await hoverOn(await open(text.replace('states 2', 'states 3')), /states/);
    assert.equal(recommendationsComputed(), before + 1, 'served from the cache');
    assert.ok(performance.now() - t0 < 1000, 'cached hovers are quick');
    await hoverOn(await open(text.replace('train 0..1900', 'train 0..1800')), /^model/m);
    assert.equal(recommendationsComputed(), before + 2, 'other parts: computed again');
    const file = path.join(dir, 'second.csv');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    await hoverOn(await open(text), /^model/m);
    assert.equal(recommendationsComputed(), before + 3, 'a changed file: computed again');
  });

  it('Restricted Mode: no data read, no recommendation; the keyword docs stay', async () => {
    Nails.settings.readFiles = false;
    try {
      const before = recommendationsComputed();
      const doc = await open(spec('fourth.csv', 'states 1', 'l2 weights 1e-6 x0 1e-6'), true);
      const h = await hoverOn(doc, /^model/m);
      assert.match(h, /Recommended for these data: not computed in Restricted Mode/);
      assert.doesNotMatch(h, /`states \d`|hidden \[/);
      const states = await hoverOn(doc, /states/);
      assert.match(states, /^\*\*states\*\*: The number of states nx/);
      assert.doesNotMatch(states, /Recommended/);
      assert.deepEqual(infos(doc).map(msg), [], 'no advice');
      assert.equal(recommendationsComputed(), before);
    } finally {
      Nails.settings.readFiles = true;
    }
  });
});

/** `doc`'s text after the first quick fix for `d`. */
async function fixed(doc: LangiumDocument<Spec>, d: Diagnostic): Promise<string> {
  const actions = (await Nails.lsp.CodeActionProvider!.getCodeActions(doc, {
    textDocument: { uri: doc.uri.toString() },
    range: d.range,
    context: { diagnostics: [d], only: ['quickfix'] },
  })) as CodeAction[];
  const a = actions[0];
  assert.ok(a?.edit?.changes, `a quick fix for "${msg(d)}"`);
  assert.notEqual(a.isPreferred, true, 'a choice, not a "did you mean"');
  const t = TextDocument.create('x', 'nails', 1, doc.textDocument.getText());
  return TextDocument.applyEdits(t, a.edit.changes[doc.uri.toString()]!);
}

describe('information diagnostics far from the recommendation', () => {
  it('states two or more below the estimated order: on the value, and the fix writes the order', async () => {
    const doc = await open(spec('fourth.csv'), true);
    const [d, ...rest] = infos(doc);
    assert.equal(rest.length, 0, (doc.diagnostics ?? []).map(msg).join('\n'));
    assert.match(
      msg(d!),
      /^states 2 is well below the order these data suggest: .*4 above the noise floor/,
    );
    const line = doc.textDocument
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('states 2'));
    assert.deepEqual(d!.range, {
      start: { line, character: 9 },
      end: { line, character: 10 },
    });
    const text = await fixed(doc, d!);
    assert.match(text, /^ {2}states 4$/m);
    const again = await open(text, true);
    assert.deepEqual(
      (again.diagnostics ?? []).map(msg),
      [],
      'the fixed spec checks clean, without advice',
    );
  });

  it('one below the order is left alone (within the estimate’s uncertainty)', async () => {
    const doc = await open(spec('fourth.csv', 'states 3'), true);
    assert.deepEqual((doc.diagnostics ?? []).map(msg), []);
  });

  it('l2 more than 10× below on a short record: the fix writes the recommended value', async () => {
    const doc = await open(spec('second.csv', 'states 2', 'l2 weights 1e-5 x0 1e-4'), true);
    const [d, ...rest] = infos(doc);
    assert.equal(rest.length, 0);
    assert.match(
      msg(d!),
      /^l2 weights 1e-5 is more than 10× below the 1e-3 recommended for 2,000 training samples/,
    );
    assert.equal(doc.textDocument.getText(d!.range), '1e-5');
    const text = await fixed(doc, d!);
    assert.match(text, /l2 weights 1e-3 x0 1e-4/);
    assert.deepEqual(((await open(text, true)).diagnostics ?? []).map(msg), []);
  });

  it('quiet at 10× below, on a long record, and on a custom model', async () => {
    for (const text of [
      spec('second.csv', 'states 2', 'l2 weights 1e-4 x0 1e-4'),
      spec('long.csv', 'states 2', 'l2 weights 1e-7 x0 1e-7', '0..25000'),
    ]) {
      const doc = await open(text, true);
      assert.deepEqual((doc.diagnostics ?? []).map(msg), [], text);
    }
    const custom = `data {
  file "fourth.csv"
  input u
  output y
  train 0..2000
  test 2000..3000 { init 20 }
}
model custom {
  states 1
  parameters { a = 0.5 }
  state { x1' = a * x1 + u1 }
  output { y1 = x1 }
}
regularize { l2 weights 1e-8 x0 1e-8 }
`;
    const doc = await open(custom, true);
    assert.deepEqual(infos(doc).map(msg), []);
  });

  it('`nails check` (settings.advise off) reports no advice', async () => {
    const { Nails: cli } = createNailsServices(EmptyFileSystem);
    const doc = await parseHelper<Spec>(cli)(
      spec('fourth.csv', 'states 1', 'l2 weights 1e-6 x0 1e-6'),
      {
        documentUri: URI.file(path.join(dir, 'cli.nails')).toString(),
        validation: true,
      },
    );
    assert.deepEqual((doc.diagnostics ?? []).map(msg), []);
  });
});

describe('the example and benchmark specs', needsData, () => {
  const specs = [
    ...readdirSync(path.join(ROOT, 'examples')).map((f) => path.join('examples', f)),
    ...readdirSync(path.join(ROOT, 'bench', 'accuracy')).map((f) =>
      path.join('bench', 'accuracy', f),
    ),
  ].filter((f) => f.endsWith('.nails'));

  it('get advice only where the benchmarks say they are far: examples/silverbox.nails (2 states, order 4)', async () => {
    Nails.settings.dataDirs = [DATA_DIR];
    try {
      const advice: string[] = [];
      for (const f of specs) {
        const doc = await parse(readFileSync(path.join(ROOT, f), 'utf8'), {
          documentUri: URI.file(path.join(ROOT, f)).toString(),
          validation: true,
        });
        for (const d of infos(doc))
          advice.push(`${f}:${d.range.start.line + 1}: ${msg(d).split(':')[0]}`);
        assert.match(await hoverOn(doc, /^model/m), /`states \d` —/, f);
      }
      assert.deepEqual(advice, [
        'examples/silverbox.nails:19: states 2 is well below the order these data suggest',
      ]);
    } finally {
      Nails.settings.dataDirs = [];
    }
  });
});
