/**
 * `nails check` looks at the samples a part takes: non-finite samples, constant signals, a CSV
 * without a header row, a test part without `init` — each on the line that names it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSpecFile } from '../../src/language/load-spec';

/** A folder with `data.csv` (rows from `row(k)`, k = 0…n−1, under `header`) and `spec.nails`. */
function specWith(header: string | undefined, row: (k: number) => string, spec: string, n = 100) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-check-'));
  const rows = Array.from({ length: n }, (_, k) => row(k));
  writeFileSync(
    path.join(dir, 'data.csv'),
    `${[...(header ? [header] : []), ...rows].join('\n')}\n`,
  );
  writeFileSync(path.join(dir, 'spec.nails'), spec);
  return path.join(dir, 'spec.nails');
}
const wave = (k: number) => `${Math.sin(k / 5).toFixed(4)},${Math.cos(k / 7).toFixed(4)}`;

describe('nails check on the data samples', () => {
  it('a NaN in a part is an error on the signal, with its count and first index', async () => {
    const file = specWith(
      'u,y',
      (k) => (k === 13 || k === 40 ? `${Math.sin(k)},NaN` : wave(k)),
      'data {\n  file "data.csv"\n  train 0..50 { input u output y }\n  test 50..100 { input u output y init 5 }\n}\nmodel rnn { states 2 }\n',
    );
    const c = await checkSpecFile(file, []);
    assert.deepEqual(
      c.problems.map((p) => [p.line, p.column, p.severity]),
      [[3, 32, 'error']],
    );
    assert.match(
      c.problems[0]!.message,
      /'y' has 2 non-finite samples .* in samples 0\.\.50, the first at sample 13/,
    );
  });

  it('an Inf or -Inf in a part is an error on the signal too', async () => {
    const file = specWith(
      'u,y',
      (k) => (k === 7 ? 'Inf,0.5' : k === 60 ? '0.5,-Inf' : wave(k)),
      'data {\n  file "data.csv"\n  train 0..50 { input u output y }\n  test 50..100 { input u output y init 5 }\n}\nmodel rnn { states 2 }\n',
    );
    const c = await checkSpecFile(file, []);
    assert.deepEqual(
      c.problems.map((p) => [p.line, p.severity]),
      [
        [3, 'error'],
        [4, 'error'],
      ],
    );
    assert.match(c.problems[0]!.message, /'u' has 1 non-finite sample.* the first at sample 7/);
    assert.match(c.problems[1]!.message, /'y' has 1 non-finite sample.* the first at sample 60/);
  });

  it('a NaN outside every part is not reported', async () => {
    const file = specWith(
      'u,y',
      (k) => (k === 99 ? '0,NaN' : wave(k)),
      'data {\n  file "data.csv"\n  train 0..50 { input u output y }\n  test 50..99 { input u output y init 5 }\n}\nmodel rnn { states 2 }\n',
    );
    assert.deepEqual((await checkSpecFile(file, [])).problems, []);
  });

  it('a constant input is a warning on its name', async () => {
    const file = specWith(
      'u,y,c',
      (k) => `${wave(k)},2.5`,
      'data {\n  file "data.csv"\n  train { input c output y }\n}\nmodel rnn { states 2 }\n',
    );
    const c = await checkSpecFile(file, []);
    assert.equal(c.errors, 0);
    assert.deepEqual(
      c.problems.map((p) => [p.line, p.column, p.severity]),
      [[3, 17, 'warning']],
    );
    assert.match(c.problems[0]!.message, /the input 'c' is constant \(2\.5\)/);
  });

  it('a CSV without a header row says how its columns are named', async () => {
    const spec =
      'data {\n  file "data.csv"\n  train { input u output y }\n}\nmodel rnn { states 2 }\n';
    const c = await checkSpecFile(
      specWith(undefined, (k) => `${wave(k)},`, spec),
      [],
    );
    assert.equal(c.errors, 2);
    for (const p of c.problems)
      assert.match(
        p.message,
        /no header row, so its columns are named col1, col2; use those names, or add a first row/,
      );
    const ok = await checkSpecFile(
      specWith(undefined, wave, spec.replace('input u output y', 'input col1 output col2')),
      [],
    );
    assert.deepEqual(ok.problems, []);
  });

  it('a test part without init warns that x0 = 0 is used (a static model does not)', async () => {
    const data =
      'data {\n  file "data.csv"\n  train 0..50 { input u output y }\n  test 50..100 { input u output y }\n}\n';
    const c = await checkSpecFile(specWith('u,y', wave, `${data}model rnn { states 2 }\n`), []);
    assert.deepEqual(
      c.problems.map((p) => [p.line, p.severity]),
      [[4, 'warning']],
    );
    assert.match(
      c.problems[0]!.message,
      /the test part has no `init`: it is simulated from x0 = 0/,
    );
    const ff = await checkSpecFile(specWith('u,y', wave, `${data}model feedforward { }\n`), []);
    assert.deepEqual(
      ff.problems.map((p) => p.message),
      [],
    );
  });
});
