/** `nails export run-folder --format json|c|onnx [--out FILE]`: the trained model for other tools, for embedding (C) or for onnxruntime (ONNX). */
import { exportRun } from '../../run/export-run.js';

export function runExport(dir: string, format: string, out?: string): number {
  process.stdout.write(`${exportRun(dir, format, out)}\n`);
  return 0;
}
