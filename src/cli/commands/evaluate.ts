/**
 * `nails evaluate run-folder`: metrics of the run's model on every part of its spec (writes
 * evaluation.json); with `--data FILE`, predictions and metrics on any data file.
 */
import { evaluateOnFile } from '../../run/evaluate-file.js';
import { evaluateRun } from '../../run/evaluate-run.js';
import { formatParts } from '../parts-table.js';

export async function runEvaluate(dir: string, dataDirs: string[]): Promise<number> {
  const { parts, problems, classification } = await evaluateRun(dir, dataDirs);
  for (const p of problems) process.stderr.write(`${p}\n`);
  for (const l of formatParts(parts, classification)) process.stdout.write(`${l}\n`);
  return 0;
}

export function runEvaluateFile(
  dir: string,
  file: string,
  opts: Parameters<typeof evaluateOnFile>[2],
): number {
  const r = evaluateOnFile(dir, file, opts);
  const head = `${r.file}: N = ${r.N}, n_init = ${r.nInit}, inputs ${r.inputs.join(', ')}`;
  if (!r.finite) process.stdout.write(`${head}: simulation not finite, no metrics\n`);
  else if (!r.metrics)
    process.stdout.write(
      `${head}: no measured outputs (${r.modelOutputs.join(', ')} not in the file), predictions only\n`,
    );
  else
    r.metrics.forEach((m, c) => {
      const unit = r.units[c] ? ` ${r.units[c]}` : '';
      process.stdout.write(
        `${head}: ${r.outputs[c]} RMSE ${m.rmse.toPrecision(5)}${unit}, NRMSE ${m.nrmse.toPrecision(4)}, fit ${m.fit.toFixed(2)} %\n`,
      );
    });
  process.stdout.write(`predictions: ${r.predictions}\n`);
  return 0;
}
