/**
 * The data term of the objective, Σ_j Σ_k ℓ(y_j[k], ŷ_j[k]), with the free-run simulation in
 * WebAssembly (kernels/rnn-pass.ts's rnnSimulate, a block of `chunk` samples per call) and the
 * loss in TypeScript over each block's ŷ. It is simulate-loss.ts's `simulateLoss` for the
 * state-space net: the same samples in the same order and the same additions, so the two agree
 * to the last bit where the model has no transcendental function (the kernels' tanh is
 * kernels/tanh.ts, within 2 ulp of V8's; the other activations AssemblyScript's libm; see
 * test/core/rnn-kernel.test.ts), and with the WebAssembly Gauss–Newton pass's V to rounding (the
 * pass sums each record first).
 * A line search's trial points then run no TypeScript model code at all, which is also what a
 * new solver thread no longer has to compile (sweeps start one per worker).
 */
import type { Experiment } from '../data/experiment.js';
import type { Loss } from '../losses/loss.js';
import { checkSimulationShapes, type SimulatedLoss } from '../simulate-loss.js';
import { Cancelled, type ShouldStop } from './cancellation.js';
import type { RnnKernel } from './rnn-kernel.js';

/**
 * Simulates each experiment from its x0 (`x0s`: E × nx) with θ (copied into the kernel's memory)
 * and sums the loss; stops at the first non-finite output or state (`finite` false). Throws
 * Cancelled when `shouldStop` turns true (polled once per block); shapes checked as simulateLoss
 * checks them.
 */
export function simulateLossKernel(
  kernel: RnnKernel,
  theta: Float64Array,
  experiments: readonly Experiment[],
  x0s: Float64Array,
  loss: Loss,
  shouldStop?: ShouldStop,
): SimulatedLoss {
  const { nx, nu, ny } = kernel.model;
  checkSimulationShapes(kernel.model, theta, experiments, x0s);
  const block = kernel.lgRows.length;
  kernel.theta.set(theta);
  const { yhat, x, u } = kernel;
  let sum = 0;
  let finite = true;
  const xEnd: Float64Array[] = [];
  // One exit: a diverging trial (rare, and late in a fit) then runs no code the engine compiled
  // the function without, so it is not deoptimized.
  records: for (let j = 0; j < experiments.length; j++) {
    const e = experiments[j]!;
    x.set(x0s.subarray(j * nx, (j + 1) * nx));
    for (let k0 = 0; k0 < e.N; k0 += block) {
      if (k0 > 0 && shouldStop?.()) throw new Cancelled();
      const n = Math.min(block, e.N - k0);
      u.set(e.u.subarray(k0 * nu, (k0 + n) * nu));
      const reached = kernel.simulate(n);
      // ŷ_k is computed from a finite x_k for every k ≤ reached (the kernel stops at the first
      // sample whose x_{k+1} is not finite; as in simulateLoss, that sample's loss is not added).
      for (let k = 0; k < n; k++) {
        let bad = k === reached;
        for (let r = 0; r < ny; r++) if (!Number.isFinite(yhat[k * ny + r]!)) bad = true;
        if (bad) {
          finite = false;
          break records;
        }
        sum += loss.evaluate(e.y, (k0 + k) * ny, yhat, k * ny, ny);
      }
    }
    xEnd.push(Float64Array.from(x));
  }
  return { sum, xEnd, finite };
}
