/**
 * A WebAssembly kernel per state-space net for simulation only (the objective's value outside a
 * search: ADMM's values, the linear stage's, the start's), so that V(z) runs the same kernels as
 * the Gauss–Newton pass and the line search (rnn-simulate-loss.ts) whoever asks for it. A thread
 * that trains then compiles no TypeScript model code at all: that is what a sweep's every new
 * solver thread used to spend its first fit optimizing.
 *
 * One small kernel instance per model (its own memory, not one of the thread's released
 * instances: the model's table and the buffers of `rnnBufferLengths` for blocks of BLOCK
 * samples), kept while the model lives. Which engine serves is decided at the model's first
 * value (`NAILS_DERIVATIVES` read then).
 */
import { SyrkAccumulator } from '../linalg/syrk-wasm.js';
import { allocJacobians, jacobianSizes, type Model } from '../models/model.js';
import {
  defaultDerivativeEngine,
  RnnKernel,
  rnnBufferLengths,
  rnnKernelApplies,
} from './rnn-kernel.js';

/** Samples per kernel call. */
const BLOCK = 256;

const kernels = new WeakMap<Model, RnnKernel | null>();

/**
 * The model's simulation kernel, or null where the TypeScript model simulates: a custom
 * (equation) model, `NAILS_DERIVATIVES=typescript`, or an engine without the WebAssembly build.
 */
export function simulationKernel(model: Model): RnnKernel | null {
  const known = kernels.get(model);
  if (known !== undefined) return known;
  let kernel: RnnKernel | null = null;
  if (defaultDerivativeEngine() === 'wasm' && rnnKernelApplies(model)) {
    const jacSizes = Object.values(jacobianSizes(model));
    // Its own small instance, never handed back (the model keeps it while it lives).
    const acc = new SyrkAccumulator(
      1,
      1,
      undefined,
      [...jacSizes, ...rnnBufferLengths(model, BLOCK)],
      false,
    );
    if (acc.rnn) {
      const jacArrays = acc.extra.slice(0, jacSizes.length);
      let next = 0;
      const jac = allocJacobians(model, () => jacArrays[next++]!);
      kernel = new RnnKernel(model, acc.rnn, acc.extra.slice(jacSizes.length), jac);
    }
  }
  kernels.set(model, kernel);
  return kernel;
}
