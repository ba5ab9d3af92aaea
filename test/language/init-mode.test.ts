import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { analyzeSpec } from '../../src/language/analysis';
import { compileSpec } from '../../src/language/compiler';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';
import { DATA_DIR, needsData } from '../helpers';

const { Nails } = createNailsServices(EmptyFileSystem);
Nails.settings.dataDirs = [DATA_DIR];
const parse = parseHelper<Spec>(Nails);

const DATA = `data {\n  file "cascaded_tanks/dataBenchmark.mat"\n  train { input uEst output yEst }\n  test { input uVal output yVal init 5 }\n}\n`;

async function linearOf(model: string, loss = 'mse') {
  const doc = await parse(`${DATA}${model}\nloss ${loss}\n`, { validation: true });
  assert.deepEqual(
    (doc.diagnostics ?? []).map((d) => d.message),
    [],
    'the spec checks',
  );
  const a = analyzeSpec(doc.parseResult.value, { specDir: '/', dataDirs: [DATA_DIR] });
  return compileSpec(a.resolved!).fit.linear;
}

describe('init linear | random in a model section', () => {
  it('compiles to the fit spec’s linear stage', needsData, async () => {
    // default for a model with linear parts: start from the linear model, fall back quietly
    assert.deepEqual(await linearOf('model rnn { states 2 }'), { init: true, required: false });
    assert.deepEqual(await linearOf('model rnn { states 2 init linear }'), {
      init: true,
      required: true,
    });
    assert.deepEqual(await linearOf('model linear { states 2 init linear }'), {
      init: true,
      required: true,
    });
    // opt out: the baseline is still estimated
    assert.deepEqual(await linearOf('model rnn { states 2 init random }'), {
      init: false,
      required: false,
    });
    // no linear part: the stage runs (baseline) and the start falls back to random, with a note
    assert.deepEqual(
      await linearOf('model rnn { states 2 state { hidden [4] } output { hidden [4] } }'),
      { init: true, required: false },
    );
    // nothing to do: no states, or binary outputs
    assert.equal(await linearOf('model feedforward { output { hidden [4] } }'), undefined);
    assert.equal(
      await linearOf('model rnn { states 2 output { hidden [4] final sigmoid } }', 'cross_entropy'),
      undefined,
    );
  });
});

describe('the linear part of an rnn block', () => {
  it('is in a state { … } or output { … } block only when the block says `linear`', async () => {
    const modelOf = async (model: string) => {
      const doc = await parse(
        `data {\n  generate binary_output\n  train 0..1000\n}\n${model}\nloss mse\n`,
        { validation: true },
      );
      assert.deepEqual(
        (doc.diagnostics ?? []).map((d) => d.message),
        [],
        'the spec checks',
      );
      const a = analyzeSpec(doc.parseResult.value, { specDir: '/', dataDirs: [] });
      return compileSpec(a.resolved!).fit.model as {
        state: { linear: boolean };
        output: { linear: boolean };
      };
    };
    const without = await modelOf(
      'model rnn { states 2 state { hidden [4] } output { hidden [4] } }',
    );
    assert.deepEqual([without.state.linear, without.output.linear], [false, false]);
    const withLinear = await modelOf(
      'model rnn { states 2 state { hidden [4] linear } output { hidden [4] } }',
    );
    assert.deepEqual([withLinear.state.linear, withLinear.output.linear], [true, false]);
  });
});
