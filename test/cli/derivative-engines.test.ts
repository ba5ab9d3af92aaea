/**
 * jax-sysid's README RNN (examples/jaxsysid-readme-rnn.nails) trains to the same history with the
 * model's derivatives in WebAssembly (the default) and in TypeScript (NAILS_DERIVATIVES=typescript,
 * the oracle): every iteration's V equal to 1e-10 relative (measured: 5e-13 over 200 iterations).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { DATA_DIR, needsData, ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const SPEC = path.join(ROOT, 'examples', 'jaxsysid-readme-rnn.nails');

function train(engine: 'wasm' | 'typescript'): { value: number; history: { value: number }[] } {
  const out = mkdtempSync(path.join(tmpdir(), `nails-engine-${engine}-`));
  const r = spawnSync(
    process.execPath,
    [CLI, 'train', SPEC, '--iterations', '60', '--quiet', '--out', out],
    {
      encoding: 'utf8',
      env: { ...process.env, NAILS_DATA_DIR: DATA_DIR, NAILS_DERIVATIVES: engine },
    },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const dir = r.stdout.trim().split('\n').at(-1)!.replace('run folder: ', '');
  return JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
    value: number;
    history: { value: number }[];
  };
}

it(
  'jax-sysid README RNN: the same history with WebAssembly and TypeScript derivatives',
  needsData,
  () => {
    const a = train('wasm');
    const b = train('typescript');
    assert.equal(a.history.length, b.history.length);
    a.history.forEach((h, i) => {
      const ref = b.history[i]!.value;
      assert.ok(
        Math.abs(h.value - ref) <= 1e-10 * Math.abs(ref),
        `iteration ${i}: ${h.value} vs ${ref}`,
      );
    });
    assert.ok(a.value < 0.9 * a.history[0]!.value, `V ${a.value} after 60 iterations`);
  },
);
