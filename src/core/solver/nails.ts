/**
 * NAILS: sequential least squares with a backtracking line search (ALGORITHM.md §3).
 *
 *   Δ = −(M + μ I)⁻¹ ∇V   (μ = 0, or the smallest of 1e-12·max diag(M)·10^k that factorises)
 *   z⁺ = z + α Δ,  α ∈ {1, β, β², …} until  V(z + αΔ) ≤ V(z) + c α ∇Vᵀ Δ   (c = 1e-4, β = 0.5)
 *
 * A non-finite V at a trial is a rejected trial. No acceptable α within `maxBacktracks`
 * trials ends the run with status `line-search-failed`.
 */
import { directionalDerivative, solveDamped } from './block-arrow.js';
import { Cancelled } from './cancellation.js';
import {
  accumulateGaussNewton,
  GaussNewtonWorkspace,
  gradientVector,
  type GaussNewtonSystem,
} from './gauss-newton.js';
import { checkProblem, evaluateV, unpackZ, zSize, type Problem } from './problem.js';
import {
  norm2,
  normInf,
  resolveOptions,
  convergedAfterStep,
  STOP_MESSAGES,
  type IterationRecord,
  type SolverOptions,
  type SolverResult,
  type StopReason,
} from './types.js';

export interface NailsOptions extends SolverOptions {
  /** Armijo constant c (default 1e-4). */
  c?: number;
  /** Backtracking factor β (default 0.5). */
  beta?: number;
  /** Trials per line search (default 30). */
  maxBacktracks?: number;
}

export function nails(p: Problem, z0: Float64Array, options: NailsOptions = {}): SolverResult {
  checkProblem(p);
  const o = resolveOptions(options);
  const c = options.c ?? 1e-4;
  const beta = options.beta ?? 0.5;
  const maxBacktracks = options.maxBacktracks ?? 30;
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const ws = new GaussNewtonWorkspace(p, o.chunk);
  const accumulate = (at: Float64Array) =>
    accumulateGaussNewton(
      p,
      at,
      { chunk: o.chunk, ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}) },
      ws,
    );
  const z = Float64Array.from(z0);
  const trial = new Float64Array(zSize(p));
  const delta = new Float64Array(zSize(p));
  const history: IterationRecord[] = [];
  let simulations = 0;
  let sensitivities = 0;
  let status: StopReason;
  let iterations = 0;
  let value = Infinity;
  let sys: GaussNewtonSystem | undefined;

  try {
    sys = accumulate(z);
    sensitivities++;
    if (!sys.finite) status = 'not-finite';
    else {
      value = sys.value;
      if (normInf(gradientVector(sys)) <= o.gtol) status = 'gtol';
      else
        while (true) {
          if (iterations >= o.maxIterations) {
            status = 'max-iterations';
            break;
          }
          if (seconds() >= o.maxSeconds) {
            status = 'max-seconds';
            break;
          }
          if (o.shouldStop?.()) {
            status = 'cancelled';
            break;
          }
          const tIter = performance.now();
          iterations++;
          // Smallest damping that makes M + μI factorise (μ = 0 first).
          let maxDiag = 0;
          for (let a = 0; a < sys.nTheta; a++)
            maxDiag = Math.max(maxDiag, sys.Mtt[a * sys.nTheta + a]!);
          let mu = 0;
          while (!solveDamped(sys, mu, 'identity', delta)) {
            mu = mu === 0 ? 1e-12 * Math.max(maxDiag, 1e-300) : mu * 10;
            if (mu > 1e10 * Math.max(maxDiag, 1)) break;
          }
          const dd = directionalDerivative(sys, delta);
          if (!(dd < 0)) {
            status = 'line-search-failed';
            break;
          }
          let alpha = 1;
          let found = false;
          let vTrial = Infinity;
          for (let t = 0; t < maxBacktracks; t++) {
            for (let i = 0; i < z.length; i++) trial[i] = z[i]! + alpha * delta[i]!;
            vTrial = evaluateV(p, trial, o.shouldStop);
            simulations++;
            if (Number.isFinite(vTrial) && vTrial <= value + c * alpha * dd) {
              found = true;
              break;
            }
            alpha *= beta;
          }
          if (!found) {
            status = 'line-search-failed';
            break;
          }
          const vOld = value;
          z.set(trial);
          value = vTrial;
          sys = accumulate(z);
          sensitivities++;
          const gNorm = normInf(gradientVector(sys));
          const stepNorm = alpha * norm2(delta);
          const now = performance.now();
          const rec: IterationRecord = {
            iteration: iterations,
            value,
            gradNorm: gNorm,
            stepNorm,
            alpha,
            accepted: true,
            elapsed: (now - t0) / 1000,
            seconds: (now - tIter) / 1000,
          };
          history.push(rec);
          o.onIteration?.(rec, z);
          const converged = convergedAfterStep(o, { gNorm, vOld, value, stepNorm, z });
          if (converged) {
            status = converged;
            break;
          }
        }
    }
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status = 'cancelled';
    // Cancelled before the first evaluation finished: report V of the start.
    if (!Number.isFinite(value)) value = evaluateV(p, z);
  }
  const { theta, x0s } = unpackZ(p, z);
  return {
    method: 'NAILS',
    z,
    theta,
    x0s,
    value,
    status,
    message: STOP_MESSAGES[status],
    iterations,
    history,
    simulations,
    sensitivities,
    elapsed: seconds(),
  };
}
