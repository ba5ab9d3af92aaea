/**
 * Free-run simulation (ALGORITHM.md §1): from x[0] = x0, for k = 0..N−1,
 *   ŷ[k] = g(x[k], u[k]; θ),   x[k+1] = f(x[k], u[k]; θ).
 * A simulation that produces a non-finite value stops there and reports `finite: false`
 * (the remaining outputs are NaN): solvers treat it as a rejected step, never a crash.
 */
import { NailsError } from './errors.js';
import { Cancelled, type ShouldStop } from './solver/cancellation.js';
import type { Experiment } from './data/experiment.js';
import type { Model } from './models/model.js';

export interface Simulation {
  /** ŷ: N × ny, row-major. */
  y: Float64Array;
  /** x: (N + 1) × nx when states were requested. */
  x?: Float64Array;
  /** x[N]: the state after the last sample (nx; NaN when not finite). */
  xEnd: Float64Array;
  finite: boolean;
}

/** Simulates one record driven by `u` (N × nu) from `x0` (nx). */
export function simulate(
  model: Model,
  theta: Float64Array,
  u: Float64Array,
  N: number,
  x0: ArrayLike<number>,
  keepStates = false,
  /** Polled every 4096 steps; throws Cancelled when it turns true (a solver's trial simulations). */
  shouldStop?: ShouldStop,
): Simulation {
  const { nx, nu, ny } = model;
  if (theta.length !== model.nTheta) {
    throw new NailsError(
      `theta has ${theta.length} entries but the model has ${model.nTheta} parameters`,
      'theta',
    );
  }
  if (x0.length !== nx)
    throw new NailsError(`x0 has ${x0.length} entries but the model has nx = ${nx} states`, 'x0');
  if (u.length !== N * nu)
    throw new NailsError(`u has ${u.length} values, expected N × nu = ${N} × ${nu}`, 'u');
  const y = new Float64Array(N * ny);
  const xs = keepStates ? new Float64Array((N + 1) * nx) : undefined;
  let x = Float64Array.from(x0);
  let xn = new Float64Array(nx);
  let finite = true;
  for (let k = 0; k < N; k++) {
    if ((k & 4095) === 4095 && shouldStop?.()) throw new Cancelled();
    if (xs) xs.set(x, k * nx);
    model.step(theta, x, u, k * nu, xn, y, k * ny);
    let ok = true;
    for (let r = 0; r < ny; r++) if (!Number.isFinite(y[k * ny + r]!)) ok = false;
    for (let i = 0; i < nx; i++) if (!Number.isFinite(xn[i]!)) ok = false;
    if (!ok) {
      finite = false;
      y.fill(NaN, k * ny);
      xs?.fill(NaN, (k + 1) * nx);
      break;
    }
    const t = x;
    x = xn;
    xn = t;
  }
  if (xs && finite) xs.set(x, N * nx);
  const xEnd = finite ? Float64Array.from(x) : new Float64Array(nx).fill(NaN);
  return xs ? { y, x: xs, xEnd, finite } : { y, xEnd, finite };
}

/**
 * Simulates every experiment from its own initial state; `x0s` is E × nx (row j = x0_j).
 * @returns one ŷ (N_j × ny) and final state x_j[N_j] (nx) per experiment, and whether all stayed finite.
 */
export function simulateExperiments(
  model: Model,
  theta: Float64Array,
  experiments: readonly Experiment[],
  x0s: Float64Array,
  shouldStop?: ShouldStop,
): { y: Float64Array[]; xEnd: Float64Array[]; finite: boolean } {
  const nx = model.nx;
  if (x0s.length !== experiments.length * nx) {
    throw new NailsError(
      `x0s has ${x0s.length} entries, expected experiments × nx = ${experiments.length} × ${nx}`,
      'x0s',
    );
  }
  let finite = true;
  const xEnd: Float64Array[] = [];
  const y = experiments.map((e, j) => {
    if (e.nu !== model.nu || e.ny !== model.ny) {
      throw new NailsError(
        `experiment '${e.name}' has nu=${e.nu}, ny=${e.ny} but the model has nu=${model.nu}, ny=${model.ny}`,
        e.name,
      );
    }
    const s = simulate(
      model,
      theta,
      e.u,
      e.N,
      x0s.subarray(j * nx, (j + 1) * nx),
      false,
      shouldStop,
    );
    finite &&= s.finite;
    xEnd.push(s.xEnd);
    return s.y;
  });
  return { y, xEnd, finite };
}
