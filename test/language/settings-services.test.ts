/**
 * Completion and hover of settings come from the schema (src/language/settings-schema.ts):
 * completion in each block lists that block's settings with their doc, range and default, and
 * hover on a setting's keyword shows its doc, range, default and units.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { expectCompletion, expectHover } from 'langium/test';
import {
  CompletionItemKind,
  type CompletionItem,
  type CompletionList,
} from 'vscode-languageserver';
import { createNailsServices } from '../../src/language/nails-module';
import {
  SETTINGS,
  keywordOf,
  rangeText,
  settingKey,
  settingsIn,
  type Section,
} from '../../src/language/settings-schema';

const { Nails } = createNailsServices(EmptyFileSystem);

/** A spec with the cursor (`<|>`) where each block's settings are written. */
const CURSOR: Record<Section, string> = {
  spec: '<|>',
  data: 'data {\n  <|>\n}',
  'data.part': 'data {\n  train { <|> }\n}',
  'data.generate': 'data {\n  generate binary_output <|>\n}',
  model: 'model rnn {\n  <|>\n}',
  'model.map': 'model rnn {\n  state { <|> }\n}',
  loss: 'loss cross_entropy <|>',
  regularize: 'regularize {\n  <|>\n}',
  'regularize.l2': 'regularize {\n  l2 <|>\n}',
  constrain: 'constrain {\n  <|>\n}',
  solver: 'solver nailm {\n  <|>\n}',
  'solver.admm': 'solver nailm {\n  admm { <|> }\n}',
};

const docOf = (i: CompletionItem | undefined): string =>
  typeof i?.documentation === 'string' ? i.documentation : (i?.documentation?.value ?? '');

describe('completion of settings', () => {
  for (const [section, text] of Object.entries(CURSOR) as [Section, string][])
    it(`in ${section}: its settings, with doc, range and default`, async () => {
      const want = settingsIn(section).filter((d) => !d.header && !d.within);
      assert.ok(want.length > 0, `${section} has settings`);
      await expectCompletion(Nails)({
        text,
        index: 0,
        assert: (list: CompletionList) => {
          const labels = list.items.map((i) => i.label);
          // Settings offered here are this block's, the enclosing block's when the cursor may
          // also start its next line (after `generate …`), or a section's header (`model`, …).
          const here = new Set(
            [
              ...settingsIn(section),
              ...(section === 'data.generate' ? settingsIn('data') : []),
              ...SETTINGS.filter((d) => d.header),
            ].map(keywordOf),
          );
          for (const i of list.items.filter((x) => x.kind === CompletionItemKind.Property))
            assert.ok(here.has(i.label), `${i.label} is not a setting of ${section}`);
          for (const d of want) {
            const item = list.items.find((i) => i.label === keywordOf(d));
            assert.ok(item, `${settingKey(d)} offered in ${section} (got ${labels.join(', ')})`);
            assert.ok(docOf(item).startsWith(d.doc), `${settingKey(d)}: documentation`);
            assert.ok(item.detail?.includes(rangeText(d)), `${settingKey(d)}: ${item.detail}`);
            if (d.default !== undefined)
              assert.ok(item.detail?.includes(`default ${d.default}`), `${settingKey(d)} default`);
          }
        },
      });
    });

  it('a setting that follows another on its line: `select` after `starts N`', async () => {
    await expectCompletion(Nails)({
      text: 'solver nailm {\n  starts 3 <|>\n}',
      index: 0,
      assert: (list: CompletionList) => {
        const select = list.items.find((i) => i.label === 'select');
        assert.match(docOf(select), /Which loss picks the best.*default train/);
      },
    });
  });

  it('names of a closed set come from the schema', async () => {
    await expectCompletion(Nails)({
      text: 'data {\n  scale <|>\n}',
      index: 0,
      assert: (list: CompletionList) =>
        assert.deepEqual(
          list.items.map((i) => i.label),
          ['standard', 'none'],
        ),
    });
  });
});

describe('hover on a setting', () => {
  it('shows doc, range, default and units', async () => {
    await expectHover(Nails)({
      text: 'data {\n  sam<|>pling 4 s\n}',
      index: 0,
      hover: /\*\*sampling\*\*: The sampling time.*\(> 0; in s, ms, us, min, h, Hz, kHz\)/,
    });
    await expectHover(Nails)({
      text: 'solver nailm { ite<|>rations 10 }',
      index: 0,
      hover: /\*\*iterations\*\*: The iteration budget\. \(integer ≥ 1; default 100\)/,
    });
    await expectHover(Nails)({
      text: 'model rnn { sta<|>tes 3 }',
      index: 0,
      hover: /\*\*states\*\*: The number of states nx\. \(integer 1 … 1000; default 2/,
    });
    await expectHover(Nails)({
      text: 'loss cross_entropy eps<|>ilon 1e-3',
      index: 0,
      hover: /\(\(0, 1\); default 1e-4\)/,
    });
  });

  it('the same keyword in another block says what it does there', async () => {
    await expectHover(Nails)({
      text: 'solver nailm { admm { ite<|>rations 10 } }',
      index: 0,
      hover: /\*\*iterations\*\*: ADMM iterations\. \(integer ≥ 1; default 100\)/,
    });
    await expectHover(Nails)({
      text: 'data {\n  generate binary_output se<|>ed 3\n}',
      index: 0,
      hover: /The random seed of the generated data set/,
    });
  });
});
