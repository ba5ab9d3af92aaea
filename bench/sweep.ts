/**
 * Sweep throughput of the local pool: the same sweep (≥ 8 small fits) with 1 and with 2 workers,
 * fits per second of each and their ratio, and whether every fit's θ is identical between them.
 * Runs the bundled CLI (`npm run build` first); the time is the sweep's execution phase
 * (sweep.json `updated` − `started`), `--repeat` rounds (default 3), the median ratio.
 *
 * Each round also runs the machine's reference for two cores: two independent `nails sweep`
 * processes with 1 worker each, side by side, the fits dealt alternately between them (a static
 * split, as two machines would get), timed by the later of their two phases. Nothing is shared
 * between them (each starts its own solver thread, compiles its own code), so their ratio to
 * 1 worker is what two cores give these fits without a pool; the pool's ratio is compared with it.
 *
 *   npx tsx bench/sweep.ts [--spec examples/cascaded-tanks.nails] [--data-dir ../shared/data]
 *                          [--seeds 1..8] [--iterations 20] [--repeat 3] [--out bench/results/sweep.json]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { SweepFile } from '../src/protocol/sweep';
import { parseSeeds } from '../src/sweep/grid';
import { commandLine, machineInfo } from './machine';
import { hostProbe } from './host-probe';

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

/** `nails sweep` with `workers` workers on `seedArg` (default: the bench's seeds). */
async function sweep(workers: number, seedArg = seeds) {
  const out = mkdtempSync(path.join(tmpdir(), 'nails-bench-sweep-'));
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      CLI,
      'sweep',
      spec,
      '--seeds',
      seedArg,
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
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wall = (performance.now() - t0) / 1000;
    if (status !== 0) throw new Error(`nails sweep failed: ${stderr}`);
    const dir = /^sweep folder: (.+) \(sweep\.json/m.exec(stdout)![1]!;
    const file = JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepFile;
    const started = Date.parse(file.started);
    const updated = Date.parse(file.updated);
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
    const fits = file.rows.filter((x) => x.status === 'done').length;
    const phase = (updated - started) / 1000;
    return {
      workers,
      fits,
      started,
      updated,
      phaseSeconds: phase,
      wallSeconds: wall,
      fitsPerSecond: fits / phase,
      theta,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The seeds of `--seeds` (as `nails sweep` reads them), dealt alternately into two lists. */
function dealSeeds(arg: string): [string, string] {
  const all = parseSeeds(arg);
  const half = (r: number) => all.filter((_, i) => i % 2 === r).join(',');
  return [half(0), half(1)];
}

/**
 * Two 1-worker sweeps side by side on the dealt seeds, timed from the earlier start to the later
 * end of their phases (null with fewer than 2 seeds). Both are awaited even when one fails.
 */
async function independentPair() {
  const halves = dealSeeds(seeds);
  if (halves.some((h) => h === '')) return null;
  const settled = await Promise.allSettled(halves.map((h) => sweep(1, h)));
  const [a, b] = settled.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
  const phase = (Math.max(a!.updated, b!.updated) - Math.min(a!.started, b!.started)) / 1000;
  const fits = a!.fits + b!.fits;
  return {
    processes: 2,
    fits,
    phaseSeconds: phase,
    phases: [a!.phaseSeconds, b!.phaseSeconds],
    fitsPerSecond: fits / phase,
    theta: new Map([...a!.theta, ...b!.theta]),
  };
}

// 1 worker, 2 workers and the independent pair in turn, `repeat` times: the machine's speed
// drifts between runs.
type Sweep = Awaited<ReturnType<typeof sweep>>;
type Pair = NonNullable<Awaited<ReturnType<typeof independentPair>>>;
const rounds: {
  /** hostProbe() before the round (s): higher when the host is busy. */
  probe: number;
  one: Sweep;
  two: Sweep;
  pair: Pair | null;
  ratio: number;
  pairRatio: number | null;
  identical: boolean;
}[] = [];
for (let r = 0; r < repeat; r++) {
  const probe = hostProbe();
  const one = await sweep(1);
  const two = await sweep(2);
  const pair = await independentPair();
  const same = (m: Map<string, number[]>) =>
    [...one.theta].every(([id, t]) => JSON.stringify(t) === JSON.stringify(m.get(id)));
  rounds.push({
    probe,
    one,
    two,
    pair,
    ratio: two.fitsPerSecond / one.fitsPerSecond,
    pairRatio: pair ? pair.fitsPerSecond / one.fitsPerSecond : null,
    identical: same(two.theta) && (!pair || same(pair.theta)),
  });
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const strip = <T extends { theta: unknown }>({ theta: _t, ...rest }: T) => rest;
const pairRatios = rounds.flatMap((p) => (p.pairRatio === null ? [] : [p.pairRatio]));
const result = {
  command: commandLine(),
  machine: machineInfo(),
  spec,
  seeds,
  iterations: Number(iterations),
  runs: rounds.map((p) => ({
    hostProbeSeconds: p.probe,
    one: strip(p.one),
    two: strip(p.two),
    ...(p.pair ? { independentPair: strip(p.pair), independentPairRatio: p.pairRatio } : {}),
    ratio: p.ratio,
  })),
  ratio: median(rounds.map((p) => p.ratio)),
  ...(pairRatios.length ? { independentPairRatio: median(pairRatios) } : {}),
  identicalPerSeed: rounds.every((p) => p.identical),
};
writeFileSync(values.out ?? 'bench/results/sweep.json', `${JSON.stringify(result, null, 1)}\n`);
for (const p of rounds) {
  const pair = p.pair
    ? `; two 1-worker processes: ${p.pair.fitsPerSecond.toFixed(3)} fits/s (${p.pair.phaseSeconds.toFixed(2)} s; their phases ${p.pair.phases.map((x) => x.toFixed(2)).join(' s, ')} s), ratio ${p.pairRatio!.toFixed(2)}×`
    : '';
  console.log(
    `host probe ${p.probe.toFixed(2)} s; 1 worker: ${p.one.fitsPerSecond.toFixed(3)} fits/s (${p.one.fits} fits in ${p.one.phaseSeconds.toFixed(2)} s); 2 workers: ${p.two.fitsPerSecond.toFixed(3)} fits/s (${p.two.phaseSeconds.toFixed(2)} s), ratio ${p.ratio.toFixed(2)}×${pair}`,
  );
}
console.log(
  `median ratio ${result.ratio.toFixed(2)}× (2 workers)${pairRatios.length ? ` and ${median(pairRatios).toFixed(2)}× (two 1-worker processes)` : ''} over ${repeat} rounds; θ identical per seed: ${result.identicalPerSeed}`,
);
