/**
 * Per-channel standard scaling, fitted on the training experiments (pooled) and stored with the
 * model so that predictions return in engineering units:
 *   u_s = (u − μ_u) / σ_u,   y_s = (y − μ_y) / σ_y   (population σ; σ = 0 is replaced by 1).
 */
import type { Experiment } from './experiment.js';

export interface Scaling {
  uMean: number[];
  uStd: number[];
  yMean: number[];
  yStd: number[];
}

/** The identity scaling for nu inputs and ny outputs. */
export function identityScaling(nu: number, ny: number): Scaling {
  return {
    uMean: Array<number>(nu).fill(0),
    uStd: Array<number>(nu).fill(1),
    yMean: Array<number>(ny).fill(0),
    yStd: Array<number>(ny).fill(1),
  };
}

/** Fits mean and population standard deviation per channel over all experiments. */
export function fitStandardScaling(experiments: readonly Experiment[]): Scaling {
  const e0 = experiments[0]!;
  const stats = (pick: (e: Experiment) => Float64Array, n: number) => {
    const mean = Array<number>(n).fill(0);
    const sq = Array<number>(n).fill(0);
    let count = 0;
    for (const e of experiments) {
      const a = pick(e);
      for (let k = 0; k < e.N; k++) for (let c = 0; c < n; c++) mean[c]! += a[k * n + c]!;
      count += e.N;
    }
    for (let c = 0; c < n; c++) mean[c]! /= count;
    for (const e of experiments) {
      const a = pick(e);
      for (let k = 0; k < e.N; k++)
        for (let c = 0; c < n; c++) {
          const d = a[k * n + c]! - mean[c]!;
          sq[c]! += d * d;
        }
    }
    const std = sq.map((s) => {
      const v = Math.sqrt(s / count);
      return v > 0 && Number.isFinite(v) ? v : 1;
    });
    return { mean, std };
  };
  const u = stats((e) => e.u, e0.nu);
  const y = stats((e) => e.y, e0.ny);
  return { uMean: u.mean, uStd: u.std, yMean: y.mean, yStd: y.std };
}

/**
 * (a − μ) / σ (forward) or a σ + μ per channel of a flat N × n array, into `out` (a new array by
 * default; `out` may be `a` itself).
 */
export function affine(
  a: Float64Array,
  n: number,
  mean: readonly number[],
  std: readonly number[],
  forward: boolean,
  out: Float64Array = new Float64Array(a.length),
): Float64Array {
  for (let i = 0; i < a.length; i++) {
    const c = i % n;
    out[i] = forward ? (a[i]! - mean[c]!) / std[c]! : a[i]! * std[c]! + mean[c]!;
  }
  return out;
}

/** The experiment in scaled units. */
export function scaleExperiment(e: Experiment, s: Scaling): Experiment {
  return {
    ...e,
    u: affine(e.u, e.nu, s.uMean, s.uStd, true),
    y: affine(e.y, e.ny, s.yMean, s.yStd, true),
  };
}

/**
 * Outputs (N × ny, scaled units) back to engineering units; into `out` when given (`y` itself
 * converts in place).
 */
export function unscaleOutputs(y: Float64Array, s: Scaling, out?: Float64Array): Float64Array {
  return affine(y, s.yMean.length, s.yMean, s.yStd, false, out);
}
