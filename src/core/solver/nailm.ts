/**
 * NAILM: sequential least squares with a Levenberg–Marquardt trust region (ALGORITHM.md §3).
 *
 *   solve (M + λ D) Δ = −∇V;   ϱ = (V(z) − V(z + Δ)) / (q(0) − q(Δ))
 *   accept when ϱ > η:  λ ← λ · max(1/3, 1 − (2ϱ − 1)³),  ν ← 2     (Nielsen's rule)
 *   reject otherwise:   λ ← ν λ,  ν ← 2ν
 *
 * λ starts at τ · max diag(M) (τ = 1e-3). A failed Cholesky factorisation or a non-finite trial
 * simulation is a rejected step. Stops on the budgets, ftol, xtol, gtol, cancel, or when λ
 * passes 1e16 · max diag(M) without an acceptable step.
 */
import { solveDamped, predictedDecrease, type DampingScaling } from './block-arrow.js';
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

export interface NailmOptions extends SolverOptions {
  /** τ in λ₀ = τ · max diag(M) (default 1e-3). */
  tau?: number;
  /** Start from this λ instead (e.g. warm start from a previous run). */
  lambda0?: number;
  /** D = I (default) or diag(M). */
  scaling?: DampingScaling;
  /** Acceptance threshold η on the gain ratio (default 1e-3). */
  eta?: number;
}

export function nailm(
  p: Problem,
  z0: Float64Array,
  options: NailmOptions = {},
): SolverResult & { lambda: number } {
  checkProblem(p);
  const o = resolveOptions(options);
  const eta = options.eta ?? 1e-3;
  const scaling = options.scaling ?? 'identity';
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const ws = new GaussNewtonWorkspace(p, o.chunk);
  const z = Float64Array.from(z0);
  const trial = new Float64Array(zSize(p));
  const delta = new Float64Array(zSize(p));
  const history: IterationRecord[] = [];
  let simulations = 0;
  let sensitivities = 0;
  let lambda = NaN;
  let nu = 2;
  let status: StopReason;
  let iterations = 0;
  let sys: GaussNewtonSystem | undefined;
  /** V(z) of the current (last accepted) z. */
  let value = Infinity;

  const finish = (s: StopReason) => {
    const { theta, x0s } = unpackZ(p, z);
    return {
      method: 'NAILM',
      z,
      theta,
      x0s,
      value,
      status: s,
      message: STOP_MESSAGES[s],
      iterations,
      history,
      simulations,
      sensitivities,
      elapsed: seconds(),
      lambda,
    };
  };

  try {
    sys = accumulateGaussNewton(
      p,
      z,
      { chunk: o.chunk, ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}) },
      ws,
    );
    sensitivities++;
    if (!sys.finite) return finish('not-finite');
    value = sys.value;
    let maxDiag = maxDiagonal(sys);
    lambda = options.lambda0 ?? (options.tau ?? 1e-3) * maxDiag;
    if (normInf(gradientVector(sys)) <= o.gtol) return finish('gtol');
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
      const solved = solveDamped(sys, lambda, scaling, delta);
      let accepted = false;
      let stepNorm = NaN;
      let vTrial = Infinity;
      if (solved) {
        stepNorm = norm2(delta);
        for (let i = 0; i < z.length; i++) trial[i] = z[i]! + delta[i]!;
        vTrial = evaluateV(p, trial, o.shouldStop);
        simulations++;
        const pred = predictedDecrease(sys, delta);
        const rho = (sys.value - vTrial) / pred;
        if (Number.isFinite(vTrial) && pred > 0 && rho > eta) {
          accepted = true;
          const vOld = sys.value;
          z.set(trial);
          value = vTrial;
          sys = accumulateGaussNewton(
            p,
            z,
            { chunk: o.chunk, ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}) },
            ws,
          );
          sensitivities++;
          lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
          nu = 2;
          maxDiag = maxDiagonal(sys);
          const gNorm = normInf(gradientVector(sys));
          record(history, o, z, iterations, sys.value, gNorm, stepNorm, lambda, true, t0, tIter);
          const converged = convergedAfterStep(o, { gNorm, vOld, value: sys.value, stepNorm, z });
          if (converged) {
            status = converged;
            break;
          }
          continue;
        }
      }
      if (!accepted) {
        lambda *= nu;
        nu *= 2;
        record(history, o, z, iterations, sys.value, NaN, stepNorm, lambda, false, t0, tIter);
        if (lambda > 1e16 * Math.max(maxDiag, 1e-300) || !Number.isFinite(lambda)) {
          status = 'damping-limit';
          break;
        }
      }
    }
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    status = 'cancelled';
    // Cancelled before the first evaluation finished: report V of the start.
    if (!Number.isFinite(value)) value = evaluateV(p, z);
    // z holds the last accepted point; its value is that of the last complete system.
  }
  return finish(status);
}

function maxDiagonal(sys: GaussNewtonSystem): number {
  let m = 0;
  for (let a = 0; a < sys.nTheta; a++) m = Math.max(m, sys.Mtt[a * sys.nTheta + a]!);
  for (const Mxx of sys.Mxx) for (let i = 0; i < sys.nx; i++) m = Math.max(m, Mxx[i * sys.nx + i]!);
  return m;
}

function record(
  history: IterationRecord[],
  o: SolverOptions,
  z: Float64Array,
  iteration: number,
  value: number,
  gradNorm: number,
  stepNorm: number,
  lambda: number,
  accepted: boolean,
  t0: number,
  tIter: number,
): void {
  const now = performance.now();
  const rec: IterationRecord = {
    iteration,
    value,
    gradNorm,
    stepNorm,
    lambda,
    accepted,
    elapsed: (now - t0) / 1000,
    seconds: (now - tIter) / 1000,
  };
  history.push(rec);
  o.onIteration?.(rec, z);
}
