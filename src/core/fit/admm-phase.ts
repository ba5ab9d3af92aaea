/** The ADMM phase of a regularised run, warm-started from the smooth fit (ALGORITHM.md §5). */
import { unpackZ, type Problem } from '../solver/problem.js';
import { admm, type AdmmRecord } from '../admm/admm.js';
import { sparsityReport } from '../admm/sparsity.js';
import type { IterationRecord, SolverResult } from '../solver/types.js';
import type { AdmmSummary, FitSpec } from './types.js';

export function runAdmm(
  problem: Problem,
  warm: SolverResult,
  spec: FitSpec,
  hooks: {
    shouldStop?: () => boolean;
    onIteration?: (r: IterationRecord, z: Float64Array) => void;
  },
): { result: SolverResult; admmSummary: AdmmSummary } {
  const reg = spec.regularize!;
  let last = performance.now();
  // One ADMM iteration as an iteration record of the whole run (after the warm start).
  const asRecord = (a: AdmmRecord, seconds: number): IterationRecord => ({
    iteration: warm.iterations + a.iteration,
    value: a.valueAtNu,
    gradNorm: NaN,
    stepNorm: NaN,
    accepted: true,
    primal: a.primal,
    dual: a.dual,
    rhoA: a.rho,
    elapsed: warm.elapsed + a.elapsed,
    seconds,
    ...(a.lambda !== undefined ? { lambda: a.lambda } : {}),
  });
  const r = admm(problem, warm.z, reg.terms, {
    ...reg.admm,
    method: spec.method as 'nails' | 'nailm',
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    onIteration: (a) => {
      const now = performance.now();
      const rec = asRecord(a, (now - last) / 1000);
      last = now;
      // The live ADMM iterate is not exposed; progress carries the warm-start z.
      hooks.onIteration?.(rec, warm.z);
    },
  });
  const finalZ = r.polished?.z ?? r.z;
  const { theta, x0s } = unpackZ(problem, finalZ);
  const report = sparsityReport(problem.model, finalZ, problem.experiments.length, problem.trainX0);
  const history = [...warm.history, ...r.history.map((a) => asRecord(a, NaN))];
  if (r.polished)
    history.push({
      iteration: warm.iterations + r.iterations + Math.max(1, r.polished.iterations),
      value: r.polished.value,
      gradNorm: NaN,
      stepNorm: NaN,
      accepted: true,
      elapsed: warm.elapsed + r.elapsed,
      seconds: NaN,
    });
  return {
    result: {
      ...warm,
      method: r.method,
      z: finalZ,
      theta,
      x0s,
      value: r.polished?.value ?? r.value,
      status: r.status,
      stopTest: r.stopTest,
      message: r.message,
      firstOrder: NaN,
      iterations: warm.iterations + r.iterations,
      history,
      elapsed: warm.elapsed + r.elapsed,
    },
    admmSummary: {
      status: r.status,
      message: r.message,
      iterations: r.iterations,
      value: r.value,
      objective: r.objective,
      ...(r.polished
        ? { polishedValue: r.polished.value, polishedObjective: r.polished.objective }
        : {}),
      report,
    },
  };
}
