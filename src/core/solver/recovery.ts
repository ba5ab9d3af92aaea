/**
 * Leaving degenerate points. When a Gauss–Newton run (NAILS or NAILM) ends `degenerate` — the
 * model's output constant, or no better than a constant predictor — the full Gauss–Newton step
 * from the start has walked into the constant predictor's basin (a stationary point of V). The
 * recovery goes back to the starting point, takes a short first-order phase there, and runs the
 * method again from where that phase ends:
 *
 *   attempt 1: 50 Adam epochs (η = 1e-2) from z₀, then the method
 *   attempt 2: 300 Adam epochs (η = 1e-2) from z₀, then the method
 *
 * Measured on the paper's binary-output problem from jax-sysid's start (bench/solvers.ts): NAILS
 * goes to the constant predictor (V = 0.6915) in 5 iterations; after 50–500 Adam epochs at
 * η = 1e-3…1e-2 it reaches V = 0.056–0.062 instead, and test accuracies of 86–96 % (the lowest
 * training losses generalise worst); 50 epochs at η = 1e-2 gave V = 0.0605 and 96.3 %. Runs that are not degenerate are returned as
 * they are, so the recovery costs nothing where the fit already works. The method's runs share
 * the iteration budget (the Adam epochs are extra); no budget left, no recovery. Every attempt is said in
 * `recovery`, and the history holds every phase, numbered on.
 */
import { adam } from './adam.js';
import type { Problem } from './problem.js';
import type { IterationRecord, SolverOptions, SolverResult } from './types.js';

export const RECOVERY_ATTEMPTS: readonly { epochs: number; learningRate: number }[] = [
  { epochs: 50, learningRate: 1e-2 },
  { epochs: 300, learningRate: 1e-2 },
];

/** Runs `method` from z0 and, while it ends degenerate, the recovery attempts. */
export function solveWithRecovery(
  p: Problem,
  z0: Float64Array,
  method: (z: Float64Array, o: SolverOptions) => SolverResult,
  o: SolverOptions,
): SolverResult {
  let offset = 0;
  let tOffset = 0;
  const history: IterationRecord[] = [];
  const shifted = (): SolverOptions => {
    const io = offset;
    const to = tOffset;
    return {
      ...o,
      onIteration: (r, z) => {
        const rec = { ...r, iteration: r.iteration + io, elapsed: r.elapsed + to };
        history.push(rec);
        o.onIteration?.(rec, z);
      },
    };
  };
  const first = method(z0, shifted());
  offset = first.iterations;
  tOffset = first.elapsed;
  let result = first;
  const recovery: string[] = [];
  let simulations = first.simulations;
  let sensitivities = first.sensitivities;
  const budget = o.maxIterations ?? 100;
  /** Iterations of the method so far (the budget it shares). */
  let used = first.iterations;
  for (const a of RECOVERY_ATTEMPTS) {
    const left = budget - used;
    if (result.status !== 'degenerate' || left <= 0 || (o.shouldStop?.() ?? false)) break;
    const warm = adam(p, z0, {
      ...shifted(),
      maxIterations: a.epochs,
      learningRate: a.learningRate,
      ftol: 0,
      xtol: 0,
      gtol: 0,
    });
    // Stryker disable next-line AssignmentOperator: Adam runs gradient passes only (its simulations are always 0)
    simulations += warm.simulations;
    sensitivities += warm.sensitivities;
    offset += warm.iterations;
    tOffset += warm.elapsed;
    const again = method(warm.z, { ...shifted(), maxIterations: left });
    used += again.iterations;
    simulations += again.simulations;
    sensitivities += again.sensitivities;
    recovery.push(
      `${result.method} ended degenerate at V = ${result.value.toExponential(4)} (${result.stopTest}); ` +
        `${warm.iterations} Adam epochs (learning rate ${a.learningRate}) from the start reached ` +
        `V = ${warm.value.toExponential(4)}, then ${again.method} ${again.status} at V = ${again.value.toExponential(4)}`,
    );
    offset += again.iterations;
    tOffset += again.elapsed;
    // The rerun replaces the degenerate result (the loop only gets here while the result is
    // degenerate), even when its V is higher: a degenerate point is not an answer.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: result is always degenerate here (the loop breaks otherwise), so the condition is always true and `<=` vs `<`/`>` or `true` cannot change it
    if (again.value <= result.value || result.status === 'degenerate') result = again;
  }
  if (recovery.length === 0) return first;
  return {
    ...result,
    initialValue: first.initialValue,
    recovery,
    iterations: offset,
    history,
    simulations,
    sensitivities,
    elapsed: tOffset,
  };
}
