/**
 * The data term of the objective summed while simulating: Σ_j Σ_k ℓ(y_j[k], ŷ_j[k]) with ŷ from
 * the free-run simulation (simulate.ts), one sample at a time, so that evaluating V at a trial
 * point allocates nothing of the record's length (a 1e6-sample record would otherwise cost an
 * 8 MB ŷ array per line-search or trust-region trial). Same order of additions as `dataLoss`
 * over a stored simulation, hence the same value to the last bit.
 */
import { NailsError } from './errors.js';
import { Cancelled, type ShouldStop } from './solver/cancellation.js';
import type { Experiment } from './data/experiment.js';
import type { Loss } from './losses/loss.js';
import type { Model } from './models/model.js';

export interface SimulatedLoss {
  /** Σ_j Σ_k ℓ (not divided by N); meaningless when not finite. */
  sum: number;
  /** x_j[N_j] per experiment (nx each), for the continuity terms of multiple shooting. */
  xEnd: Float64Array[];
  /** Every ŷ and state stayed finite. */
  finite: boolean;
}

/**
 * Simulates each experiment from its x0 (`x0s`: E × nx) and sums the loss; stops at the first
 * non-finite output or state (then `finite` is false). Throws Cancelled when `shouldStop` turns
 * true (polled every 4096 steps, as `simulate` does).
 */
export function simulateLoss(
  model: Model,
  theta: Float64Array,
  experiments: readonly Experiment[],
  x0s: Float64Array,
  loss: Loss,
  shouldStop?: ShouldStop,
): SimulatedLoss {
  const { nx, nu, ny } = model;
  checkSimulationShapes(model, theta, experiments, x0s);
  const yk = new Float64Array(ny);
  let x = new Float64Array(nx);
  let xn = new Float64Array(nx);
  let sum = 0;
  const xEnd: Float64Array[] = [];
  for (let j = 0; j < experiments.length; j++) {
    const e = experiments[j]!;
    x.set(x0s.subarray(j * nx, (j + 1) * nx));
    for (let k = 0; k < e.N; k++) {
      if ((k & 4095) === 4095 && shouldStop?.()) throw new Cancelled();
      model.step(theta, x, e.u, k * nu, xn, yk, 0);
      for (let r = 0; r < ny; r++)
        if (!Number.isFinite(yk[r]!)) return { sum, xEnd, finite: false };
      for (let i = 0; i < nx; i++)
        if (!Number.isFinite(xn[i]!)) return { sum, xEnd, finite: false };
      sum += loss.evaluate(e.y, k * ny, yk, 0, ny);
      const t = x;
      x = xn;
      xn = t;
    }
    xEnd.push(Float64Array.from(x));
  }
  return { sum, xEnd, finite: true };
}

/** The checks of `simulate` / `simulateExperiments`, with their messages. */
export function checkSimulationShapes(
  model: Model,
  theta: Float64Array,
  experiments: readonly Experiment[],
  x0s: Float64Array,
): void {
  const { nx, nu, ny } = model;
  if (x0s.length !== experiments.length * nx)
    throw new NailsError(
      `x0s has ${x0s.length} entries, expected experiments × nx = ${experiments.length} × ${nx}`,
      'x0s',
    );
  for (const e of experiments)
    if (e.nu !== nu || e.ny !== ny)
      throw new NailsError(
        `experiment '${e.name}' has nu=${e.nu}, ny=${e.ny} but the model has nu=${nu}, ny=${ny}`,
        e.name,
      );
  if (theta.length !== model.nTheta)
    throw new NailsError(
      `theta has ${theta.length} entries but the model has ${model.nTheta} parameters`,
      'theta',
    );
}
