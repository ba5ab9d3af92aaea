/**
 * `nails data <dataset>`: loads a benchmark dataset with its official split and prints a summary.
 * `nails data FILE`: summarises any data file (an existing path, or a name with a data-file
 * extension): format, each variable with shape, range, mean, NaN/Inf counts, the sampling time.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DATA_EXTENSIONS } from '../../core/data/data-format.js';
import { formatDataSummary } from '../../core/data/data-summary.js';
import type { Experiment } from '../../core/data/experiment.js';
import { loadDataset, summarizeDataFile } from '../../io/data-files.js';

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

/** Whether the argument of `nails data` names a file rather than a benchmark id. */
export function isDataFileArgument(arg: string): boolean {
  return isFile(arg) || DATA_EXTENSIONS.includes(path.extname(arg).toLowerCase());
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

export function runDataSummary(id: string, dataDir: string): number {
  if (isDataFileArgument(id)) {
    // A path as typed (relative to the working directory), else under the data directory.
    const lines = formatDataSummary(summarizeDataFile(id, isFile(id) ? '.' : dataDir));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
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
