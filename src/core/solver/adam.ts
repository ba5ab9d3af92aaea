/**
 * Adam (Kingma & Ba 2015) on the full-batch objective V(z), the first-order baseline:
 *   m ← β₁ m + (1−β₁) ∇V,  v ← β₂ v + (1−β₂) ∇V²,  z ← z − η m̂ / (√v̂ + ε)
 * with bias-corrected m̂, v̂. A non-finite V at an iterate keeps the best point so far. Returns
 * the best iterate seen.
 */
import { NailsError } from '../errors.js';
import { valueAndGradient } from './adjoint-gradient.js';
import { Cancelled } from './cancellation.js';
import { checkProblem, unpackZ, type Problem, evaluateV } from './problem.js';
import {
  normInf,
  resolveOptions,
  STOP_MESSAGES,
  type IterationRecord,
  type SolverOptions,
  type SolverResult,
  type StopReason,
} from './types.js';

export interface AdamOptions extends SolverOptions {
  /** Learning rate η (default 1e-3). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export function adam(p: Problem, z0: Float64Array, options: AdamOptions = {}): SolverResult {
  checkProblem(p);
  if (p.quadratic || p.fixed)
    throw new NailsError(
      'the first-order baselines take the smooth objective only (no ADMM term, no fixed entries)',
      'method',
    );
  const o = resolveOptions(options);
  const lr = options.learningRate ?? 1e-3;
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.epsilon ?? 1e-8;
  const t0 = performance.now();
  const n = z0.length;
  const z = Float64Array.from(z0);
  const best = Float64Array.from(z0);
  const g = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const history: IterationRecord[] = [];
  let bestValue = Infinity;
  let status: StopReason;
  let iterations = 0;
  let evaluations = 0;
  try {
    while (true) {
      if (o.shouldStop?.()) {
        status = 'cancelled';
        break;
      }
      const tIter = performance.now();
      const value = valueAndGradient(p, z, g, o.shouldStop);
      evaluations++;
      if (!Number.isFinite(value)) {
        if (iterations === 0) {
          status = 'not-finite';
          break;
        }
        // Step back to the best point and halve nothing else: Adam has no line search.
        z.set(best);
        continue;
      }
      if (value < bestValue) {
        bestValue = value;
        best.set(z);
      }
      const gNorm = normInf(g);
      const now = performance.now();
      const rec: IterationRecord = {
        iteration: iterations,
        value,
        gradNorm: gNorm,
        stepNorm: NaN,
        alpha: lr,
        accepted: true,
        elapsed: (now - t0) / 1000,
        seconds: (now - tIter) / 1000,
      };
      if (iterations > 0) {
        history.push(rec);
        o.onIteration?.(rec, best);
      }
      if (gNorm <= o.gtol) {
        status = 'gtol';
        break;
      }
      if (iterations >= o.maxIterations) {
        status = 'max-iterations';
        break;
      }
      if ((now - t0) / 1000 >= o.maxSeconds) {
        status = 'max-seconds';
        break;
      }
      iterations++;
      const c1 = 1 - b1 ** iterations;
      const c2 = 1 - b2 ** iterations;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        z[i] = z[i]! - (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    }
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status = 'cancelled';
    // Cancelled before the first evaluation finished: report V of the start.
    if (!Number.isFinite(bestValue)) bestValue = evaluateV(p, best);
  }
  const { theta, x0s } = unpackZ(p, best);
  return {
    method: 'Adam',
    z: best,
    theta,
    x0s,
    value: bestValue,
    status,
    message: STOP_MESSAGES[status],
    iterations,
    history,
    simulations: 0,
    sensitivities: evaluations,
    elapsed: (performance.now() - t0) / 1000,
  };
}
