/**
 * The linear stage side by side on one and two threads (src/core/linear/identify-linear.ts with
 * and without the fit's pass helpers, `LinearStageOptions.parallel`): PO-MOESP, then the
 * output-error refinement (NAILM on the linear model) whose Gauss–Newton passes split over the
 * helpers. The data are bench/gn-pass.ts's scaling problem (a random stable response to fit), the
 * order its model's (nx = 6, nu = ny = 1: n_z = 48 + 6); interleaved repeats in alternating
 * order, medians, the refinement's iterations and the largest relative difference of (A, B, C)
 * and V between the two. What `nails train` runs before the fit of a spec with a linear start.
 *
 *   npx tsx bench/linear-stage.ts [--samples 100000,1000000] [--repeats 3] [--out bench/results/linear-stage.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeExperiment } from '../src/core/data/experiment';
import { identifyLinear, type LinearStage } from '../src/core/linear/identify-linear';
import { Random } from '../src/core/random';
import { PassPool } from '../src/worker/pass-pool';
import { commandLine, machineInfo } from './machine';
import { hostProbe } from './host-probe';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '100000,1000000' },
    repeats: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/results/linear-stage.json' },
  },
});
const sizes = values.samples.split(',').map(Number);
const repeats = Number(values.repeats);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const pool = new PassPool(1, { name: 'mse' });

/** Largest |a − b| / max(|b|, 1e-300) over the entries. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++)
    d = Math.max(d, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-300));
  return d;
}

const rows = [];
for (const N of sizes) {
  const rng = new Random(1);
  const u = rng.fillNormal(new Float64Array(N));
  const y = new Float64Array(N);
  for (let k = 0; k < N; k++)
    y[k] = Math.tanh(0.5 * (u[k - 1] ?? 0) + 0.3 * (y[k - 1] ?? 0)) + 0.01 * rng.normal();
  const experiments = [makeExperiment({ u, y, nu: 1, ny: 1 })];
  const options = { nx: 6, feedthrough: false, loss: { name: 'mse' as const } };
  const probeBefore = hostProbe();
  const times: Record<'one' | 'two', number[]> = { one: [], two: [] };
  const last: Partial<Record<'one' | 'two', LinearStage>> = {};
  for (let r = 0; r < repeats; r++) {
    for (const which of r % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const)) {
      const t0 = performance.now();
      last[which] = identifyLinear(experiments, {
        ...options,
        ...(which === 'two' ? { parallel: pool } : {}),
      });
      times[which].push((performance.now() - t0) / 1000);
    }
  }
  const a = last.one!;
  const b = last.two!;
  const row = {
    N,
    oneThreadSeconds: median(times.one),
    twoThreadsSeconds: median(times.two),
    speedup: median(times.one) / median(times.two),
    runs: times,
    refinementIterations: { one: a.refinement.iterations, two: b.refinement.iterations },
    maxRelativeDifference: {
      model: Math.max(
        relDiff(b.model.A, a.model.A),
        relDiff(b.model.B, a.model.B),
        relDiff(b.model.C, a.model.C),
      ),
      value: relDiff([b.value], [a.value]),
    },
    hostProbeSeconds: [probeBefore, hostProbe()],
  };
  rows.push(row);
  console.log(
    `N=${N}: 1 thread ${row.oneThreadSeconds.toFixed(2)} s, 2 threads ${row.twoThreadsSeconds.toFixed(2)} s, ` +
      `${row.speedup.toFixed(2)}×; refinement ${a.refinement.iterations} / ${b.refinement.iterations} iterations; ` +
      `max relative difference (A, B, C) ${row.maxRelativeDifference.model.toExponential(1)}, V ${row.maxRelativeDifference.value.toExponential(1)}; ` +
      `host probe ${row.hostProbeSeconds.map((s) => s.toFixed(2)).join(' / ')} s`,
  );
}
await pool.close();
writeFileSync(
  values.out,
  `${JSON.stringify({ command: commandLine(), machine: machineInfo(), repeats, rows }, null, 1)}\n`,
);
