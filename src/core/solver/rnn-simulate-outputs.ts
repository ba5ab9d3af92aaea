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
  const { nx, nu, ny } = kernel.model;
  checkSimulationShapes(kernel.model, theta, experiments, x0s);
  const block = kernel.lgRows.length;
  kernel.theta.set(theta);
  const { yhat, x, u } = kernel;
  const y: Float64Array[] = [];
  for (let j = 0; j < experiments.length; j++) {
    const e = experiments[j]!;
    const out = new Float64Array(e.N * ny);
    x.set(x0s.subarray(j * nx, (j + 1) * nx));
    for (let k0 = 0; k0 < e.N; k0 += block) {
      const n = Math.min(block, e.N - k0);
      u.set(e.u.subarray(k0 * nu, (k0 + n) * nu));
      // Not finite as in simulate.ts: a state or an output that is not (ŷ can overflow while x
      // stays finite).
      if (kernel.simulate(n) < n) return { y, finite: false };
      for (let i = 0; i < n * ny; i++) if (!Number.isFinite(yhat[i]!)) return { y, finite: false };
      out.set(yhat.subarray(0, n * ny), k0 * ny);
    }
    y.push(out);
  }
  return { y, finite: true };
}
