/**
 * Is the model at z degenerate? Two tests on the training record, free-run simulated from z:
 *
 *   constant output:          std(ŷ_c) ≤ 1e-3 · std(y_c) for every output channel c
 *   no better than constant:  (1/N) Σ ℓ(y_k, ŷ_k) ≥ (1 − 0.03) · min_c (1/N) Σ ℓ(y_k, c)
 *
 * where the constant predictors c tried are the per-channel mean of y and its logit (the best
 * constant of the squared error and of the cross-entropy on a sigmoid output, and of the logistic
 * loss on a logit output). A degenerate point may be stationary (the constant predictor is), so
 * the driver checks this before calling a point converged.
 */
import type { Experiment } from '../data/experiment.js';
import { dataLoss } from '../objective.js';
import { simulateExperiments } from '../simulate.js';
import { unpackZ, type Problem } from './problem.js';
import type { RnnKernel } from './rnn-kernel.js';
import { simulateOutputsKernel } from './rnn-simulate-outputs.js';
import { simulationKernel } from './simulation-kernel.js';
import type { StopTest } from './types.js';

export interface Degeneracy {
  test: Extract<StopTest, 'constant-output' | 'no-better-than-constant'>;
  /** Data loss of the model and of the best constant tried. */
  loss: number;
  constantLoss: number;
  /** max_c std(ŷ_c) / std(y_c). */
  outputSpread: number;
}

/** Share of the constant predictor's loss the model must remove not to be degenerate. */
export const DEGENERATE_GAIN = 0.03;

function channelStats(exps: readonly Experiment[], series: readonly Float64Array[], ny: number) {
  const mean = new Float64Array(ny);
  const sq = new Float64Array(ny);
  let n = 0;
  exps.forEach((e, j) => {
    const s = series[j]!;
    for (let k = 0; k < e.N; k++)
      // Stryker disable next-line EqualityOperator: `<=` only adds reads and writes past the end of typed arrays (ignored, and NaN into an ignored slot)
      for (let c = 0; c < ny; c++) {
        const v = s[k * ny + c]!;
        mean[c] = mean[c]! + v;
        sq[c] = sq[c]! + v * v;
      }
    n += e.N;
  });
  const std = new Float64Array(ny);
  // Stryker disable next-line EqualityOperator: `<=` only adds reads and writes past the end of typed arrays (ignored, and NaN into an ignored slot)
  for (let c = 0; c < ny; c++) {
    mean[c] = mean[c]! / n;
    std[c] = Math.sqrt(Math.max(sq[c]! / n - mean[c]! * mean[c]!, 0));
  }
  return { mean, std };
}

/**
 * The degeneracy of z, or undefined when the model is not degenerate (or does not simulate).
 * `kernel` as evaluateV's: the model's simulation kernel by default, null for the TypeScript
 * simulation.
 */
export function degeneracy(
  p: Problem,
  z: Float64Array,
  kernel?: RnnKernel | null,
): Degeneracy | undefined {
  const { theta, x0s } = unpackZ(p, z);
  const k = kernel === undefined ? simulationKernel(p.model) : kernel;
  const sim = k
    ? simulateOutputsKernel(k, theta, p.experiments, x0s)
    : simulateExperiments(p.model, theta, p.experiments, x0s);
  if (!sim.finite) return undefined;
  const ny = p.model.ny;
  const ys = p.experiments.map((e) => e.y);
  const data = channelStats(p.experiments, ys, ny);
  const model = channelStats(p.experiments, sim.y, ny);
  let spread = 0;
  for (let c = 0; c < ny; c++)
    spread = Math.max(spread, model.std[c]! / Math.max(data.std[c]!, Number.MIN_VALUE));
  const constant = (value: (c: number) => number) =>
    dataLoss(
      p.loss,
      p.experiments,
      p.experiments.map((e) => {
        const h = new Float64Array(e.N * ny);
        // Stryker disable next-line EqualityOperator: `<=` only adds reads and writes past the end of typed arrays (ignored, and NaN into an ignored slot)
        for (let k = 0; k < e.N; k++) for (let c = 0; c < ny; c++) h[k * ny + c] = value(c);
        return h;
      }),
    );
  const m = data.mean;
  const logit = (c: number) => {
    const q = Math.min(Math.max(m[c]!, 1e-12), 1 - 1e-12);
    return Math.log(q / (1 - q));
  };
  const candidates = [constant((c) => m[c]!)];
  if ([...m].every((v) => v > 0 && v < 1)) candidates.push(constant(logit));
  const constantLoss = Math.min(...candidates.filter(Number.isFinite));
  const loss = dataLoss(p.loss, p.experiments, sim.y);
  const anyVariation = [...data.std].some((s) => s > 0);
  if (!anyVariation) return undefined;
  if (spread <= 1e-3) return { test: 'constant-output', loss, constantLoss, outputSpread: spread };
  if (Number.isFinite(constantLoss) && loss >= (1 - DEGENERATE_GAIN) * constantLoss)
    return { test: 'no-better-than-constant', loss, constantLoss, outputSpread: spread };
  return undefined;
}
