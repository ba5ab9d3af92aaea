/** `nails export run-folder --format json|c [--out FILE]`: the trained model for other tools or for embedding. */
import { exportRun } from '../../run/export-run.js';

export function runExport(dir: string, format: string, out?: string): number {
  process.stdout.write(`${exportRun(dir, format, out)}\n`);
  return 0;
}
