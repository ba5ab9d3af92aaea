/** The closing row of a run's history and the validation loss that selects among starts. */
import { NailsError } from '../errors.js';
import type { Experiment } from '../data/experiment.js';
import { dataLoss } from '../objective.js';
import { simulate } from '../simulate.js';
import type { Problem } from '../solver/problem.js';
import type { IterationRecord, SolverResult } from '../solver/types.js';
import { estimateX0LeastSquares } from '../solver/x0-estimation.js';

/**
 * The history with its last row at the returned point: a closing row is added when the solver's
 * last record is not it (e.g. cancelled after a step was accepted but before it was recorded).
 */
export function closeHistory(r: SolverResult): IterationRecord[] {
  const last = r.history[r.history.length - 1];
  if (last && sameValue(last.value, r.value)) return r.history;
  return [
    ...r.history,
    {
      iteration: Math.max(r.iterations, (last?.iteration ?? -1) + 1),
      value: r.value,
      gradNorm: NaN,
      stepNorm: NaN,
      accepted: true,
      elapsed: r.elapsed,
      seconds: NaN,
    },
  ];
}

/** Equal up to rounding (the value and its history row may be computed by different passes). */
export function sameValue(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** (1/N) Σ ℓ on held-out experiments, each x0 estimated by least squares with θ fixed. */
export function validationLoss(
  problem: Problem,
  theta: Float64Array,
  experiments: Experiment[],
): number {
  const { model, loss } = problem;
  try {
    const yhat = experiments.map((e) => {
      const { x0 } = estimateX0LeastSquares(model, theta, e.u, e.y, { loss });
      const s = simulate(model, theta, e.u, e.N, x0);
      if (!s.finite) throw new NailsError('not finite');
      return s.y;
    });
    return dataLoss(loss, experiments, yhat);
  } catch {
    return Infinity;
  }
}
