/**
 * The accumulation chunk side by side (src/core/solver/chunk.ts): the Gauss–Newton pass (1 thread,
 * WebAssembly derivatives) with the default chunk and with 512 samples (the earlier fixed
 * default), on bench/gn-pass.ts's problem (an RNN with nx = 6, hidden [h] in both maps) at
 * several hidden sizes, so n_z from ~150 to ~600. Both chunks in one process, interleaved in
 * alternating order; medians, the ratio per round's median, and the largest relative difference
 * of M_θθ between the two (rounding only: the chunk changes where the sums restart).
 *
 *   npx tsx bench/chunk.ts [--samples 100000] [--hidden 4,12,24] [--repeats 7] [--out bench/results/chunk.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultChunk } from '../src/core/solver/chunk';
import { accumulateGaussNewton, GaussNewtonWorkspace } from '../src/core/solver/gauss-newton';
import { scalingProblem } from './cases';
import { commandLine, machineInfo } from './machine';
import { hostProbe } from './host-probe';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '100000' },
    hidden: { type: 'string', default: '4,12,24' },
    repeats: { type: 'string', default: '7' },
    out: { type: 'string', default: 'bench/results/chunk.json' },
  },
});
const N = Number(values.samples);
const repeats = Number(values.repeats);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

const rows = [];
const probeBefore = hostProbe();
for (const h of values.hidden.split(',').map(Number)) {
  const { p, z0 } = scalingProblem(N, h);
  const chunks = [defaultChunk(p), 512];
  const ws = chunks.map((c) => new GaussNewtonWorkspace(p, c, undefined, 'wasm'));
  const pass = (i: number) =>
    accumulateGaussNewton(p, z0, { chunk: chunks[i]!, derivatives: 'wasm' }, ws[i]);
  const times: number[][] = [[], []];
  const mtt: Float64Array[] = [];
  for (let i = 0; i < 2; i++) mtt[i] = Float64Array.from(pass(i).Mtt); // warm-up
  for (let r = 0; r < repeats; r++)
    for (const i of r % 2 ? [1, 0] : [0, 1]) {
      const t0 = performance.now();
      pass(i);
      times[i]!.push((performance.now() - t0) / 1000);
    }
  let diff = 0;
  for (let a = 0; a < mtt[0]!.length; a++)
    diff = Math.max(diff, Math.abs(mtt[0]![a]! - mtt[1]![a]!) / (1 + Math.abs(mtt[1]![a]!)));
  const ratios = times[0]!.map((t, r) => times[1]![r]! / t);
  const row = {
    hidden: h,
    nz: z0.length,
    samples: N,
    defaultChunk: chunks[0],
    defaultSeconds: median(times[0]!),
    chunk512Seconds: median(times[1]!),
    speedup: median(ratios),
    runs: { default: times[0], chunk512: times[1] },
    maxRelativeDifferenceMtt: diff,
  };
  rows.push(row);
  process.stdout.write(
    `n_z ${row.nz}: chunk ${row.defaultChunk} ${row.defaultSeconds.toFixed(4)} s, chunk 512 ${row.chunk512Seconds.toFixed(4)} s, 512 / default ${row.speedup.toFixed(3)}× (median of the rounds' ratios); M_θθ differs by ${diff.toExponential(1)}\n`,
  );
}
const probeAfter = hostProbe();
process.stdout.write(
  `host probe before / after: ${probeBefore.toFixed(2)} / ${probeAfter.toFixed(2)} s\n`,
);
writeFileSync(
  values.out,
  `${JSON.stringify({ command: commandLine(), machine: machineInfo(), hostProbeSeconds: [probeBefore, probeAfter], rows }, null, 1)}\n`,
);
