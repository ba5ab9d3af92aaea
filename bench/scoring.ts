/**
 * The scoring's simulation side by side (src/core/solver/simulate-record.ts): one free run of the
 * scaling model of bench/gn-pass.ts (RNN nx = 6, hidden [12] tanh in both maps, n_θ = 319) over a
 * record of N samples, by the TypeScript model (simulate.ts, what scoring used before) and by the
 * WebAssembly kernel (simulateRecord, what `nails train` and `nails evaluate` score with now): the
 * same θ, x0 and inputs, interleaved repeats in alternating order, medians, and the largest
 * difference of the outputs. The first run of each is reported apart: a command scores once, with
 * its code not yet optimized (the first size's first runs are the cold ones).
 *
 *   npx tsx bench/scoring.ts [--samples 100000,1000000] [--repeats 5] [--out bench/results/scoring.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rnnModel } from '../src/core/models/model-factory';
import { Random } from '../src/core/random';
import { simulateRecord } from '../src/core/solver/simulate-record';
import { simulate } from '../src/core/simulate';
import { commandLine, machineInfo } from './machine';
import { hostProbe } from './host-probe';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '100000,1000000' },
    repeats: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/scoring.json' },
  },
});
const sizes = values.samples.split(',').map(Number);
const repeats = Number(values.repeats);

const model = rnnModel({ nx: 6, nu: 1, ny: 1, state: { hidden: [12] }, output: { hidden: [12] } });
const rng = new Random(1);
const theta = model.init(rng);
const x0 = rng.fillNormal(new Float64Array(model.nx), 0.1);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;

const rows = [];
for (const N of sizes) {
  const u = rng.fillNormal(new Float64Array(N));
  const probeBefore = hostProbe();
  const ts: number[] = [];
  const wasm: number[] = [];
  let diff = 0;
  for (let r = 0; r < repeats; r++) {
    const order = r % 2 ? ['wasm', 'ts'] : ['ts', 'wasm'];
    const out: Record<string, Float64Array> = {};
    for (const which of order) {
      const t0 = performance.now();
      const sim =
        which === 'ts' ? simulate(model, theta, u, N, x0) : simulateRecord(model, theta, u, N, x0);
      (which === 'ts' ? ts : wasm).push((performance.now() - t0) / 1000);
      if (!sim.finite) throw new Error(`${which}: the run is not finite`);
      out[which] = sim.y;
    }
    for (let k = 0; k < N; k++) diff = Math.max(diff, Math.abs(out.ts![k]! - out.wasm![k]!));
  }
  const row = {
    N,
    typescriptSeconds: median(ts),
    wasmSeconds: median(wasm),
    speedup: median(ts) / median(wasm),
    firstRunSeconds: { typescript: ts[0]!, wasm: wasm[0]! },
    maxAbsDifference: diff,
    hostProbeSeconds: [probeBefore, hostProbe()],
  };
  rows.push(row);
  console.log(
    `N=${N}: TypeScript ${row.typescriptSeconds.toFixed(3)} s, WebAssembly ${row.wasmSeconds.toFixed(3)} s, ` +
      `${row.speedup.toFixed(1)}× (first runs ${ts[0]!.toFixed(3)} / ${wasm[0]!.toFixed(3)} s); max |Δŷ| ${diff.toExponential(1)}; host probe ${row.hostProbeSeconds.map((s) => s.toFixed(2)).join(' / ')} s`,
  );
}
writeFileSync(
  values.out,
  `${JSON.stringify({ command: commandLine(), machine: machineInfo(), repeats, rows }, null, 1)}\n`,
);
