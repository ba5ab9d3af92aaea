/**
 * Sweep throughput of the local pool: the same sweep (≥ 8 small fits) with 1 and with 2 workers,
 * fits per second of each and their ratio, and whether every fit's θ is identical between the two.
 * Runs the bundled CLI (`npm run build` first); the time is the sweep's execution phase
 * (sweep.json `updated` − `started`), `--repeat` pairs (default 3) alternating, the median ratio.
 *
 *   npx tsx bench/sweep.ts [--spec examples/cascaded-tanks.nails] [--data-dir ../shared/data]
 *                          [--seeds 1..8] [--iterations 20] [--repeat 3] [--out bench/results/sweep.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { SweepFile } from '../src/protocol/sweep';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: {
    spec: { type: 'string' },
    seeds: { type: 'string' },
    iterations: { type: 'string' },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
    repeat: { type: 'string' },
  },
});
const repeat = Number(values.repeat ?? '3');
const spec = values.spec ?? 'examples/cascaded-tanks.nails';
const seeds = values.seeds ?? '1..8';
const iterations = values.iterations ?? '20';
const dataDir = values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data';
const CLI = path.resolve('dist/cli.cjs');

function sweep(workers: number) {
  const out = mkdtempSync(path.join(tmpdir(), 'nails-bench-sweep-'));
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'sweep',
      spec,
      '--seeds',
      seeds,
      '--iterations',
      iterations,
      '--data-dir',
      dataDir,
      '--workers',
      String(workers),
      '--out',
      out,
      '--quiet',
    ],
    { encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`nails sweep failed: ${r.stderr}`);
  const dir = /^sweep folder: (.+) \(sweep\.json/m.exec(r.stdout)![1]!;
  const file = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepFile;
  const phase = (Date.parse(file.updated) - Date.parse(file.started)) / 1000;
  const theta = new Map(
    file.rows.map((row) => [
      row.id,
      (
        JSON.parse(readFileSync(path.join(dir, row.run!, 'model.json'), 'utf8')) as {
          theta: number[];
        }
      ).theta,
    ]),
  );
  rmSync(out, { recursive: true, force: true });
  const fits = file.rows.filter((x) => x.status === 'done').length;
  return {
    workers,
    fits,
    phaseSeconds: phase,
    wallSeconds: wall,
    fitsPerSecond: fits / phase,
    theta,
  };
}

// Alternating 1 and 2 workers, `repeat` times: the machine's speed drifts between runs.
const pairs = Array.from({ length: repeat }, () => {
  const one = sweep(1);
  const two = sweep(2);
  const identical = [...one.theta].every(
    ([id, t]) => JSON.stringify(t) === JSON.stringify(two.theta.get(id)),
  );
  return { one, two, ratio: two.fitsPerSecond / one.fitsPerSecond, identical };
});
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const strip = ({ theta: _t, ...rest }: ReturnType<typeof sweep>) => rest;
const result = {
  command: commandLine(),
  machine: machineInfo(),
  spec,
  seeds,
  iterations: Number(iterations),
  runs: pairs.map((p) => ({ one: strip(p.one), two: strip(p.two), ratio: p.ratio })),
  ratio: median(pairs.map((p) => p.ratio)),
  identicalPerSeed: pairs.every((p) => p.identical),
};
writeFileSync(values.out ?? 'bench/results/sweep.json', `${JSON.stringify(result, null, 1)}\n`);
for (const p of result.runs)
  console.log(
    `1 worker: ${p.one.fitsPerSecond.toFixed(3)} fits/s (${p.one.fits} fits in ${p.one.phaseSeconds.toFixed(2)} s); 2 workers: ${p.two.fitsPerSecond.toFixed(3)} fits/s (${p.two.phaseSeconds.toFixed(2)} s); ratio ${p.ratio.toFixed(2)}×`,
  );
console.log(
  `median ratio ${result.ratio.toFixed(2)}× over ${repeat} pairs; θ identical per seed: ${result.identicalPerSeed}`,
);
