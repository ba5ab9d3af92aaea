/**
 * The Gauss–Newton accumulation kernel (M += JᵀJ over a chunk, upper triangle) at the shapes the
 * solver uses (512 samples × n_z columns) and at the J of 1000 × 300, in GFLOP/s: the
 * WebAssembly builds (relaxed SIMD with fused multiply-add — what the solver uses on Node 22 —
 * and plain SIMD), our blocked TypeScript kernel, the plain reference, and OpenBLAS through numpy
 * (one thread) both as SYRK (`A.T @ A`, the same symmetric half) and as GEMM (`B @ A` with
 * B = Aᵀ copied, the full product). Also the engine's 128-bit FMA peak (kernels/fma-peak.ts,
 * compiled here with asc): the ceiling of any WebAssembly SIMD kernel on this machine.
 *
 *   npx tsx bench/kernel-rate.ts [--out bench/results/kernel]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { syrkUpper, syrkUpperReference } from '../src/core/linalg/syrk';
import { SyrkAccumulator, type KernelVariant } from '../src/core/linalg/syrk-wasm';
import { Random } from '../src/core/random';
import { commandLine, machineInfo } from './machine';
import { compileProbe, medianRate } from './wasm-probe';
import { color, linePlot } from './svg-plot';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? 'bench/results/kernel';
const shapes: [number, number][] = [
  [512, 61],
  [512, 83],
  [512, 149],
  [512, 281],
  [512, 523],
  [512, 1007],
  [1000, 300],
];

/** The solver's path: rows already in the accumulator's memory, one `add` per chunk. */
function wasmRate(variant: KernelVariant, rows: number, n: number): number {
  const acc = new SyrkAccumulator(n, rows, variant);
  if (acc.variant !== variant) throw new Error(`${variant} does not load on this engine`);
  new Random(n).fillNormal(acc.At);
  return medianRate(() => acc.add(rows), rows * n * (n + 1));
}

function tsRate(f: typeof syrkUpper, rows: number, n: number): number {
  const At = new Random(n).fillNormal(new Float64Array(n * rows));
  const M = new Float64Array(n * n);
  return medianRate(() => f(At, rows, rows, n, M), rows * n * (n + 1));
}

/** OpenBLAS through numpy, one thread: SYRK (A.T @ A) and GEMM (Aᵀ copied, then B @ A). */
function numpyRates(rows: number, n: number): { syrk: number; gemm: number } | null {
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
B = np.ascontiguousarray(A.T)
def med(f):
    f(); ts = []
    for _ in range(7):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort(); return ts[3]
flops = ${rows} * ${n} * (${n} + 1)
print(flops / med(lambda: A.T @ A) / 1e9, 2 * ${rows} * ${n} * ${n} / med(lambda: B @ A) / 1e9)`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', env });
  if (r.status !== 0) return null;
  const [syrk, gemm] = r.stdout.trim().split(/\s+/).map(Number);
  return { syrk: syrk!, gemm: gemm! };
}

/** The engine's 128-bit FMA peak in GFLOP/s (best of 3), or null when asc is unavailable. */
function fmaPeak(): number | null {
  try {
    const { peak } = new WebAssembly.Instance(compileProbe('kernels/fma-peak.ts'), {
      env: { abort: () => undefined },
    }).exports as { peak: (iters: number) => number };
    peak(1e6);
    let best = 0;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      peak(1e8);
      best = Math.max(best, (1e8 * 12 * 4) / ((performance.now() - t0) * 1e6));
    }
    return best;
  } catch {
    return null;
  }
}

// Warm the JIT on every kernel first.
for (const [rows, n] of shapes) {
  wasmRate('wasm-relaxed-simd', rows, n);
  wasmRate('wasm-simd', rows, n);
  tsRate(syrkUpper, rows, n);
}
const peak = fmaPeak();
const rowsOut = shapes.map(([rows, n]) => {
  const blas = numpyRates(rows, n);
  return {
    n_z: n,
    rows,
    shape: `${rows}×${n}`,
    wasm_relaxed_gflops: wasmRate('wasm-relaxed-simd', rows, n),
    wasm_simd_gflops: wasmRate('wasm-simd', rows, n),
    blocked_gflops: tsRate(syrkUpper, rows, n),
    reference_gflops: tsRate(syrkUpperReference, rows, n),
    openblas_syrk_gflops: blas?.syrk ?? null,
    openblas_gemm_gflops: blas?.gemm ?? null,
  };
});
const machine = machineInfo();
const command = commandLine();
writeFileSync(
  `${out}.json`,
  `${JSON.stringify({ command, machine, wasm_fma_peak_gflops: peak, rows: rowsOut }, null, 1)}\n`,
);
const chunkRows = rowsOut.filter((r) => r.rows === 512);
const sizes = chunkRows.map((r) => r.n_z);
const png = linePlot(out, {
  title: 'Gauss–Newton accumulation M += JᵀJ (chunk of 512 samples): achieved rate',
  xlabel: 'decision variables n_z',
  ylabel: 'GFLOP/s',
  logX: true,
  logY: true,
  series: [
    {
      name: 'WebAssembly relaxed SIMD (used)',
      x: sizes,
      y: chunkRows.map((r) => r.wasm_relaxed_gflops),
      color: color(3),
    },
    {
      name: 'WebAssembly SIMD (fallback)',
      x: sizes,
      y: chunkRows.map((r) => r.wasm_simd_gflops),
      color: color(4),
    },
    {
      name: 'blocked TypeScript',
      x: sizes,
      y: chunkRows.map((r) => r.blocked_gflops),
      color: color(0),
    },
    {
      name: 'reference TS',
      x: sizes,
      y: chunkRows.map((r) => r.reference_gflops),
      color: color(1),
    },
    ...(chunkRows.every((r) => r.openblas_syrk_gflops !== null)
      ? [
          {
            name: 'OpenBLAS SYRK (numpy, 1 thread)',
            x: sizes,
            y: chunkRows.map((r) => r.openblas_syrk_gflops!),
            color: color(2),
          },
        ]
      : []),
    ...(peak !== null
      ? [
          {
            name: 'WebAssembly 128-bit FMA peak',
            x: sizes,
            y: sizes.map(() => peak),
            color: color(5),
          },
        ]
      : []),
  ],
});
const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
const pct = (a: number, b: number | null) => (b ? `${((100 * a) / b).toFixed(0)} %` : 'n/a');
const md = [
  '# Gauss–Newton kernel rate',
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  '',
  'Useful flops rows·n·(n+1) for every symmetric kernel (the upper half of AᵀA: what the solver needs);',
  'OpenBLAS through numpy, one thread: SYRK is `A.T @ A` (the same half), GEMM is the full product',
  'counted at its own 2·rows·n² flops. The ratio that matters is to SYRK: time to the same M.',
  '"used / GEMM, time to M" compares the time to M with OpenBLAS computing the full product by GEMM',
  '(2n/(n+1) · used / GEMM): the comparison behind rates quoted as GEMM-equivalent flops.',
  `The engine's 128-bit fused multiply-add peak (no memory traffic, kernels/fma-peak.ts) is **${fmt(peak)} GFLOP/s**: no WebAssembly SIMD kernel can exceed it on this machine.`,
  '',
  '| n_z | chunk | Wasm relaxed SIMD (used) | Wasm SIMD | blocked TS | reference TS | OpenBLAS SYRK | OpenBLAS GEMM | used / SYRK | used / GEMM, time to M | used / FMA peak |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rowsOut.map(
    (r) =>
      `| ${r.n_z} | ${r.shape} | ${fmt(r.wasm_relaxed_gflops)} | ${fmt(r.wasm_simd_gflops)} | ${fmt(r.blocked_gflops)} | ${fmt(r.reference_gflops)} | ${fmt(r.openblas_syrk_gflops)} | ${fmt(r.openblas_gemm_gflops)} | ${pct(r.wasm_relaxed_gflops, r.openblas_syrk_gflops)} | ${r.openblas_gemm_gflops ? pct((2 * r.n_z * r.wasm_relaxed_gflops) / (r.n_z + 1), r.openblas_gemm_gflops) : 'n/a'} | ${pct(r.wasm_relaxed_gflops, peak)} |`,
  ),
  '',
  `![kernel rate](${png.split('/').pop()})`,
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
