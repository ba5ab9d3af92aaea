import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';
import { DATA_DIR, needsData } from '../helpers';

const { Nails } = createNailsServices(EmptyFileSystem);
Nails.settings.dataDirs = [DATA_DIR];
const parse = parseHelper<Spec>(Nails);
const msg = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);

/** Diagnostics of `text`, where `<|` … `|>` marks the range the expected message must sit on. */
async function expectDiagnostic(
  marked: string,
  message: RegExp,
  severity: 1 | 2 = 1,
): Promise<void> {
  const start = marked.indexOf('<|');
  const end = marked.indexOf('|>') - 2;
  assert.ok(start >= 0 && end >= start, 'the test text marks a range');
  const text = marked.replace('<|', '').replace('|>', '');
  const doc = await parse(text, { validation: true });
  const pos = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1]!.length };
  };
  const want = { start: pos(start), end: pos(end) };
  const all = doc.diagnostics ?? [];
  const hit = all.find((d) => message.test(msg(d.message)));
  assert.ok(
    hit,
    `no diagnostic matches ${message}; got:\n${all.map((d) => `  ${JSON.stringify(d.range)} ${msg(d.message)}`).join('\n')}`,
  );
  assert.equal(hit.severity, severity, `severity of "${msg(hit.message)}"`);
  assert.deepEqual(hit.range, want, `range of "${msg(hit.message)}"`);
}

const TANKS = 'file "cascaded_tanks/dataBenchmark.mat"';
const DATA = `data {\n  ${TANKS}\n  train { input uEst output yEst }\n  test { input uVal output yVal init 5 }\n}\n`;
const MODEL = 'model rnn { states 2 }\n';

describe('diagnostics on the exact range', () => {
  const cases: [string, string, RegExp, (1 | 2)?][] = [
    ['syntax error', `${DATA}${MODEL}solver nailm { iterations <|}|>`, /Expecting/],
    [
      'unknown name with a suggestion (activation)',
      `${DATA}model rnn { states 2 state { activation <|tahn|> } }`,
      /unknown activation 'tahn' \(did you mean 'tanh'\?\)/,
    ],
    [
      'unknown loss',
      `${DATA}${MODEL}loss <|cross_entrpy|>`,
      /unknown loss 'cross_entrpy' \(did you mean 'cross_entropy'\?\); use one of mse/,
    ],
    [
      'unknown model kind',
      `${DATA}model <|rnm|> { states 2 }`,
      /unknown model kind 'rnm' \(did you mean 'rnn'\?\)/,
    ],
    [
      'unknown solver',
      `${DATA}${MODEL}solver <|nailn|>`,
      /unknown solver 'nailn' \(did you mean 'nailm'\?\)/,
    ],
    [
      'a data file that does not exist',
      `data {\n  file <|"nope/missing.mat"|>\n  train { input u output y }\n}\n${MODEL}`,
      /cannot find data file 'nope\/missing\.mat': looked at/,
    ],
    [
      'a variable that is not in the file (read from the header)',
      `data {\n  ${TANKS}\n  train { input uEst output <|yest|> }\n}\n${MODEL}`,
      /'yest' is not in dataBenchmark\.mat \(did you mean 'yEst'\?\); it has uEst, uVal, yEst, yVal, Ts/,
    ],
    [
      'a split outside the record',
      `data {\n  ${TANKS}\n  train <|0..2000|> { input uEst output yEst }\n}\n${MODEL}`,
      /range 0\.\.2000 is outside the record of 1024 samples/,
    ],
    [
      'init longer than the test part',
      `data {\n  ${TANKS}\n  train { input uEst output yEst }\n  test { input uVal output yVal init <|5000|> }\n}\n${MODEL}`,
      /init 5000 leaves no samples to score in a part of 1024 samples/,
    ],
    [
      'impossible hyper-parameter (iterations)',
      `${DATA}${MODEL}solver nailm { iterations <|0|> }`,
      /iterations must be a positive integer, got 0/,
    ],
    [
      'impossible hyper-parameter (negative τ)',
      `${DATA}${MODEL}regularize { l1 <|-1|> }`,
      /l1 weight τ must be ≥ 0, got -1/,
    ],
    [
      'impossible hyper-parameter (ADMM ρ)',
      `${DATA}${MODEL}regularize { l1 1e-3 }\nsolver nails { admm { rho <|0|> } }`,
      /admm rho must be positive, got 0/,
    ],
    [
      'multiple shooting with a first-order method',
      `${DATA}${MODEL}solver adam { <|shooting|> 200 }`,
      /multiple shooting needs solver nails or nailm, not adam/,
    ],
    [
      'screening with a first-order method',
      `${DATA}${MODEL}solver lbfgs { <|screen|> 4 }`,
      /screening needs solver nails or nailm, not lbfgs/,
    ],
    [
      'a shooting window of one sample',
      `${DATA}${MODEL}solver nailm { shooting <|1|> }`,
      /shooting needs windows of at least 2 samples, got 1/,
    ],
    [
      'a continuity weight without shooting',
      `${DATA}${MODEL}solver nailm { <|continuity|> 2 }`,
      /continuity applies to multiple shooting only/,
      2,
    ],
    [
      'a non-positive continuity weight',
      `${DATA}${MODEL}solver nailm { shooting 100 continuity <|0|> }`,
      /continuity \(ρ_c\) must be positive, got 0/,
    ],
    [
      'a constraint on a block that does not exist',
      `${DATA}model rnn { states 2 state { hidden [4] } }\nconstrain { bounds <|A|> in [-1, 1] }`,
      /the model has no parameter block 'A'/,
    ],
    [
      'a regulariser on a block that does not exist, with a suggestion',
      `${DATA}${MODEL}regularize { l1 <|state.W9|> 1e-3 }`,
      /no parameter block 'state\.W9' \(did you mean 'state\.W1'\?\)/,
    ],
    [
      'empty bounds',
      `${DATA}model linear { states 2 }\nconstrain { bounds A in [1, <|-1|>] }`,
      /bounds \[1, -1\] are empty: lower must be ≤ upper/,
    ],
    [
      'conflicting settings: ADMM terms with a first-order method',
      `${DATA}${MODEL}regularize { l1 1e-3 }\nsolver <|adam|>`,
      /conflicting settings: regularisers or constraints need ADMM with nails or nailm, not adam/,
    ],
    [
      'conflicting settings: a file and a generator',
      `data {\n  ${TANKS}\n  <|generate binary_output|>\n  train { input uEst output yEst }\n}\n${MODEL}`,
      /conflicting settings: the data are read from a file and generated/,
    ],
    [
      'selection by validation without a validation part',
      `${DATA}${MODEL}solver nailm { starts 4 select <|validation|> }`,
      /select validation needs a `validation` part/,
    ],
    ['a missing model section', `<|${DATA.trimEnd()}|>\n`, /the spec has no model section/],
    [
      'a second data section',
      `${DATA}${MODEL}<|data { generate binary_output }|>`,
      /a second data section; merge it into the first/,
    ],
    [
      'an unknown time unit',
      `data {\n  ${TANKS}\n  sampling 4 <|sec|>\n  train { input uEst output yEst }\n}\n${MODEL}`,
      /unknown unit 'sec'/,
    ],
    [
      'cross-entropy without a sigmoid output (warning)',
      `data {\n  generate binary_output\n  train 0..1000\n}\n${MODEL}loss <|cross_entropy|>`,
      /cross_entropy expects outputs in \(0, 1\)/,
      2,
    ],
    [
      'weights for the wrong number of outputs',
      `${DATA}${MODEL}loss weighted_mse <|weights [1, 2]|>`,
      /2 weights for 1 outputs/,
    ],
    [
      'a budget larger than the entries',
      `${DATA}model linear { states 2 }\nregularize { budget <|100|> A }`,
      /the budget 100 exceeds the 4 entries it applies to/,
    ],
    [
      'hidden layer of size 0',
      `${DATA}model rnn { states 2 state { hidden [<|0|>] } }`,
      /hidden layer sizes must be integers from 1 to 4096, got 0/,
    ],
    [
      'a feedforward model with states',
      `${DATA}model feedforward { <|states 2|> }`,
      /a feedforward model has no states/,
    ],
    [
      'an unknown start',
      `${DATA}model rnn { states 2 init <|rnadom|> }`,
      /unknown start 'rnadom' \(did you mean 'random'\?\); use one of linear, random/,
    ],
    [
      'init linear on an rnn without linear parts',
      `${DATA}model rnn { states 2 state { hidden [4] } output { hidden [4] } init <|linear|> }`,
      /init linear: the model has no linear part \(write `linear` in both/,
    ],
    [
      'init linear with a classification loss',
      `${DATA}model rnn { states 2 init <|linear|> }\nloss cross_entropy`,
      /init linear: a linear model does not fit the cross_entropy loss/,
    ],
    [
      'init from and init linear together',
      `${DATA}model rnn { states 2 init from "nope.json" init <|linear|> }`,
      /`init from` gives the start; remove this `init`/,
    ],
    [
      'two starts',
      `${DATA}model rnn { states 2 init linear <|init random|> }`,
      /a second `init`; keep one/,
    ],
  ];
  // Diagnostics read from the data file's header need the benchmark data.
  const fromData = new Set([
    'a variable that is not in the file (read from the header)',
    'a split outside the record',
    'init longer than the test part',
  ]);
  for (const [name, text, message, severity] of cases)
    it(name, fromData.has(name) ? needsData : {}, () => expectDiagnostic(text, message, severity));

  it('user groups: each named block is one group', needsData, async () => {
    const doc = await parse(
      `${DATA}model linear { states 2 }\nregularize { group B C 1e-2  group_l0 <|A|> 1e-3 }`
        .replace('<|', '')
        .replace('|>', ''),
      { validation: true },
    );
    assert.deepEqual(
      (doc.diagnostics ?? []).map((d) => d.message),
      [],
    );
  });

  it('a valid spec has no diagnostics', needsData, async () => {
    const doc = await parse(
      `${DATA}${MODEL}loss mse\nregularize { l2 weights 1e-4 x0 1e-4  l1 state.* 1e-3  group states 1e-2 }\nconstrain { quantize output.W2 levels -8..8 step 2^-4  integer C in [-3, 3] }\nsolver nailm { iterations 10 starts 2 select train admm { rho 1 iterations 5 } }`,
      { validation: true },
    );
    assert.deepEqual(
      (doc.diagnostics ?? []).map((d) => d.message),
      [],
    );
  });

  it('starts > 1 with a custom model (which ignores the seed) is a warning on the count', async () => {
    const spec = (starts: string) =>
      `data {\n  generate binary_output seed 3 samples 400\n  train 0..200\n  test 200..400 { init 10 }\n}\nmodel custom {\n  states 1\n  parameters { a = 0.5 b = 1 }\n  state { x1' = a*x1 + b*u1 }\n  output { y1 = sigmoid(x1) }\n}\nloss mse\nsolver nailm { iterations 5 ${starts} }\n`;
    await expectDiagnostic(
      spec('starts <|4|>'),
      /4 starts would be 4 copies of one fit; add `jitter 0\.3`/,
      2,
    );
    for (const quiet of [
      spec('starts 1'),
      spec('starts 4').replace('states 1', 'states 1 jitter 0.2'),
    ]) {
      const doc = await parse(quiet, { validation: true });
      assert.deepEqual(
        (doc.diagnostics ?? []).filter((d) => /copies of one fit/.test(msg(d.message))),
        [],
      );
    }
  });

  it('`jitter`: a custom model setting from 0 to 1; an error with a removal in other models', async () => {
    // Generated data: the checks must not need ../shared.
    const gen = `data {\n  generate binary_output seed 3 samples 400\n  train 0..200\n  test 200..400 { init 10 }\n}\n`;
    const custom = (j: string) =>
      `${gen}model custom {\n  states 1\n  ${j}\n  parameters { a = 0.5 b = 1 }\n  state { x1' = a*x1 + b*u1 }\n  output { y1 = x1 }\n}\n`;
    await expectDiagnostic(custom('jitter <|1.5|>'), /jitter.*1\.5/);
    await expectDiagnostic(custom('jitter <|-0.1|>'), /jitter/);
    const ok = await parse(custom('jitter 0.3'), { validation: true });
    assert.deepEqual(
      (ok.diagnostics ?? []).filter((d) => d.severity === 1).map((d) => msg(d.message)),
      [],
    );
    await expectDiagnostic(
      `${gen}model rnn { states 2 <|jitter 0.3|> }\n`,
      /`jitter` belongs to `model custom`/,
    );
  });

  it('never throws on garbage: every prefix of an example parses to diagnostics', async () => {
    const text = `${DATA}${MODEL}loss mse\nregularize { l1 state.W1 1e-3 }\nsolver nailm { iterations 10 admm { rho 1 } }`;
    for (let n = 0; n <= text.length; n += 7) {
      const doc = await parse(text.slice(0, n), { validation: true });
      assert.ok(Array.isArray(doc.diagnostics));
    }
  });
});
