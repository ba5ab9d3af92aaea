/**
 * Selecting data in the spec (issue #16): signals from several files in one part (`from "…"`),
 * a row or column of a matrix (`U[2]`), units and the metric's unit (`unit V`, `metric mV`),
 * decimation with an anti-alias filter — what is loaded is compared sample by sample with what
 * the files hold, and every mistake is a diagnostic on the exact line and column.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { decimate } from '../../src/core/data/decimate';
import { compileSpec } from '../../src/language/compiler';
import { checkSpecFile } from '../../src/language/load-spec';
import { ROOT } from '../helpers';
import { mat5 } from '../mat5-writer';

const N = 600;
/** A realistic record: a multisine input and a first-order nonlinear response (not a formula the loader could fake). */
const u = Float64Array.from(
  { length: N },
  (_, k) => Math.sin(0.05 * k) + 0.4 * Math.sin(0.31 * k + 1),
);
const y = new Float64Array(N);
for (let k = 1; k < N; k++) y[k] = 0.92 * y[k - 1]! + 0.08 * Math.tanh(1.5 * u[k - 1]!);

function folder(files: Record<string, string | Buffer>, spec: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-select-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  writeFileSync(path.join(dir, 'spec.nails'), spec);
  return path.join(dir, 'spec.nails');
}
const csv = (name: string, v: Float64Array) =>
  `${name}\n${[...v].map((x) => x.toPrecision(17)).join('\n')}\n`;
const MODEL = 'model rnn { states 1 }\nloss mse\nsolver nailm { iterations 3 }\n';

async function compiled(spec: string) {
  const c = await checkSpecFile(spec, []);
  assert.deepEqual(
    c.problems.map((p) => p.text),
    [],
  );
  return compileSpec(c.analysis.resolved!);
}

describe('data selection in the spec', () => {
  it('a part takes its input from one file and its output from another', async () => {
    const spec = folder(
      { 'in.csv': csv('u', u), 'out.csv': csv('y', y) },
      `data {\n  train 0..400 {\n    input u from "in.csv"\n    output y from "out.csv"\n  }\n  test 400..600 { input u from "in.csv" output y from "out.csv" init 5 }\n}\n${MODEL}`,
    );
    const c = await compiled(spec);
    const train = c.parts[0]!.raw;
    assert.equal(train.N, 400);
    assert.deepEqual([...train.u], [...u.slice(0, 400)]);
    assert.deepEqual([...train.y], [...y.slice(0, 400)]);
    assert.deepEqual([...c.parts[1]!.raw.y], [...y.slice(400)]);
    // … and trains from the command line.
    const t = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist', 'cli.cjs'),
        'train',
        spec,
        '--quiet',
        '--out',
        path.join(path.dirname(spec), 'runs'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(t.status, 0, t.stderr);
    const run = /^run folder: (.+)$/m.exec(t.stdout)![1]!;
    const report = JSON.parse(readFileSync(path.join(run, 'report.json'), 'utf8')) as {
      parts: { kind: string; N: number; metrics: { rmse: number }[] }[];
    };
    assert.deepEqual(
      report.parts.map((p) => [p.kind, p.N, Number.isFinite(p.metrics[0]!.rmse)]),
      [
        ['train', 400, true],
        ['test', 200, true],
      ],
    );
  });

  it('`validation 20%` takes the training part’s signals even when they are named inside the part', async () => {
    const c = await compiled(
      folder(
        { 'd.csv': `u,y\n${[...u].map((v, k) => `${v},${y[k]}`).join('\n')}\n` },
        `data {\n  file "d.csv"\n  train { input u output y }\n  validation 20% { init 5 }\n}\n${MODEL}`,
      ),
    );
    const val = c.parts.find((p) => p.kind === 'validation')!;
    assert.equal(val.raw.N, 120);
    assert.equal(c.parts.find((p) => p.kind === 'train')!.raw.N, 480);
    assert.deepEqual(val.outputs, ['y']);
  });

  it('a missing second file is an error on its path, and nothing is loaded silently', async () => {
    const c = await checkSpecFile(
      folder(
        { 'in.csv': csv('u', u) },
        `data {\n  train {\n    input u from "in.csv"\n    output y from "gone.csv"\n  }\n}\n${MODEL}`,
      ),
      [],
    );
    assert.deepEqual(
      c.problems.map((p) => [p.line, p.column, p.severity]),
      [[4, 19, 'error']],
    );
    assert.match(
      c.problems[0]!.message,
      /cannot find data file 'gone\.csv': looked at .*gone\.csv/,
    );
  });

  it('a second `file` inside a part is an error on it, not ignored', async () => {
    const c = await checkSpecFile(
      folder(
        { 'in.csv': csv('u', u), 'out.csv': csv('y', y) },
        `data {\n  train { file "in.csv" file "out.csv" input u output y }\n}\n${MODEL}`,
      ),
      [],
    );
    const p = c.problems.find((q) => /reads one `file`/.test(q.message));
    assert.ok(p, c.problems.map((q) => q.text).join('\n'));
    assert.deepEqual([p.line, p.column], [2, 30]);
    assert.match(p.message, /input u from "…"/);
  });

  it('U[2] is row 2 of a 3 × N matrix, Y[1] column 1 of an N × 1; a bare matrix or a wrong index is an error on it', async () => {
    const U = new Float64Array(3 * N); // 3 × N, column-major: U[r + 3 t]
    for (let t = 0; t < N; t++) for (let r = 0; r < 3; r++) U[r + 3 * t] = (r + 1) * u[t]! + r;
    const file = mat5({ U: { rows: 3, cols: N, values: U }, Y: { rows: N, cols: 1, values: y } });
    const c = await compiled(
      folder(
        { 'd.mat': file },
        `data {\n  file "d.mat"\n  train { input U[2] output Y[1] }\n}\n${MODEL}`,
      ),
    );
    assert.deepEqual(
      [...c.parts[0]!.raw.u],
      [...u].map((v) => 2 * v + 1),
    );
    assert.deepEqual([...c.parts[0]!.raw.y], [...y]);
    const bad = await checkSpecFile(
      folder(
        { 'd.mat': file },
        `data {\n  file "d.mat"\n  train { input U output Y }\n  test { input U[4] output Y[2] init 3 }\n}\n${MODEL}`,
      ),
      [],
    );
    assert.deepEqual(
      bad.problems.map((p) => [p.line, p.column, p.message]),
      [
        [
          3,
          17,
          `'U' is 3×${N}, not a vector: pick one row with U[1] … U[3] (1-based, e.g. \`input U[1]\`)`,
        ],
        [4, 18, `'U' is 3×${N}: it has 3 rows, so [4] is out of range; use U[1] … U[3]`],
        [
          4,
          30,
          `'Y' is a vector (${N}×1); [2] selects a row or column of a matrix, and a vector has only [1]`,
        ],
      ],
    );
  });

  it('units: `metric mV` reports the RMSE of a V output in mV (× 1000); without a unit or with another one it is an error', async () => {
    const files = { 'in.csv': csv('u', u), 'out.csv': csv('y', y) };
    const spec = (out: string) =>
      folder(
        files,
        `data {\n  input u from "in.csv"\n  ${out} from "out.csv"\n  metric mV\n  train\n}\n${MODEL}`,
      );
    const c = await compiled(spec('output y unit V'));
    assert.deepEqual(c.resolved.data.kind === 'file' && c.resolved.data.metric, {
      unit: 'mV',
      factors: [1000],
    });
    const none = await checkSpecFile(spec('output y'), []);
    assert.deepEqual(
      none.problems.map((p) => [p.line, p.column]),
      [[4, 10]],
    );
    assert.match(
      none.problems[0]!.message,
      /metric mV: say the unit of output 'y' \(e\.g\. `output y unit V`\)/,
    );
    const amps = await checkSpecFile(spec('output y unit A'), []);
    assert.match(amps.problems[0]!.message, /output 'y' is in A, which does not convert to mV/);
  });

  it('decimate 3: N/3 samples of the filtered record; `filter none` is plain down-sampling; parts must agree', async () => {
    const files = { 'in.csv': csv('u', u), 'out.csv': csv('y', y) };
    const spec = (extra: string, test = '') =>
      folder(
        files,
        `data {\n  input u from "in.csv"\n  output y from "out.csv"\n  sampling 0.01 s\n${extra}  train 0..400\n  test 400..600 { init 5${test} }\n}\n${MODEL}`,
      );
    const c = await compiled(spec('  decimate 3\n'));
    const tr = c.parts[0]!.raw;
    assert.equal(tr.N, Math.ceil(400 / 3));
    assert.deepEqual([...tr.u], [...decimate(u, 3, 'fir', 0, 400)]);
    assert.equal(c.resolved.data.Ts, 0.03);
    assert.equal(c.parts[1]!.raw.N, Math.ceil(200 / 3));
    const plain = await compiled(spec('  decimate 3 filter none\n'));
    assert.deepEqual(
      [...plain.parts[1]!.raw.y],
      [...y.slice(400)].filter((_, k) => k % 3 === 0),
    );
    const mixed = await checkSpecFile(spec('  decimate 3\n', ' decimate 2'), []);
    assert.deepEqual(
      mixed.problems.map((p) => [p.line, p.column]),
      [[7, 35]],
    );
    assert.match(
      mixed.problems[0]!.message,
      /decimated by 2 but an earlier part by 3; .* every part needs the same factor/,
    );
    const bad = await checkSpecFile(spec('  decimate 0 filter iir\n'), []);
    assert.deepEqual(
      bad.problems.map((p) => p.message),
      [
        'the decimation factor must be an integer from 1 to 10000, got 0',
        "unknown decimation filter 'iir' (did you mean 'fir'?); use one of fir, none",
      ],
    );
  });
});
