/** `nails data <dataset>`: loads a benchmark dataset with its official split and prints a summary. */
import type { Experiment } from '../../core/data/experiment.js';
import { loadDataset } from '../../io/data-files.js';

function range(a: Float64Array): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return `${lo.toPrecision(4)} … ${hi.toPrecision(4)}`;
}

function line(part: string, e: Experiment, unit: string): string {
  return `  ${part.padEnd(28)} N = ${String(e.N).padStart(6)}   u: ${range(e.u)}   y: ${range(e.y)} ${unit}`;
}

export function runDataSummary(id: string, dataDir: string): number {
  const d = loadDataset(id, dataDir);
  const p = d.protocol;
  const out = [
    `${p.title} (${p.file})`,
    `  Ts = ${p.Ts} s; metric: simulation RMSE in ${p.metricUnit} after n_init = ${p.nInit} samples (${p.nInitOfficial ? 'official' : 'our convention; no official protocol'})`,
    ...d.train.map((e) => line(`train`, e, p.unit)),
    ...Object.entries(d.tests).map(([name, e]) => line(name, e, p.unit)),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
