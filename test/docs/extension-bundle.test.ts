/**
 * The extension host's bundle stays small (issue #19): dist/extension.cjs is at most 500 KB, and
 * what esbuild puts into it comes from src/extension, src/protocol and the language client only —
 * no copy of Langium, the language analysis, the solver (core), the run service, sweeps or the
 * run-folder code (they run in the language server and in the job thread, dist/host-jobs.cjs).
 */
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { ROOT } from '../helpers';

const LIMIT_KB = 500;

describe('extension bundle', () => {
  it(`dist/extension.cjs is at most ${LIMIT_KB} KB`, () => {
    const file = path.join(ROOT, 'dist', 'extension.cjs');
    assert.ok(existsSync(file), `${file} is missing: run npm run build first`);
    const kb = statSync(file).size / 1024;
    console.log(`dist/extension.cjs: ${kb.toFixed(0)} KB`);
    assert.ok(kb <= LIMIT_KB, `dist/extension.cjs is ${kb.toFixed(0)} KB > ${LIMIT_KB} KB`);
  });

  it('bundles nothing of core, language, io, run, sweep, jobs or Langium', async () => {
    const r = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/extension/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      write: false,
      outfile: 'out.cjs',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs);
    const forbidden = inputs.filter(
      (f) =>
        /(^|\/)src\/(core|language|io|run|sweep|jobs|worker|cli)\//.test(f) ||
        /node_modules\/(langium|chevrotain|valibot|ml-matrix|h5wasm|bullmq)\//.test(f),
    );
    assert.deepEqual(forbidden, []);
    assert.ok(
      inputs.some((f) => f.includes('src/protocol/')),
      'the extension reaches the rest through src/protocol',
    );
  });
});
