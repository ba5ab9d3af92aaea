import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import {
  expectCompletion,
  expectFormatting,
  expectHover,
  expectSymbols,
  parseDocument,
} from 'langium/test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createNailsServices } from '../../src/language/nails-module';
import { DATA_DIR, needsData, ROOT } from '../helpers';

const { Nails } = createNailsServices(EmptyFileSystem);
Nails.settings.dataDirs = [DATA_DIR];
const TANKS = 'file "cascaded_tanks/dataBenchmark.mat"';

describe('completion', () => {
  it('offers the column names of a CSV data file', needsData, async () => {
    await expectCompletion(Nails)({
      text: `data {\n  file "cascaded_tanks/dataBenchmark.csv"\n  train { input uEst output <|> }\n}`,
      index: 0,
      assert: (list) => {
        const labels = list.items.map((i) => i.label);
        for (const v of ['uEst', 'uVal', 'yEst', 'yVal'])
          assert.ok(labels.includes(v), `${v} offered (got ${labels.join(', ')})`);
      },
    });
  });

  it('offers the variable names found in the referenced data file', needsData, async () => {
    await expectCompletion(Nails)({
      text: `data {\n  ${TANKS}\n  train { input <|> }\n}`,
      index: 0,
      assert: (list) => {
        const labels = list.items.map((i) => i.label);
        for (const v of ['uEst', 'uVal', 'yEst', 'yVal'])
          assert.ok(labels.includes(v), `${v} offered (got ${labels.join(', ')})`);
        const u = list.items.find((i) => i.label === 'uEst');
        assert.match(String(u?.detail), /1,024 samples/);
      },
    });
  });

  it('offers activations, losses, methods and parameter blocks', async () => {
    const has = (want: string[]) => (list: { items: { label: string }[] }) => {
      const labels = list.items.map((i) => i.label);
      for (const w of want)
        assert.ok(labels.includes(w), `${w} offered (got ${labels.join(', ')})`);
    };
    await expectCompletion(Nails)({
      text: 'model rnn { state { activation <|> } }',
      index: 0,
      assert: has(['tanh', 'swish', 'elu']),
    });
    await expectCompletion(Nails)({
      text: 'loss <|>',
      index: 0,
      assert: has(['mse', 'cross_entropy', 'pseudo_huber']),
    });
    await expectCompletion(Nails)({
      text: 'solver <|>',
      index: 0,
      assert: has(['nailm', 'nails', 'lbfgs']),
    });
    await expectCompletion(Nails)({
      text: 'model linear { states 2 }\nregularize { l1 <|> }',
      index: 0,
      assert: has(['A', 'B', 'C', 'x0']),
    });
    await expectCompletion(Nails)({
      text: '<|>',
      index: 0,
      assert: has(['data', 'model', 'loss', 'solver', 'regularize', 'constrain']),
    });
  });
});

describe('hover', () => {
  it('a data signal: its length, duration at the sampling time, and range', needsData, async () => {
    await expectHover(Nails)({
      text: `data {\n  ${TANKS}\n  sampling 4 s\n  train { input u<|>Est output yEst }\n}`,
      index: 0,
      hover: /\*\*uEst\*\*: 1,024 samples, 1 channel, 4096 s at Ts = 4 s, range 0\.\d+ … \d\.\d+/,
    });
  });

  it('a data signal without a sampling time', needsData, async () => {
    await expectHover(Nails)({
      text: `data {\n  ${TANKS}\n  train { input u<|>Est output yEst }\n}`,
      index: 0,
      hover: /\*\*uEst\*\*: 1,024 samples, 1 channel, range/,
    });
  });
  it('a keyword: what it means', async () => {
    await expectHover(Nails)({
      text: 'solver nailm { ite<|>rations 10 }',
      index: 0,
      hover: /\*\*iterations\*\*: The iteration budget/,
    });
  });
  it('a parameter block: its resolved shape', async () => {
    await expectHover(Nails)({
      text: 'model linear { states 3 }\nregularize { l1 <|>A 1e-3 }',
      index: 0,
      hover: /`A`: 3×3 \(9 parameters\)/,
    });
  });
});

describe('formatting', () => {
  it('formats a cramped spec into blocks, one setting per line', async () => {
    await expectFormatting(Nails)({
      before:
        'data { generate binary_output seed 3   train 0..1000 test 1000..2000 }\nmodel rnn {states 3 state{hidden [5,5]}}',
      after:
        'data {\n    generate binary_output seed 3\n    train 0..1000\n    test 1000..2000\n}\n\nmodel rnn {\n    states 3\n    state { hidden [5, 5] }\n}',
    });
  });

  it('is idempotent on every example spec', async () => {
    const dir = path.join(ROOT, 'examples');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.nails'))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const once = await formatText(text);
      const twice = await formatText(once);
      assert.equal(twice, once, `${f}: formatting twice changes the text`);
    }
  });
});

describe('outline', () => {
  it('lists the sections and the data parts', async () => {
    await expectSymbols(Nails)({
      text: 'data { generate binary_output train 0..1000 test 1000..2000 }\nmodel rnn { states 3 }\nloss mse\nsolver nailm',
      assert: (symbols) => {
        assert.deepEqual(
          symbols.map((s) => s.name),
          ['data', 'model rnn', 'loss mse', 'solver nailm'],
        );
        assert.deepEqual(
          symbols[0]!.children?.map((s) => s.name),
          ['train', 'test'],
        );
      },
    });
  });

  it('lists the data and model sections of every example spec', async () => {
    const dir = path.join(ROOT, 'examples');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.nails'))) {
      await expectSymbols(Nails)({
        text: readFileSync(path.join(dir, f), 'utf8'),
        assert: (symbols) => {
          const names = symbols.map((s) => s.name);
          assert.ok(names.includes('data'), `${f}: ${names.join(', ')}`);
          assert.ok(
            names.some((n) => n.startsWith('model ')),
            `${f}: ${names.join(', ')}`,
          );
          assert.ok(
            (symbols.find((s) => s.name === 'data')?.children?.length ?? 0) > 0,
            `${f}: the data parts`,
          );
        },
      });
    }
  });
});

async function formatText(text: string): Promise<string> {
  const doc = await parseDocument(Nails, text);
  const edits = await Nails.lsp.Formatter!.formatDocument(doc, {
    textDocument: { uri: doc.uri.toString() },
    options: { tabSize: 4, insertSpaces: true },
  });
  return TextDocument.applyEdits(doc.textDocument, edits);
}
