/**
 * Regularisation path: ADMM for a sweep of τ values with warm starts (each τ starts from the
 * previous τ's iterate), reporting for each τ the training and validation metrics, the non-zeros
 * and the states kept — the table to choose τ from.
 */
import type { Experiment } from '../data/experiment.js';
import { channelMetrics } from '../metrics.js';
import { dataLoss } from '../objective.js';
import { simulate } from '../simulate.js';
import { unpackZ, type Problem } from '../solver/problem.js';
import { estimateX0LeastSquares } from '../solver/x0-estimation.js';
import { admm, type AdmmOptions } from './admm.js';
import { sparsityReport } from './sparsity.js';
import type { TermConfig } from './terms.js';

export interface PathPoint {
  tau: number;
  /** Data loss (1/N Σ ℓ) on the training experiments, polished model. */
  trainLoss: number;
  /** Mean fit % over output channels (training, from the trained x0). */
  trainFit: number;
  /** On the validation experiments, x0 by least squares with θ fixed. */
  validationLoss?: number;
  validationFit?: number;
  nonZeros: number;
  parameters: number;
  statesKept: number;
  inputsKept: number;
  admmIterations: number;
  z: Float64Array;
}

function fits(
  model: Problem['model'],
  theta: Float64Array,
  exps: readonly Experiment[],
  x0s: (e: Experiment, j: number) => Float64Array,
) {
  const yhat = exps.map((e, j) => simulate(model, theta, e.u, e.N, x0s(e, j)).y);
  const fit = exps.map((e, j) => {
    const m = channelMetrics(e.y, yhat[j]!, e.ny);
    return m.reduce((s, c) => s + c.fit, 0) / m.length;
  });
  return { yhat, fit: fit.reduce((a, b) => a + b, 0) / fit.length };
}

export function regularizationPath(
  p: Problem,
  z0: Float64Array,
  terms: (tau: number) => TermConfig[],
  taus: readonly number[],
  o: AdmmOptions & { validation?: Experiment[]; onPoint?: (pt: PathPoint) => void },
): PathPoint[] {
  const points: PathPoint[] = [];
  let z: Float64Array = Float64Array.from(z0);
  const { model } = p;
  for (const tau of taus) {
    const r = admm(p, z, terms(tau), o);
    z = r.z;
    const zf = r.polished?.z ?? r.z;
    const { theta, x0s } = unpackZ(p, zf);
    const nx = model.nx;
    const train = fits(model, theta, p.experiments, (_, j) => x0s.subarray(j * nx, (j + 1) * nx));
    const rep = sparsityReport(model, zf, p.experiments.length, p.trainX0);
    const pt: PathPoint = {
      tau,
      trainLoss: dataLoss(p.loss, p.experiments, train.yhat),
      trainFit: train.fit,
      nonZeros: rep.nonZeros,
      parameters: rep.parameters,
      statesKept: nx - rep.removableStates.length,
      inputsKept: model.nu - rep.removableInputs.length,
      admmIterations: r.iterations,
      z: zf,
    };
    if (o.validation && o.validation.length > 0) {
      const v = fits(
        model,
        theta,
        o.validation,
        (e) => estimateX0LeastSquares(model, theta, e.u, e.y, { loss: p.loss }).x0,
      );
      pt.validationLoss = dataLoss(p.loss, o.validation, v.yhat);
      pt.validationFit = v.fit;
    }
    points.push(pt);
    o.onPoint?.(pt);
  }
  return points;
}
