import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver';
import { analyzeSpec } from '../../src/language/analysis';
import type { Spec } from '../../src/language/generated/ast';
import { typoDistance } from '../../src/language/keyword-recovery';
import { createNailsServices } from '../../src/language/nails-module';

const { Nails } = createNailsServices(EmptyFileSystem);
const parse = parseHelper<Spec>(Nails);
const msg = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const GEN = 'data { generate binary_output train 0..1000 }\n';

/** Diagnostics of `marked`, and the range `<|…|>` marks (the first marked word). */
async function check(marked: string) {
  const start = marked.indexOf('<|');
  const end = marked.indexOf('|>') - 2;
  const text = marked.replace('<|', '').replace('|>', '');
  const doc = await parse(text, { validation: true });
  const pos = (offset: number) => doc.textDocument.positionAt(offset);
  return {
    doc,
    diagnostics: doc.diagnostics ?? [],
    range: start >= 0 ? { start: pos(start), end: pos(end) } : undefined,
  };
}

describe('misspelled keywords', () => {
  const cases: [string, string, string][] = [
    [
      'a map setting in an rnn model (was: equations belong to model custom + a parser error)',
      `${GEN}model rnn { states 2 state { <|hiden|> [8] activation tanh linear } }`,
      "unknown setting 'hiden' (did you mean 'hidden'?)",
    ],
    [
      'a section',
      `${GEN}<|modle|> rnn { states 2 }`,
      "unknown section 'modle' (did you mean 'model'?)",
    ],
    [
      'a model setting',
      `${GEN}model rnn { <|stats|> 2 }`,
      "unknown setting 'stats' (did you mean 'states'?)",
    ],
    [
      'a flag (two letters swapped)',
      `${GEN}model rnn { states 2 output { hidden [4] <|linaer|> } }`,
      "unknown flag 'linaer' (did you mean 'linear'?)",
    ],
    [
      'a data part',
      'data { generate binary_output <|trian|> 0..1000 }\nmodel rnn { states 2 }',
      "unknown part 'trian' (did you mean 'train'?)",
    ],
    [
      'a solver setting',
      `${GEN}model rnn { states 2 }\nsolver nails { <|iteratons|> 100 }`,
      "unknown setting 'iteratons' (did you mean 'iterations'?)",
    ],
    [
      'an ADMM setting',
      `${GEN}model rnn { states 2 }\nregularize { l1 1e-3 }\nsolver nails { admm { <|iner|> 3 } }`,
      "unknown setting 'iner' (did you mean 'inner'?)",
    ],
    [
      'a regulariser setting',
      `${GEN}model rnn { states 2 }\nregularize { l2 <|wieghts|> 1e-3 }`,
      "unknown setting 'wieghts' (did you mean 'weights'?)",
    ],
  ];
  for (const [name, marked, message] of cases)
    it(`${name}: one diagnostic on the word, no syntax error`, async () => {
      const { diagnostics, range } = await check(marked);
      const hit = diagnostics.find((d) => msg(d) === message);
      assert.ok(hit, `"${message}" not among:\n${diagnostics.map(msg).join('\n')}`);
      assert.deepEqual(hit.range, range);
      assert.equal(hit.severity, 1);
      assert.deepEqual(
        diagnostics.filter((d) => /Expecting|equations belong/.test(msg(d))).map(msg),
        [],
      );
    });

  it('parsing recovers: later mistakes are still reported, each on its word', async () => {
    const { diagnostics } = await check(
      `${GEN}model rnn { states 2 state { hiden [8] activation eluu } output { hidden [4] linaer } }\nloss mse2\nsolver nails { iteratons 10 }`,
    );
    assert.deepEqual(diagnostics.map(msg).sort(), [
      "unknown activation 'eluu' (did you mean 'elu'?); use one of tanh, atan, sigmoid, softplus, swish, elu, sin, identity",
      "unknown flag 'linaer' (did you mean 'linear'?)",
      "unknown loss 'mse2' (did you mean 'mse'?); use one of mse, weighted_mse, cross_entropy, logistic, pseudo_huber",
      "unknown setting 'hiden' (did you mean 'hidden'?)",
      "unknown setting 'iteratons' (did you mean 'iterations'?)",
    ]);
  });

  it('two misspelled keywords in one part are both found', async () => {
    const { diagnostics } = await check(
      'data { generate binary_output train 0..1000 { inptu u outptu y } }\nmodel rnn { states 2 }',
    );
    // (and the generated data's note that names are ignored: the lines were read as input/output)
    assert.deepEqual(
      diagnostics
        .map(msg)
        .filter((m) => m.startsWith('unknown'))
        .sort(),
      [
        "unknown setting 'inptu' (did you mean 'input'?)",
        "unknown setting 'outptu' (did you mean 'output'?)",
      ],
    );
  });

  it('the recovered spec means what the keyword says (a misspelled flag sets it)', async () => {
    const { doc } = await check(
      `${GEN}model rnn { states 2 state { hidden [4] activation tanh linaer } }`,
    );
    const a = analyzeSpec(doc.parseResult.value, { specDir: '.', dataDirs: [] });
    assert.equal(a.model?.config.kind, 'rnn');
    const config = a.model?.config as { state: { linear: boolean } } | undefined;
    assert.equal(config?.state.linear, true, 'the state map has its linear part');
  });

  it('the quick fix data names the keyword', async () => {
    const { diagnostics } = await check(`${GEN}model rnn { stats 2 }`);
    const hit = diagnostics.find((d) => msg(d).startsWith('unknown setting'));
    assert.deepEqual(hit?.data, {
      fixes: [{ fix: 'replace', candidates: ['states'], suggested: true }],
    });
  });

  it('a name far from every keyword stays a syntax error', async () => {
    const { diagnostics } = await check(`${GEN}model rnn { states 2 banana 3 }`);
    assert.ok(diagnostics.some((d) => /Expecting/.test(msg(d))));
    assert.ok(!diagnostics.some((d) => /did you mean/.test(msg(d))));
  });

  it('names in equations and parameter lists are left alone', async () => {
    const { diagnostics } = await check(
      "data { generate binary_output train 0..1000 }\nmodel custom { states 1 parameters { a = 0.5 } state { x1' = a * x1 + u1 } output { y1 = x1 } }",
    );
    assert.deepEqual(diagnostics.map(msg), []);
  });

  it('a correct spec parses as before (no trial parses, no typos)', async () => {
    const { diagnostics } = await check(
      `${GEN}model rnn { states 2 state { hidden [4] activation tanh linear } }\nloss mse\nsolver nails { iterations 10 }`,
    );
    assert.deepEqual(diagnostics.map(msg), []);
  });

  it('counts a swap of neighbours as one edit', () => {
    assert.equal(typoDistance('linaer', 'linear'), 1);
    assert.equal(typoDistance('hiden', 'hidden'), 1);
    assert.equal(typoDistance('Model', 'model'), 0);
    assert.equal(typoDistance('abc', ''), 3);
  });
});
