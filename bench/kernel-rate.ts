/**
 * The Gauss–Newton accumulation kernel (M += JᵀJ over a chunk, upper triangle) at the shapes the
 * solver uses (512 samples × n_z columns), in GFLOP/s: our blocked TypeScript kernel, the plain
 * reference, the WebAssembly SIMD kernel the solver uses, and the machine's measured peak for the same shape — OpenBLAS through numpy
 * (`A.T @ A`, one thread) when python3 with numpy is available.
 *
 *   npx tsx bench/kernel-rate.ts [--out bench/results/kernel]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { syrkUpper, syrkUpperReference } from '../src/core/linalg/syrk';
import { syrkUpperWasm } from '../src/core/linalg/syrk-wasm';
import { Random } from '../src/core/random';
import { commandLine, machineInfo } from './machine';
import { color, linePlot } from './svg-plot';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? 'bench/results/kernel';
const rows = 512;
const sizes = [61, 83, 149, 281, 523, 1007];

function rate(f: typeof syrkUpper, n: number): number {
  const At = new Random(n).fillNormal(new Float64Array(n * rows));
  const M = new Float64Array(n * n);
  f(At, rows, rows, n, M);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    f(At, rows, rows, n, M);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return (rows * n * (n + 1)) / (times[2]! * 1e6);
}

function numpyRate(n: number): number | null {
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE slow a current numpy (see the env notes): unset both here only.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const code = `import numpy as np, time
A = np.random.default_rng(1).standard_normal((${rows}, ${n}))
A.T @ A
ts = []
for _ in range(7):
    t0 = time.perf_counter(); A.T @ A; ts.append(time.perf_counter() - t0)
ts.sort()
print(${rows} * ${n} * (${n} + 1) / ts[3] / 1e9)`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', env });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

// Warm the JIT on every kernel first.
for (const n of sizes) {
  rate(syrkUpper, n);
  rate(syrkUpperReference, n);
  rate(syrkUpperWasm, n);
}
const rowsOut = sizes.map((n) => ({
  n_z: n,
  shape: `${rows}×${n}`,
  wasm_gflops: rate(syrkUpperWasm, n),
  blocked_gflops: rate(syrkUpper, n),
  reference_gflops: rate(syrkUpperReference, n),
  openblas_gflops: numpyRate(n),
}));
const machine = machineInfo();
const command = commandLine();
writeFileSync(`${out}.json`, `${JSON.stringify({ command, machine, rows: rowsOut }, null, 1)}\n`);
const png = linePlot(out, {
  title: 'Gauss–Newton accumulation M += JᵀJ (chunk of 512 samples): achieved rate',
  xlabel: 'decision variables n_z',
  ylabel: 'GFLOP/s',
  logX: true,
  logY: true,
  series: [
    {
      name: 'WebAssembly SIMD (used)',
      x: sizes,
      y: rowsOut.map((r) => r.wasm_gflops),
      color: color(3),
    },
    {
      name: 'blocked TypeScript',
      x: sizes,
      y: rowsOut.map((r) => r.blocked_gflops),
      color: color(0),
    },
    { name: 'reference TS', x: sizes, y: rowsOut.map((r) => r.reference_gflops), color: color(1) },
    ...(rowsOut.every((r) => r.openblas_gflops !== null)
      ? [
          {
            name: 'OpenBLAS (numpy, 1 thread)',
            x: sizes,
            y: rowsOut.map((r) => r.openblas_gflops!),
            color: color(2),
          },
        ]
      : []),
  ],
});
const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
const md = [
  '# Gauss–Newton kernel rate',
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  "Useful flops rows·n·(n+1) for every kernel (the symmetric product; numpy evaluates `A.T @ A` with OpenBLAS SYRK). OpenBLAS measured through numpy, one thread: the machine's peak for this shape.",
  '',
  '| n_z | chunk shape | WebAssembly SIMD GFLOP/s | blocked TS GFLOP/s | reference TS GFLOP/s | OpenBLAS GFLOP/s | WebAssembly / OpenBLAS |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rowsOut.map(
    (r) =>
      `| ${r.n_z} | ${r.shape} | ${fmt(r.wasm_gflops)} | ${fmt(r.blocked_gflops)} | ${fmt(r.reference_gflops)} | ${fmt(r.openblas_gflops)} | ${r.openblas_gflops ? `${((100 * r.wasm_gflops) / r.openblas_gflops).toFixed(0)} %` : 'n/a'} |`,
  ),
  '',
  `![kernel rate](${png.split('/').pop()})`,
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
