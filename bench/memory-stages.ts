/**
 * Where `nails train` spends memory, stage by stage, in one process (the solver runs in-process
 * here instead of in its worker thread, so its memory is counted in the same RSS):
 *
 *   node --expose-gc --import tsx bench/memory-stages.ts SPEC [--data-dir DIR] [--skip-fit]
 *
 * After each stage it prints the peak RSS so far (process.resourceUsage().maxRSS) and, after a
 * full GC, the live RSS, V8 heap and ArrayBuffer bytes. The stages are those of
 * src/run/train-spec.ts: check the spec (reads the data file's header), compile (loads the
 * parts, scales them), the linear stage and the solver (runFit), score the parts, write the run
 * folder. A measurement tool, not a test: nothing is asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareFit, runFit } from '../src/core/fit-job';
import { createModel } from '../src/core/models/model-factory';
import { writePredictions } from '../src/io/run-folder';
import { compileSpec } from '../src/language/compiler';
import { evaluateParts } from '../src/language/evaluate';
import { checkSpecFile } from '../src/language/load-spec';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string' }, 'skip-fit': { type: 'boolean' } },
});
const spec = positionals[0];
if (!spec) throw new Error('usage: bench/memory-stages.ts SPEC [--data-dir DIR] [--skip-fit]');
const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;
const t0 = performance.now();

/** One line per stage: peak RSS so far, then live RSS / heap / ArrayBuffers after a GC. */
function stage(name: string): void {
  const peak = process.resourceUsage().maxRSS / 1024;
  gc?.();
  const m = process.memoryUsage();
  const f = (v: number) => (v / MB).toFixed(0).padStart(5);
  process.stdout.write(
    `${name.padEnd(28)} peak ${peak.toFixed(0).padStart(5)} MB | live rss ${f(m.rss)} heap ${f(m.heapUsed)} arrayBuffers ${f(m.arrayBuffers)} MB | ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

stage('start');
const check = await checkSpecFile(spec, values['data-dir'] ? [values['data-dir']] : []);
if (check.errors > 0 || !check.analysis.resolved)
  throw new Error(check.problems.map((p) => p.text).join('\n'));
stage('check (data header)');
const compiled = compileSpec(check.analysis.resolved);
stage('compile (parts, scaled)');
const model = createModel(compiled.fit.model);
let z: Float64Array;
let nTheta = model.nTheta;
if (values['skip-fit']) {
  const spec = { ...compiled.fit, options: { ...compiled.fit.options, maxIterations: 0 } };
  delete spec.linear;
  z = prepareFit(spec).z0;
  stage('prepareFit (no linear stage)');
} else {
  const r = runFit(compiled.fit).result;
  z = r.z;
  nTheta = r.theta.length;
  stage('runFit (linear + solver)');
}
const parts = evaluateParts(compiled, model, z.slice(0, nTheta), z.slice(nTheta));
stage('score parts');
const dir = mkdtempSync(path.join(tmpdir(), 'nails-mem-'));
parts.forEach((p, i) =>
  writePredictions(
    path.join(dir, `${i}.csv`),
    p.yhat,
    compiled.parts[i]!.raw.ny,
    compiled.parts[i]!.raw.y,
  ),
);
stage('write predictions');
rmSync(dir, { recursive: true, force: true });
