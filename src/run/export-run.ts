/**
 * The trained model of a run folder as JSON, a C header or an ONNX simulator (shared by
 * `nails export` and the extension). Every format carries the metadata of export-metadata.ts.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { modelToCHeader } from '../core/export/c-header.js';
import { modelToOnnx } from '../core/export/onnx-model.js';
import { createModel } from '../core/models/model-factory.js';
import { readSavedModel } from '../io/run-folder.js';
import { EXPORT_FORMATS } from '../protocol/host-jobs.js';
import { exportMetadata } from './export-metadata.js';

export { EXPORT_FORMATS };

const EXTENSION: Record<(typeof EXPORT_FORMATS)[number], string> = {
  json: 'json',
  c: 'h',
  onnx: 'onnx',
};

/** Writes the export and returns its path (default: <run>/<experiment>.json, .h or .onnx). */
export function exportRun(dir: string, format: string, out?: string): string {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new NailsError(
      `unknown export format '${format}'; use ${EXPORT_FORMATS.join(', ')}`,
      'format',
    );
  const saved = readSavedModel(dir);
  const meta = exportMetadata(dir, saved);
  let data: string | Uint8Array;
  if (format === 'json') {
    // The saved model (loadable as model.json) with the metadata filled in and relative paths.
    data = `${JSON.stringify(
      {
        exportFormat: meta.exportFormat,
        ...saved,
        specDir: meta.data.specDir,
        dataDirs: meta.data.dataDirs,
        ...(meta.data.files ? { dataFiles: meta.data.files } : {}),
        ...(meta.Ts !== undefined ? { Ts: meta.Ts } : {}),
        inputs: meta.inputs,
        outputs: meta.outputs,
      },
      null,
      1,
    )}\n`;
  } else {
    const model = createModel(saved.model);
    const theta = Float64Array.from(saved.theta);
    if (format === 'c')
      data = modelToCHeader({
        id: saved.experiment,
        model,
        theta,
        x0: Float64Array.from(meta.x0),
        scaling: saved.scaling,
        comment: `Run ${meta.run}.`,
        metadata: {
          exportFormat: meta.exportFormat,
          ...(meta.Ts !== undefined ? { Ts: meta.Ts } : {}),
          inputs: meta.inputs,
          outputs: meta.outputs,
          ...(meta.data.files ? { data: meta.data.files } : {}),
        },
      });
    else
      data = modelToOnnx({
        model,
        theta,
        scaling: saved.scaling,
        name: saved.experiment,
        doc: `NAILS Studio run ${meta.run}: the free-run simulator of ${saved.experiment}.`,
        metadata: onnxMetadata(meta),
      });
  }
  const file =
    out ??
    path.join(dir, `${saved.experiment}.${EXTENSION[format as (typeof EXPORT_FORMATS)[number]]}`);
  writeFileSync(file, data);
  return file;
}

/** ONNX metadata_props: every field of the metadata, JSON-encoded (strings as they are). */
function onnxMetadata(meta: ReturnType<typeof exportMetadata>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
