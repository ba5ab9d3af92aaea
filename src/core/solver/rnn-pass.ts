/**
 * One experiment of the Gauss–Newton pass with the model's derivatives in WebAssembly: per block
 * of `chunk` samples, one kernel call steps the model through the block with its derivatives and
 * the sensitivity step (ŷ and the rows of J, unscaled and row-major in the chunk's memory), the
 * loss gives ∇_ŷ ℓ and diag ∇²_ŷ ℓ per
 * sample (TypeScript: every loss of src/core/losses), then the rows are scaled by √(∇²ℓ) and
 * added to M with the gradient Jᵀ∇ℓ (one kernel call). The same chunks, in the same order and
 * with the same rounding, as the per-sample TypeScript loop of gauss-newton.ts.
 */
import type { Experiment } from '../data/experiment.js';
import type { SyrkAccumulator } from '../linalg/syrk-wasm.js';
import type { Loss } from '../losses/loss.js';
import { Cancelled, type ShouldStop } from './cancellation.js';
import type { RnnKernel } from './rnn-kernel.js';

/** The workspace arrays the pass writes (all in the kernel's memory). */
export interface RnnPassBuffers {
  kernel: RnnKernel;
  acc: SyrkAccumulator;
  /** Samples per chunk. */
  chunk: number;
  S: Float64Array;
  Snext: Float64Array;
  gloc: Float64Array;
  nf: number;
  ns: number;
}

/**
 * Runs experiment e from x (nx; the state after its last sample on return) and S (set to S_0 by
 * the caller; S_N on return), adding its rows to `acc` and its gradient to `gloc`. Returns the
 * sum of the losses, or NaN when a state or a loss is not finite. θ must be in `kernel.theta`.
 */
export function rnnExperimentPass(
  b: RnnPassBuffers,
  e: Experiment,
  loss: Loss,
  x: Float64Array,
  shouldStop?: ShouldStop,
): number {
  const { kernel, acc, chunk } = b;
  const { nu, ny } = e;
  kernel.x.set(x);
  let lossSum = 0;
  for (let k0 = 0; k0 < e.N; k0 += chunk) {
    const n = Math.min(chunk, e.N - k0);
    kernel.u.set(e.u.subarray(k0 * nu, (k0 + n) * nu));
    if (kernel.block(n, b.S, b.Snext, acc.At, acc.n, 0, b.nf, b.ns) < n) return NaN;
    const { yhat, lgRows, lhRows } = kernel;
    for (let k = 0; k < n; k++) {
      const l = loss.evaluate(e.y, (k0 + k) * ny, yhat, k * ny, ny, lgRows[k], lhRows[k]);
      if (!Number.isFinite(l)) return NaN;
      lossSum += l;
    }
    acc.addScaled(n * ny, kernel.lg, kernel.lh, b.gloc);
    if (n === chunk && shouldStop?.()) throw new Cancelled();
  }
  x.set(kernel.x);
  return lossSum;
}
