/**
 * The Gauss–Newton pass side by side in one run (issue #18): the scaling problem of
 * bench/scaling.ts (RNN nx = 6, hidden [12] in both maps, n_z = 325) at N = 1e4 and 1e5,
 *
 *   - the pass with the model's derivatives in TypeScript vs in WebAssembly (1 thread),
 *   - the WebAssembly pass on 1 vs 2 threads (src/worker/pass-pool.ts),
 *   - one accepted NAILM iteration (mean over the accepted ones) on 1 and 2 threads,
 *
 * interleaved (the configurations alternate within each repeat, in rotating order) and reported
 * as medians, so that a machine under load slows them alike. Rows replace the previous gn-pass
 * rows of bench/results.json; the table goes to bench/results/gn-pass.md.
 *
 *   npx tsx bench/gn-pass.ts                       # N = 1e4 and 1e5, 5 repeats
 *   npx tsx bench/gn-pass.ts --samples 10000 --repeats 3 --no-write
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultChunk } from '../src/core/solver/chunk';
import { accumulateGaussNewton, GaussNewtonWorkspace } from '../src/core/solver/gauss-newton';
import { nailm } from '../src/core/solver/nailm';
import { accumulateParallel } from '../src/core/solver/parallel-pass';
import { pieceWorkspace } from '../src/core/solver/pass-pieces';
import type { Problem } from '../src/core/solver/problem';
import { PassPool } from '../src/worker/pass-pool';
import { scalingProblem } from './cases';
import { commandLine, machineInfo } from './machine';
import { hostProbe } from './host-probe';
import { median } from './median';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATASET = 'gn-pass (scaling RNN: nx 6, hidden [12], n_z 325)';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '10000,100000' },
    repeats: { type: 'string', default: '5' },
    iterations: { type: 'string', default: '8' },
    'no-write': { type: 'boolean', default: false },
  },
});
const sizes = values.samples.split(',').map(Number);
const repeats = Number(values.repeats);
const iterations = Number(values.iterations);

/** Wall seconds of f, and the CPU seconds of the process (all its threads) meanwhile. */
function timed(f: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

interface Row {
  dataset: string;
  test_set: string;
  method: string;
  samples: number;
  parameters: number;
  wall_s: number;
  wall_s_runs: number[];
  /** CPU seconds of the process (every thread) per run, median: less sensitive to other load. */
  cpu_s: number | null;
  repeats: number;
  load_average_1min: number;
  /** hostProbe() before and after the size's passes (s): higher when the host is busy. */
  host_probe_s: [number, number];
  command: string;
  date: string;
  commit: string;
  node_version: string;
}

const machine = machineInfo();
const rows: Row[] = [];
const pool = new PassPool(1, { name: 'mse' });
for (const N of sizes) {
  const { p, z0 } = scalingProblem(N);
  const nz = z0.length;
  // The chunk a fit uses (src/core/solver/chunk.ts: 256 samples at n_z = 325).
  const chunk = defaultChunk(p);
  const o = { chunk };
  const wsTs = new GaussNewtonWorkspace(p, chunk, undefined, 'typescript');
  const wsWasm = new GaussNewtonWorkspace(p, chunk, undefined, 'wasm');
  const wsPiece = pieceWorkspace(p, { chunk, derivatives: 'wasm' });
  const passes: [string, () => void][] = [
    ['GN pass: TypeScript derivatives, 1 thread', () => accumulateGaussNewton(p, z0, o, wsTs)],
    ['GN pass: WebAssembly derivatives, 1 thread', () => accumulateGaussNewton(p, z0, o, wsWasm)],
    [
      'GN pass: WebAssembly derivatives, 2 threads',
      () => accumulateParallel(p, z0, { chunk, derivatives: 'wasm' }, pool, wsPiece),
    ],
  ];
  for (const [, f] of passes) f(); // warm-up (JIT, helper start-up)
  const times = passes.map((): number[] => []);
  const cpus = passes.map((): number[] => []);
  const load = loadavg()[0]!;
  const probeBefore = hostProbe();
  for (let r = 0; r < repeats; r++)
    for (let i = 0; i < passes.length; i++) {
      const c = (i + r) % passes.length;
      const t = timed(passes[c]![1]);
      times[c]!.push(t.wall);
      cpus[c]!.push(t.cpu);
    }
  // One accepted NAILM iteration: the mean over the accepted ones of a short run, alternating.
  const runs: [string, () => number[]][] = [
    ['NAILM accepted iteration: WebAssembly derivatives, 1 thread', () => accepted(p, z0, false)],
    ['NAILM accepted iteration: WebAssembly derivatives, 2 threads', () => accepted(p, z0, true)],
  ];
  const iterTimes = runs.map((): number[] => []);
  for (let r = 0; r < Math.max(1, Math.ceil(repeats / 2)); r++)
    for (let i = 0; i < runs.length; i++) {
      const c = (i + r) % runs.length;
      iterTimes[c]!.push(...runs[c]![1]());
    }
  const probeAfter = hostProbe();
  const all: [string, number[], number[] | null][] = [
    ...passes.map(([name], i): [string, number[], number[]] => [name, times[i]!, cpus[i]!]),
    ...runs.map(([name], i): [string, number[], null] => [name, iterTimes[i]!, null]),
  ];
  for (const [method, t, cpu] of all) {
    rows.push({
      dataset: DATASET,
      test_set: `N=${N}`,
      method,
      samples: N,
      parameters: nz,
      wall_s: median(t),
      wall_s_runs: t,
      cpu_s: cpu ? median(cpu) : null,
      repeats: t.length,
      load_average_1min: load,
      host_probe_s: [probeBefore, probeAfter],
      command: commandLine(),
      date: machine.date,
      commit: machine.commit,
      node_version: machine.node,
    });
    process.stdout.write(`N=${N} ${method}: median ${median(t).toFixed(4)} s over ${t.length}\n`);
  }
}
await pool.close();

/** Seconds of each accepted NAILM iteration of a short run from z0. */
function accepted(p: Problem, z0: Float64Array, threads: boolean): number[] {
  const r = nailm(p, z0, { maxIterations: iterations, ...(threads ? { parallel: pool } : {}) });
  return r.history.filter((h) => h.accepted).map((h) => h.seconds);
}

const md = markdown(rows);
process.stdout.write(md);
if (!values['no-write']) {
  const file = path.join(ROOT, 'bench', 'results.json');
  const old = JSON.parse(readFileSync(file, 'utf8')) as { dataset: string }[];
  const kept = old.filter((r) => r.dataset !== DATASET);
  writeFileSync(file, `${JSON.stringify([...kept, ...rows], null, 1)}\n`);
  writeFileSync(path.join(ROOT, 'bench', 'results', 'gn-pass.md'), md);
}

/** The side-by-side table with the ratios the issue asks for. */
function markdown(all: Row[]): string {
  const get = (N: number, m: string) =>
    all.find((r) => r.samples === N && r.method.startsWith(m))?.wall_s ?? NaN;
  const cpu = (N: number, m: string) =>
    all.find((r) => r.samples === N && r.method.startsWith(m))?.cpu_s ?? NaN;
  let s = `# Gauss–Newton pass side by side\n\nCommand: \`${commandLine()}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}; 1-minute load average at the start of each size: ${[...new Set(all.map((r) => r.load_average_1min.toFixed(1)))].join(', ')}; host probe (bench/host-probe.ts, about 0.4 s on the idle host) before and after each size: ${[...new Set(all.map((r) => r.host_probe_s.map((x) => x.toFixed(2)).join(' / ')))].join(', ')} s.\n\n`;
  s +=
    '| N | n_z | TypeScript derivatives, s | WebAssembly, s | speed-up | 2 threads, s | speed-up | NAILM accepted iteration 1 thread, s | 2 threads, s | CPU s, TypeScript / WebAssembly |\n';
  s += '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n';
  for (const N of [...new Set(all.map((r) => r.samples))]) {
    const ts = get(N, 'GN pass: TypeScript');
    const w1 = get(N, 'GN pass: WebAssembly derivatives, 1');
    const w2 = get(N, 'GN pass: WebAssembly derivatives, 2');
    const n1 = get(N, 'NAILM accepted iteration: WebAssembly derivatives, 1');
    const n2 = get(N, 'NAILM accepted iteration: WebAssembly derivatives, 2');
    const ct = cpu(N, 'GN pass: TypeScript');
    const cw = cpu(N, 'GN pass: WebAssembly derivatives, 1');
    const nz = all.find((r) => r.samples === N)?.parameters ?? NaN;
    s += `| ${N} | ${nz} | ${ts.toFixed(3)} | ${w1.toFixed(3)} | ${(ts / w1).toFixed(2)}× | ${w2.toFixed(3)} | ${(w1 / w2).toFixed(2)}× | ${n1.toFixed(3)} | ${n2.toFixed(3)} | ${ct.toFixed(3)} / ${cw.toFixed(3)} (${(ct / cw).toFixed(2)}×) |\n`;
  }
  return `${s}\nMedians of the interleaved repeats (wall time); the speed-ups are TypeScript / WebAssembly and 1 / 2 threads. The last column is the process's CPU time per pass (1 thread), which other load inflates less than the wall time.\n`;
}
