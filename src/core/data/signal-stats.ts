/**
 * Basic statistics of one signal (the data preview): mean, population standard deviation, min,
 * max over the finite samples, and how many samples are NaN or ±Inf. Two passes (mean, then the
 * squared deviations from it), so that a large offset does not cancel the variance.
 */

export interface SignalStatistics {
  mean: number;
  /** sqrt(Σ (x − mean)² / n) over the n finite samples. */
  std: number;
  min: number;
  max: number;
  /** Non-finite samples (NaN, ±Inf). */
  nan: number;
}

/** Statistics of x[start, end) (the whole signal by default); NaN fields when no sample is finite. */
export function signalStatistics(
  x: ArrayLike<number>,
  start = 0,
  end = x.length,
): SignalStatistics {
  let n = 0;
  let sum = 0;
  let nan = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = start; k < end; k++) {
    const v = x[k]!;
    if (!Number.isFinite(v)) {
      nan++;
      continue;
    }
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, nan };
  const mean = sum / n;
  let ss = 0;
  for (let k = start; k < end; k++) {
    const v = x[k]!;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, std: Math.sqrt(ss / n), min, max, nan };
}
