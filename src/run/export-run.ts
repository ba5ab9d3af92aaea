/** The trained model of a run folder as JSON or as a C header (shared by `nails export` and the extension). */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { modelToCHeader } from '../core/export/c-header.js';
import { createModel } from '../core/models/model-factory.js';
import { readSavedModel } from '../io/run-folder.js';

/** Writes the export and returns its path (default: <run>/<experiment>.json or .h). */
export function exportRun(dir: string, format: string, out?: string): string {
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
  return file;
}
