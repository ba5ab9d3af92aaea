/** `nails evaluate run-folder`: metrics of the run's model on every part of its spec (writes evaluation.json). */
import { evaluateRun } from '../../run/evaluate-run.js';
import { formatParts } from '../parts-table.js';

export async function runEvaluate(dir: string, dataDirs: string[]): Promise<number> {
  const { parts, problems, classification } = await evaluateRun(dir, dataDirs);
  for (const p of problems) process.stderr.write(`${p}\n`);
  for (const l of formatParts(parts, classification)) process.stdout.write(`${l}\n`);
  return 0;
}
