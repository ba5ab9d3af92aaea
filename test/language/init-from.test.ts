/**
 * Warm starts: `init from "FILE"` in a model section and `--init FILE` on `nails train`; FILE is a
 * run's model.json or a JSON of named blocks (jax-sysid's start.json format). A wrong name or size
 * is a diagnostic on the init line, never a silent fallback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { rnnModel } from '../../src/core/models/model-factory.js';
import { thetaFromNamedBlocks } from '../../src/core/models/named-blocks.js';
import { Random } from '../../src/core/random.js';
import { compileSpec } from '../../src/language/compiler.js';
import { checkSpecFile } from '../../src/language/load-spec.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nails-init-'));

/** A 2-state rnn with 3 hidden units per map and linear parts, jax-sysid's block names. */
function standardBlocks(rng: Random) {
  const m = (rows: number, cols: number) => ({
    rows,
    cols,
    values: Array.from({ length: rows * cols }, () => Math.round(rng.normal() * 1000) / 1000),
  });
  return {
    A: m(2, 2),
    B: m(2, 1),
    C: m(1, 2),
    W1: m(3, 2),
    W2: m(3, 1),
    b1: m(3, 1),
    W3: m(2, 3),
    b2: m(2, 1),
    W4: m(3, 2),
    b3: m(3, 1),
    W5: m(1, 3),
    b4: m(1, 1),
  };
}

function spec(initLine: string): string {
  const file = path.join(dir, `spec-${Math.random().toString(36).slice(2)}.nails`);
  writeFileSync(
    file,
    `data {
  generate binary_output seed 3 samples 400
  train 0..300
  test 300..400 { init 10 }
  scale none
}
model rnn {
  states 2
  state { hidden [3] activation tanh linear }
  output { hidden [3] activation tanh linear }
  ${initLine}
}
loss mse
solver nailm { iterations 2 }
`,
  );
  return file;
}

describe('named blocks map onto the rnn layout', () => {
  const model = rnnModel({
    nx: 2,
    nu: 1,
    ny: 1,
    state: { hidden: [3], activation: 'tanh', linear: true },
    output: { hidden: [3], activation: 'tanh', linear: true },
  });

  it('standard names: [W1 W2] is state.W1, W3 is state.W2, W4 output.W1, W5 output.W2', () => {
    const b = standardBlocks(new Random(1));
    const r = thetaFromNamedBlocks(model.layout, model.nx, b);
    assert.deepEqual(r.errors, []);
    const th = r.theta!;
    const W1 = model.layout.view(th, 'state.W1'); // 3 × 3 = [W1 (3×2) W2 (3×1)]
    for (let i = 0; i < 3; i++) {
      assert.deepEqual([W1[i * 3]!, W1[i * 3 + 1]!], b.W1.values.slice(i * 2, i * 2 + 2));
      assert.equal(W1[i * 3 + 2], b.W2.values[i]);
    }
    assert.deepEqual([...model.layout.view(th, 'state.W2')], b.W3.values);
    assert.deepEqual([...model.layout.view(th, 'output.W1')], b.W4.values);
    assert.deepEqual([...model.layout.view(th, 'output.W2')], b.W5.values);
    assert.deepEqual([...model.layout.view(th, 'A')], b.A.values);
  });

  it('a missing block, a wrong size and an unknown name are named', () => {
    const b = standardBlocks(new Random(2)) as Record<
      string,
      { rows: number; cols: number; values: number[] }
    >;
    delete b.b4;
    assert.match(
      thetaFromNamedBlocks(model.layout, model.nx, b).errors.join(),
      /missing block output\.b2/,
    );
    const wrong = {
      ...standardBlocks(new Random(2)),
      A: { rows: 3, cols: 3, values: Array(9).fill(0) },
    };
    assert.match(
      thetaFromNamedBlocks(model.layout, model.nx, wrong).errors.join(),
      /'A' is 3×3 .* needs 2×2/,
    );
    const extra = { ...standardBlocks(new Random(2)), W9: { rows: 1, cols: 1, values: [0] } };
    assert.match(
      thetaFromNamedBlocks(model.layout, model.nx, extra).errors.join(),
      /no block 'W9'/,
    );
  });
});

describe('init from "FILE" in a spec', () => {
  it("starts training exactly at the file's θ and x0", async () => {
    const start = path.join(dir, 'start.json');
    const blocks = standardBlocks(new Random(3));
    writeFileSync(start, JSON.stringify({ x0: [0.5, -0.25], parameters: blocks }));
    const c = await checkSpecFile(spec(`init from "${start}"`), []);
    assert.equal(c.errors, 0, c.problems.map((p) => p.text).join('\n'));
    const compiled = compileSpec(c.analysis.resolved!);
    assert.ok('z' in compiled.fit.init);
    const z = compiled.fit.init.z;
    assert.deepEqual([...z.slice(-2)], [0.5, -0.25]);
    assert.equal(z[0], blocks.A.values[0]);
  });

  it('a wrong block size is an error on the init line', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        x0: [0, 0],
        parameters: {
          ...standardBlocks(new Random(4)),
          W5: { rows: 1, cols: 4, values: [1, 2, 3, 4] },
        },
      }),
    );
    const c = await checkSpecFile(spec(`init from "${bad}"`), []);
    const p = c.problems.find((q) => q.severity === 'error');
    assert.ok(p, 'an error');
    assert.equal(p.line, 11, p.text);
    assert.match(p.message, /block 'W5' is 1×4 .* needs 1×3/);
  });

  it('a missing file and a wrong x0 are errors on the init line', async () => {
    let c = await checkSpecFile(spec('init from "nowhere.json"'), []);
    assert.match(c.problems[0]!.message, /cannot find init file 'nowhere\.json'/);
    const x0 = path.join(dir, 'x0.json');
    writeFileSync(x0, JSON.stringify({ x0: [1, 2, 3], parameters: standardBlocks(new Random(5)) }));
    c = await checkSpecFile(spec(`init from "${x0}"`), []);
    assert.ok(
      c.problems.some((q) => q.line === 11 && /x0/.test(q.message)),
      c.problems.map((q) => q.text).join('\n'),
    );
  });
});
