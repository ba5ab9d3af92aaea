/**
 * Multiple versus single shooting (issue #14, item 2) on a lightly damped hardening oscillator
 * (Duffing: ẍ = −x − x³ − 0.05 ẋ + u, symplectic Euler with dt = 0.1, u a zero-order-hold Gaussian
 * held 20 samples, σ_u = 0.3; y = x + 0.01·noise), a case where the free-run objective of a long
 * record is full of local minima: the same rnn (nx 2, 8 tanh units in the state map, linear output),
 * the same seeded random starts and the same total budget (150 NAILM iterations: single shooting
 * 150; shooting 100 over windows of `window` samples + 50 single-shooting refinement iterations).
 *
 *   npx tsx bench/shooting.ts [--samples 3000] [--seeds 1,2,3,4,5] [--window 100] [--out bench/results/shooting]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeExperiment, type Experiment } from '../src/core/data/experiment';
import { runFit, type FitSpec } from '../src/core/fit-job';
import { Random } from '../src/core/random';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '3000' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    window: { type: 'string', default: '100' },
    out: { type: 'string', default: 'bench/results/shooting' },
  },
});

/** The Duffing record (N samples), noise seed fixed. */
function duffing(N: number): Experiment {
  const rng = new Random(1);
  const dt = 0.1;
  let x = 0.5;
  let v = 0;
  let uk = 0;
  const u = new Float64Array(N);
  const y = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    if (k % 20 === 0) uk = 0.3 * rng.normal();
    u[k] = uk;
    y[k] = x + 0.01 * rng.normal();
    v += dt * (-x - x * x * x - 0.05 * v + uk);
    x += dt * v;
  }
  return makeExperiment({ name: 'duffing', u, y });
}

const N = Number(values.samples);
const window = Number(values.window);
const train = [duffing(N)];
const rows: {
  seed: number;
  method: string;
  value: number;
  initialValue: number;
  status: string;
  iterations: number;
  wall_s: number;
  shooting_end_value?: number;
}[] = [];
for (const seed of values.seeds.split(',').map(Number)) {
  for (const shooting of [false, true]) {
    const spec: FitSpec = {
      model: {
        kind: 'rnn',
        nx: 2,
        nu: 1,
        ny: 1,
        state: { hidden: [8], activation: 'tanh', linear: true },
        output: {
          hidden: [],
          activation: 'tanh',
          linear: true,
          feedthrough: false,
          final: 'identity',
        },
      },
      train,
      loss: { name: 'mse' },
      rhoTheta: 1e-6,
      rhoX0: 1e-6,
      trainX0: true,
      method: 'nailm',
      options: { maxIterations: shooting ? 100 : 150 },
      init: { seed },
      ...(shooting ? { shooting: { window, refine: 50 } } : {}),
    };
    const t = performance.now();
    const o = runFit(spec);
    const row = {
      seed,
      method: shooting ? `NAILM, shooting ${window} + refine 50` : 'NAILM, single shooting',
      value: o.result.value,
      initialValue: o.result.initialValue,
      status: o.result.status,
      iterations: o.result.iterations,
      wall_s: (performance.now() - t) / 1000,
      ...(o.shooting ? { shooting_end_value: o.shooting.singleValue } : {}),
    };
    rows.push(row);
    console.error(`seed ${seed} ${row.method}: V ${row.value.toExponential(3)} (${row.status})`);
  }
}
const m = machineInfo();
writeFileSync(`${values.out}.json`, `${JSON.stringify(rows, null, 1)}\n`);
const lines = [
  '# Multiple versus single shooting',
  '',
  `Command: \`${commandLine()}\` — ${m.date}, commit ${m.commit}, ${m.cpu} (${m.cores} cores), Node ${m.node}.`,
  '',
  `Duffing oscillator, ${N} samples, noise σ 0.01 (mse floor 1e-4; the constant predictor ≈ ${(rows[0]?.initialValue ?? NaN).toPrecision(2)} at the start). Training loss V (free run of the whole record) after the same total budget:`,
  '',
  '| seed | method | V | free-run V after the shooting phase | stop | iterations | wall s |',
  '| ---: | --- | ---: | ---: | --- | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.seed} | ${r.method} | ${r.value.toExponential(3)} | ${r.shooting_end_value?.toExponential(3) ?? '—'} | ${r.status} | ${r.iterations} | ${r.wall_s.toFixed(1)} |`,
  ),
];
writeFileSync(`${values.out}.md`, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
