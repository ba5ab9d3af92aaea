import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFileSystem, type LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';
import { DATA_DIR, needsData } from '../helpers';

const { Nails } = createNailsServices(EmptyFileSystem);
Nails.settings.dataDirs = [DATA_DIR];
const parse = parseHelper<Spec>(Nails);
const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const GEN = 'data { generate binary_output train 0..1000 }\n';
const TANKS = 'data {\n  file "cascaded_tanks/dataBenchmark.mat"\n';

async function validated(text: string): Promise<LangiumDocument<Spec>> {
  return parse(text, { validation: true });
}

/** The code actions offered for the diagnostic whose message matches `message`. */
async function actionsFor(
  doc: LangiumDocument<Spec>,
  message: RegExp,
  only?: string[],
): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
  const diagnostic = (doc.diagnostics ?? []).find((d) => message.test(msg(d)));
  assert.ok(
    diagnostic,
    `no diagnostic ${message}; got ${(doc.diagnostics ?? []).map(msg).join(' | ')}`,
  );
  const actions = (await Nails.lsp.CodeActionProvider!.getCodeActions(doc, {
    textDocument: { uri: doc.uri.toString() },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], ...(only ? { only } : {}) },
  })) as CodeAction[];
  return { diagnostic, actions };
}

/** `text` after the action's edits. */
function applied(doc: LangiumDocument, action: CodeAction): string {
  const edits = action.edit?.changes?.[doc.uri.toString()];
  assert.ok(edits?.length, `"${action.title}" has edits in this document`);
  const t = TextDocument.create('x', 'nails', 1, doc.textDocument.getText());
  return TextDocument.applyEdits(t, edits);
}

/** Applies the first quick fix for `message` and returns the new text and its diagnostics. */
async function fixFirst(text: string, message: RegExp) {
  const doc = await validated(text);
  const { actions } = await actionsFor(doc, message, ['quickfix']);
  assert.ok(actions[0], 'a quick fix is offered');
  const fixed = applied(doc, actions[0]);
  const after = await validated(fixed);
  return { title: actions[0].title, fixed, after: (after.diagnostics ?? []).map(msg) };
}

describe('quick fixes', () => {
  it('a misspelled keyword: the keyword', async () => {
    const r = await fixFirst(`${GEN}model rnn { stats 2 }`, /unknown setting 'stats'/);
    assert.equal(r.title, "Change to 'states'");
    assert.equal(r.fixed, `${GEN}model rnn { states 2 }`);
    assert.deepEqual(r.after, []);
  });

  it('a misspelled value: the suggestion first (preferred), then the other names', async () => {
    const doc = await validated(`${GEN}model rnn { states 2 state { activation tahn } }`);
    const { actions } = await actionsFor(doc, /unknown activation 'tahn'/);
    assert.equal(actions[0]?.title, "Change to 'tanh'");
    assert.equal(actions[0]?.isPreferred, true);
    assert.ok(actions.some((a) => a.title === "Change to 'elu'"));
    assert.ok(!actions.slice(1).some((a) => a.isPreferred));
    assert.equal(
      applied(doc, actions[0]),
      `${GEN}model rnn { states 2 state { activation tanh } }`,
    );
  });

  it(
    'an unknown data variable: the variables in the file, the nearest first',
    needsData,
    async () => {
      const text = `${TANKS}  train { input uEst output yEst }\n  test { input uVall output yVal init 5 }\n}\nmodel rnn { states 2 }\n`;
      const doc = await validated(text);
      const { actions } = await actionsFor(doc, /'uVall' is not in/);
      assert.deepEqual(
        actions.filter((a) => a.kind === 'quickfix' && a.diagnostics).map((a) => a.title),
        [
          "Change to 'uVal'",
          "Change to 'uEst'",
          "Change to 'yEst'",
          "Change to 'yVal'",
          "Change to 'Ts'",
        ],
      );
      const after = await validated(applied(doc, actions[0]!));
      assert.deepEqual((after.diagnostics ?? []).map(msg), []);
    },
  );

  it('a missing data section: a skeleton before the first section', async () => {
    const r = await fixFirst('experiment e\nmodel rnn { states 2 }\n', /no data section/);
    assert.equal(r.title, 'Add a `data` section');
    assert.equal(
      r.fixed,
      'experiment e\ndata {\n  file "data.csv"\n  train { input u output y }\n}\n\nmodel rnn { states 2 }\n',
    );
    assert.ok(!r.after.some((m) => /no data section/.test(m)), r.after.join(' | '));
  });

  it('a missing model section: a skeleton after the data section', async () => {
    const r = await fixFirst(`${GEN}solver nails`, /no model section/);
    assert.equal(r.fixed, `${GEN.trimEnd()}\n\nmodel rnn {\n  states 2\n}\nsolver nails`);
    assert.deepEqual(r.after, []);
  });

  it('an empty spec: both skeletons', async () => {
    const doc = await validated('');
    const data = await actionsFor(doc, /no data section/);
    assert.equal(
      applied(doc, data.actions[0]!),
      'data {\n  file "data.csv"\n  train { input u output y }\n}\n',
    );
    const model = await actionsFor(doc, /no model section/);
    assert.equal(applied(doc, model.actions[0]!), 'model rnn {\n  states 2\n}\n');
  });

  it('a sample range beyond the record: clamped to its length', async () => {
    const r = await fixFirst(
      'data { generate binary_output samples 500 train 100..800 }\nmodel rnn { states 2 }',
      /outside the record of 500 samples/,
    );
    assert.equal(r.title, 'Clamp the range to the record: 100..500');
    assert.equal(
      r.fixed,
      'data { generate binary_output samples 500 train 100..500 }\nmodel rnn { states 2 }',
    );
    assert.deepEqual(r.after, []);
  });

  it('a range starting after the record: the whole record, not in "fix all"', async () => {
    const doc = await validated(
      'data { generate binary_output samples 500 train 600..800 }\nmodel rnn { states 2 }',
    );
    const { actions } = await actionsFor(doc, /outside the record/);
    assert.equal(actions[0]?.title, 'Clamp the range to the record: 0..500');
    assert.notEqual(actions[0]?.isPreferred, true);
    const all = await actionsFor(doc, /outside the record/, ['source.fixAll']);
    assert.deepEqual(all.actions, []);
  });

  it('a regulariser on a block the model lacks: the block meant, or remove it', async () => {
    const doc = await validated(`${GEN}model rnn { states 2 }\nregularize { l1 state.W9 1e-3 }`);
    const { actions } = await actionsFor(doc, /no parameter block 'state\.W9'/);
    assert.deepEqual(
      actions.map((a) => a.title),
      ["Change to 'state.W1'", 'Remove this `l1`'],
    );
    assert.equal(applied(doc, actions[1]!), `${GEN}model rnn { states 2 }\nregularize { }`);
  });

  it('one of several targets that does not fit: only that target goes', async () => {
    const r = await fixFirst(
      `${GEN}model linear { states 2 }\nregularize { budget 3 A Qxyz }`,
      /no parameter block 'Qxyz'/,
    );
    assert.equal(r.title, "Remove 'Qxyz'");
    assert.equal(r.fixed, `${GEN}model linear { states 2 }\nregularize { budget 3 A }`);
    assert.deepEqual(r.after, []);
  });

  it('state groups in a model without states: the line goes, with its comment', async () => {
    const r = await fixFirst(
      `${GEN}model feedforward { output { hidden [4] } }\nregularize {\n  l2 weights 1e-3\n  group states 1e-2   // prune states\n}\n`,
      /state groups need a model with states/,
    );
    assert.equal(r.title, 'Remove this `group`');
    assert.equal(
      r.fixed,
      `${GEN}model feedforward { output { hidden [4] } }\nregularize {\n  l2 weights 1e-3\n}\n`,
    );
    assert.deepEqual(r.after, []);
  });

  it('a map a linear model does not have: remove it', async () => {
    const r = await fixFirst(
      `${GEN}model linear { states 2 state { hidden [4] } }`,
      /a linear model has no maps/,
    );
    assert.equal(r.title, 'Remove the state map');
    assert.equal(r.fixed, `${GEN}model linear { states 2 }`);
    assert.deepEqual(r.after, []);
  });

  it('"fix all": every did-you-mean at once, as source.fixAll and as a quick fix', async () => {
    const text = `${GEN}modle rnn { states 2 state { hiden [4] activation eluu } }\nloss mse2\nsolver nailz { iteratons 10 }`;
    const doc = await validated(text);
    const { actions } = await actionsFor(doc, /unknown loss/, ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll');
    const fixed = applied(doc, actions[0]!);
    assert.equal(
      fixed,
      `${GEN}model rnn { states 2 state { hidden [4] activation elu } }\nloss mse\nsolver nailm { iterations 10 }`,
    );
    assert.deepEqual(((await validated(fixed)).diagnostics ?? []).map(msg), []);
    const quick = await actionsFor(doc, /unknown loss/, ['quickfix']);
    assert.deepEqual(
      quick.actions.map((a) => a.title),
      [
        "Change to 'mse'",
        "Change to 'weighted_mse'",
        "Change to 'cross_entropy'",
        "Change to 'logistic'",
        "Change to 'pseudo_huber'",
        'Fix all obvious problems in this spec',
      ],
    );
  });

  it('diagnostics without an obvious repair offer nothing', async () => {
    const doc = await validated(`${GEN}model rnn { states 2 }\nsolver nailm { iterations 0 }`);
    const { actions } = await actionsFor(doc, /iterations must be a positive integer/);
    assert.deepEqual(actions, []);
  });
});
