/**
 * `nails evaluate run-folder`: re-loads the data of the run's spec snapshot and scores the saved
 * model on every part (test x0 estimated on its first n_init samples, as the spec says).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../../core/errors.js';
import { createModel } from '../../core/models/model-factory.js';
import { readSavedModel } from '../../io/run-folder.js';
import { compileSpec } from '../../language/compiler.js';
import { evaluateParts } from '../../language/evaluate.js';
import { checkSpecFile } from '../../language/load-spec.js';
import { formatParts } from './train.js';

export async function runEvaluate(dir: string, dataDirs: string[]): Promise<number> {
  const saved = readSavedModel(dir);
  const spec = path.join(dir, 'spec.nails');
  // Relative data paths were relative to the original spec's folder: look there too.
  const check = await checkSpecFile(spec, [...dataDirs, saved.specDir, ...saved.dataDirs]);
  for (const p of check.problems) process.stderr.write(`${p.text}\n`);
  if (!check.analysis.resolved)
    throw new NailsError(
      `the spec snapshot in ${dir} no longer checks; see the messages above`,
      spec,
    );
  const compiled = compileSpec(check.analysis.resolved);
  compiled.scaling = saved.scaling;
  for (const p of compiled.parts) {
    const s = saved.scaling;
    p.scaled = {
      ...p.raw,
      u: Float64Array.from(p.raw.u, (v, i) => (v - s.uMean[i % p.raw.nu]!) / s.uStd[i % p.raw.nu]!),
      y: Float64Array.from(p.raw.y, (v, i) => (v - s.yMean[i % p.raw.ny]!) / s.yStd[i % p.raw.ny]!),
    };
  }
  const model = createModel(saved.model);
  const parts = evaluateParts(
    compiled,
    model,
    Float64Array.from(saved.theta),
    Float64Array.from(saved.x0s),
  );
  for (const l of formatParts(parts)) process.stdout.write(`${l}\n`);
  const out = parts.map((p) => ({
    kind: p.kind,
    name: p.name,
    N: p.N,
    nInit: p.nInit,
    x0Method: p.x0Method,
    x0: p.x0,
    metrics: p.channels,
  }));
  writeFileSync(path.join(dir, 'evaluation.json'), `${JSON.stringify({ parts: out }, null, 1)}\n`);
  return 0;
}
