/**
 * The free-run outputs ŷ_j (N_j × ny per experiment) with the simulation in WebAssembly
 * (kernels/rnn-pass.ts's rnnSimulate, a block of samples per call): simulate.ts's
 * `simulateExperiments` for the state-space net, to rounding (the kernels' tanh is within 2 ulp of
 * V8's; see rnn-simulate-loss.ts). The degeneracy test (degenerate.ts) simulates with it, so a
 * solver thread runs, and compiles, no TypeScript model code for it.
 */
import type { Experiment } from '../data/experiment.js';
import { checkSimulationShapes } from '../simulate-loss.js';
import type { RnnKernel } from './rnn-kernel.js';

/**
 * ŷ_j for each experiment from its x0 (`x0s`: E × nx) with θ (copied into the kernel's memory).
 * `finite` is false, and the outputs incomplete, when a state or an output stops being finite.
 */
export function simulateOutputsKernel(
  kernel: RnnKernel,
  theta: Float64Array,
  experiments: readonly Experiment[],
  x0s: Float64Array,
): { y: Float64Array[]; finite: boolean } {
  const { nx, ny } = kernel.model;
  checkSimulationShapes(kernel.model, theta, experiments, x0s);
  kernel.theta.set(theta);
  const y: Float64Array[] = [];
  for (let j = 0; j < experiments.length; j++) {
    const e = experiments[j]!;
    const out = new Float64Array(e.N * ny);
    kernel.x.set(x0s.subarray(j * nx, (j + 1) * nx));
    if (simulateInto(kernel, e.u, e.N, out) < e.N) return { y, finite: false };
    y.push(out);
  }
  return { y, finite: true };
}

/**
 * ŷ of one record (u: N × nu) into `out` (N × ny) from the kernel's x, with the θ in its memory,
 * a block of samples per kernel call. Returns N, or — not finite as in simulate.ts: an output or
 * the next state that is not (ŷ can overflow while x stays finite) — the first such sample k;
 * `out` then holds the outputs before k only.
 */
export function simulateInto(
  kernel: RnnKernel,
  u: Float64Array,
  N: number,
  out: Float64Array,
): number {
  const { nu, ny } = kernel.model;
  const block = kernel.lgRows.length;
  const { yhat } = kernel;
  for (let k0 = 0; k0 < N; k0 += block) {
    const n = Math.min(block, N - k0);
    kernel.u.set(u.subarray(k0 * nu, (k0 + n) * nu));
    // m < n: x_{k0+m+1} is not finite (ŷ up to sample m was computed).
    const m = kernel.simulate(n);
    let stop = m < n ? m : n;
    for (let i = 0; i < Math.min(m + 1, n) * ny; i++) {
      if (!Number.isFinite(yhat[i]!)) {
        stop = Math.min(stop, Math.floor(i / ny));
        break;
      }
    }
    out.set(yhat.subarray(0, stop * ny), k0 * ny);
    if (stop < n) return k0 + stop;
  }
  return N;
}
