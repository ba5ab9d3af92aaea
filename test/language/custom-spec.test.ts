import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { expectGoToDefinition, parseHelper } from 'langium/test';
import { runFit } from '../../src/core/fit-job';
import { createModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { evaluateV, packZ } from '../../src/core/solver/problem';
import { analyzeSpec } from '../../src/language/analysis';
import { compileSpec } from '../../src/language/compiler';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';
import { DATA_DIR, needsData } from '../helpers';

const { Nails } = createNailsServices(EmptyFileSystem);
Nails.settings.dataDirs = [DATA_DIR];
const parse = parseHelper<Spec>(Nails);

const DATA = `data {\n  file "cascaded_tanks/dataBenchmark.mat"\n  sampling 4 s\n  train { input uEst output yEst }\n  test { input uVal output yVal init 5 }\n}\n`;
const SOLVER =
  'loss mse\nregularize { l2 weights 1e-4 x0 1e-4 }\nsolver nailm { iterations 150 }\n';

async function compile(text: string) {
  const doc = await parse(text, { validation: true });
  assert.deepEqual(
    (doc.diagnostics ?? []).map((d) => d.message),
    [],
    'the spec checks',
  );
  const a = analyzeSpec(doc.parseResult.value, { specDir: '/', dataDirs: [DATA_DIR] });
  return compileSpec(a.resolved!);
}

describe('custom models in a spec', () => {
  it(
    'a custom linear model trains to the same optimum as the built-in linear model',
    needsData,
    async () => {
      const builtin = await compile(
        `${DATA}model linear { states 2 seed 4 init random }\n${SOLVER}`,
      );
      // The built-in start θ = [A11 A12 A21 A22 B1 B2 C1 C2], written as the custom model's initial values.
      const th0 = createModel(builtin.fit.model).init(new Random(4));
      const names = ['a11', 'a12', 'a21', 'a22', 'b1', 'b2', 'c1', 'c2'];
      const params = names.map((nm, i) => `${nm} = ${th0[i]!.toPrecision(17)}`).join('  ');
      const custom = await compile(
        `${DATA}model custom {\n  states 2\n  parameters { ${params} }\n  state {\n    x1' = a11*x1 + a12*x2 + b1*u1\n    x2' = a21*x1 + a22*x2 + b2*u1\n  }\n  output { y1 = c1*x1 + c2*x2 }\n}\n${SOLVER}`,
      );
      const a = runFit(builtin.fit).result;
      const b = runFit(custom.fit).result;
      assert.ok(
        Math.abs(a.value - b.value) <= 1e-9 * a.value,
        `built-in ${a.value} vs custom ${b.value}`,
      );
      assert.ok(
        a.z.every((v, i) => Math.abs(v - b.z[i]!) <= 1e-6 * (1 + Math.abs(v))),
        'same parameters',
      );
      // And the objective of the custom model at the built-in optimum is the same number.
      const { prepareFit } = await import('../../src/core/fit-job');
      const pc = prepareFit(custom.fit).problem;
      assert.ok(Math.abs(evaluateV(pc, packZ(pc, a.theta, a.x0s)) - a.value) <= 1e-12 * a.value);
    },
  );

  it('names a state that does not exist, an unknown parameter and an unknown function', async () => {
    const doc = await parse(
      `${DATA}model custom {\n  states 2\n  parameters { k = 1 }\n  state {\n    x1' = x1 + kk*x3\n    x2' = sinh(x1)\n  }\n  output { y1 = x1 }\n}\n`,
      { validation: true },
    );
    const messages = (doc.diagnostics ?? []).map((d) =>
      typeof d.message === 'string' ? d.message : d.message.value,
    );
    assert.ok(
      messages.some((m) => /unknown name 'kk' \(did you mean 'k'\?\)/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /the model has 2 states: x1, x2/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /unknown function 'sinh' \(did you mean 'sin'\?\)/.test(m)),
      messages.join('\n'),
    );
  });

  it('go to definition jumps from a parameter in an equation to its declaration', async () => {
    await expectGoToDefinition(Nails)({
      text: `model custom {\n  states 1\n  parameters { <|k|> = 1 }\n  state { x1' = <|>k * x1 }\n  output { y1 = x1 }\n}`,
      index: 0,
      rangeIndex: 0,
    });
  });
});
