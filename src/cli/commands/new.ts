/**
 * `nails new DATA [--input U,…] [--output Y,…] [--test-input U,… --test-output Y,…]
 * [--sampling "4 s"] [--name ID] [--out SPEC] [--force]`: writes a starter spec for a data file
 * with settings recommended from the data (src/run/new-spec.ts) and says what to run next.
 */
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FREQUENCY_UNITS, TIME_UNITS } from '../../language/analysis/vocabulary.js';
import { newSpec, type NewSpecOptions } from '../../run/new-spec.js';
import { UsageError } from '../usage-error.js';

/** "4", "4 s", "5ms", "610.35 Hz" → seconds. */
export function parseSampling(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)\s*$/.exec(text);
  const v = m ? Number(m[1]) : NaN;
  const unit = m?.[2] || 's';
  const f = TIME_UNITS[unit];
  const hz = FREQUENCY_UNITS[unit];
  if (!(v > 0) || (f === undefined && hz === undefined))
    throw new UsageError(
      `nails new: --sampling '${text}' is not a positive time or rate (e.g. 4 s, 5 ms, 610.35 Hz; units ${[...Object.keys(TIME_UNITS), ...Object.keys(FREQUENCY_UNITS)].join(', ')})`,
    );
  return f !== undefined ? v * f : 1 / (v * hz!);
}

export interface NewCommandOptions extends NewSpecOptions {
  out?: string;
  force?: boolean;
  dataDirs: string[];
}

export function runNew(dataFile: string, o: NewCommandOptions): number {
  if (o.name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.name))
    throw new UsageError(`nails new: --name '${o.name}' is not an identifier (letters, digits, _)`);
  const out = path.resolve(
    o.out ?? `${path.basename(dataFile).replace(/\.[^.]*$/, '') || 'spec'}.nails`,
  );
  if (!out.endsWith('.nails')) throw new UsageError(`nails new: --out must name a .nails file`);
  if (existsSync(out) && !o.force)
    throw new UsageError(`nails new: ${out} exists; choose another --out or add --force`);
  // The file as typed (relative to the working directory), else under the first data directory.
  const dir = existsSync(dataFile)
    ? '.'
    : (o.dataDirs.find((d) => existsSync(path.join(d, dataFile))) ?? '.');
  const spec = newSpec(dataFile, path.dirname(out), o, dir);
  writeFileSync(out, spec.text);
  const r = spec.recommendation;
  process.stdout.write(
    [
      `wrote ${out}`,
      `  inputs ${spec.inputs.join(', ')}; outputs ${spec.outputs.join(', ')}; ${spec.nTrain} training and ${spec.nTest} test samples`,
      `  states ${r.states} (${r.reasons.states})`,
      `  hidden [${r.hidden}], l2 ${r.l2.toExponential(0)}, ${r.method} ${r.iterations} iterations`,
      `next: nails train ${path.relative(process.cwd(), out) || out}`,
      '',
    ].join('\n'),
  );
  return 0;
}
