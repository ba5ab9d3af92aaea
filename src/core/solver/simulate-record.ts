/**
 * The free-run outputs of one record for scoring (language/evaluate.ts, run/evaluate-file.ts):
 *
 *   ŷ[k] = g(x[k], u[k]; θ),   x[k+1] = f(x[k], u[k]; θ),   x[0] = x0,   k = 0 … N − 1,
 *
 * in WebAssembly where the model has a simulation kernel (the state-space net on an engine with
 * the kernels: kernels/rnn-pass.ts's rnnSimulate, a block of samples per call), else by
 * simulate.ts. The two agree to rounding (the kernels' tanh is within 2 ulp of V8's;
 * test/core/simulate-record.test.ts); the kernel is about twice as fast (bench/scoring.ts), and
 * a run's scoring of 2e6 samples went from 2.5 s to 1.0 s. Not finite as in simulate.ts: the
 * first sample whose output or next state is not finite, and every output after it, are NaN.
 */
import type { Model } from '../models/model.js';
import { simulate } from '../simulate.js';
import { simulateInto } from './rnn-simulate-outputs.js';
import { simulationKernel } from './simulation-kernel.js';

/** ŷ (N × ny, row-major) from x0 (nx) driven by u (N × nu), and whether it stayed finite. */
export function simulateRecord(
  model: Model,
  theta: Float64Array,
  u: Float64Array,
  N: number,
  x0: Float64Array,
): { y: Float64Array; finite: boolean } {
  const kernel = simulationKernel(model);
  if (
    !kernel ||
    theta.length !== model.nTheta ||
    x0.length !== model.nx ||
    u.length !== N * model.nu
  )
    return simulate(model, theta, u, N, x0);
  const y = new Float64Array(N * model.ny);
  kernel.theta.set(theta);
  kernel.x.set(x0);
  const stop = simulateInto(kernel, u, N, y);
  if (stop === N) return { y, finite: true };
  y.fill(NaN, stop * model.ny);
  return { y, finite: false };
}
