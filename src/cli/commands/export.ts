/** `nails export run-folder --format json|c [--out FILE]`: the trained model for other tools or for embedding. */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../../core/errors.js';
import { modelToCHeader } from '../../core/export/c-header.js';
import { createModel } from '../../core/models/model-factory.js';
import { readSavedModel } from '../../io/run-folder.js';

export function runExport(dir: string, format: string, out?: string): number {
  const saved = readSavedModel(dir);
  let text: string;
  let ext: string;
  if (format === 'json') {
    text = `${JSON.stringify(saved, null, 1)}\n`;
    ext = 'json';
  } else if (format === 'c') {
    const model = createModel(saved.model);
    text = modelToCHeader({
      id: saved.experiment,
      model,
      theta: Float64Array.from(saved.theta),
      x0: Float64Array.from(saved.x0s.slice(0, model.nx)),
      scaling: saved.scaling,
      comment: `Run ${path.basename(path.resolve(dir))}.`,
    });
    ext = 'h';
  } else throw new NailsError(`unknown export format '${format}'; use json or c`, 'format');
  const file = out ?? path.join(dir, `${saved.experiment}.${ext}`);
  writeFileSync(file, text);
  process.stdout.write(`${file}\n`);
  return 0;
}
