/**
 * What the kernel benchmarks share: compiling an AssemblyScript probe of kernels/ (not shipped;
 * relaxed SIMD, as the solver's kernels run on Node 22) and timing a kernel call as a rate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Compiles `source` (e.g. kernels/fma-peak.ts) with asc; throws when asc is unavailable. */
export function compileProbe(source: string): WebAssembly.Module {
  const wasm = path.join(mkdtempSync(path.join(tmpdir(), 'nails-probe-')), 'probe.wasm');
  execFileSync(
    'npx',
    [
      'asc',
      source,
      '-O3',
      '--enable',
      'simd',
      '--enable',
      'relaxed-simd',
      '--runtime',
      'stub',
      '--noAssert',
      '-o',
      wasm,
    ],
    { stdio: 'ignore' },
  );
  return new WebAssembly.Module(readFileSync(wasm));
}

/**
 * Median of 7 timed calls, in GFLOP/s of `flops` per call, after 200 ms of calls: a solve calls a
 * kernel thousands of times, so it runs the engine's optimizing tier, which a single warm-up call
 * does not reach (WebAssembly starts in its baseline compiler and tiers up after enough calls;
 * the first shape measured after one call read 13 % low in one run).
 */
export function medianRate(run: () => void, flops: number): number {
  const warm = performance.now();
  while (performance.now() - warm < 200) run();
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return flops / (times[3]! * 1e6);
}
