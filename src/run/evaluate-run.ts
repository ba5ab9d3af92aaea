/**
 * Scores a run folder's model again on every part of its spec snapshot (shared by `nails evaluate`
 * and the extension's Evaluate command); writes evaluation.json into the run folder.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { scaleExperiment } from '../core/data/scaling.js';
import { NailsError } from '../core/errors.js';
import { isClassificationLoss } from '../core/losses/index.js';
import { createModel } from '../core/models/model-factory.js';
import { readSavedModel } from '../io/run-folder.js';
import { compileSpec } from '../language/compiler.js';
import { evaluateParts, type PartResult } from '../language/evaluate.js';
import { checkSpecFile } from '../language/load-spec.js';

export async function evaluateRun(
  dir: string,
  dataDirs: string[],
): Promise<{ parts: PartResult[]; problems: string[]; classification: boolean }> {
  const saved = readSavedModel(dir);
  const spec = path.join(dir, 'spec.nails');
  // Relative data paths were relative to the original spec's folder: look there too.
  const check = await checkSpecFile(spec, [...dataDirs, saved.specDir, ...saved.dataDirs]);
  const problems = check.problems.map((p) => p.text);
  if (!check.analysis.resolved)
    throw new NailsError(
      `the spec snapshot in ${dir} no longer checks: ${problems[0] ?? ''}`,
      spec,
    );
  const compiled = compileSpec(check.analysis.resolved);
  // The model was trained in the saved scaling: use it, not one refitted on today's data.
  compiled.scaling = saved.scaling;
  for (const p of compiled.parts) p.scaled = scaleExperiment(p.raw, saved.scaling);
  const parts = evaluateParts(
    compiled,
    createModel(saved.model),
    Float64Array.from(saved.theta),
    Float64Array.from(saved.x0s),
  );
  const out = parts.map((p) => ({
    kind: p.kind,
    name: p.name,
    N: p.N,
    nInit: p.nInit,
    x0Method: p.x0Method,
    x0: p.x0,
    outputs: p.outputs,
    metrics: p.channels,
  }));
  writeFileSync(path.join(dir, 'evaluation.json'), `${JSON.stringify({ parts: out }, null, 1)}\n`);
  return { parts, problems, classification: isClassificationLoss(saved.loss) };
}
