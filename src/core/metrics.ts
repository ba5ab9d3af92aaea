/**
 * Metrics per output channel (ALGORITHM.md §7), skipping the first `nInit` samples, with the
 * population standard deviation:
 *   RMSE = sqrt(mean e²),  NRMSE = RMSE / std(y),  R² = 1 − NRMSE²,
 *   fit (BFR, %) = 100 (1 − ‖e‖ / ‖y − mean(y)‖),  accuracy (%) = share of (ŷ ≥ ½) = (y ≥ ½).
 * Hence R² = 1 − NRMSE² and fit = 100 (1 − NRMSE) exactly.
 */
import { NailsError } from './errors.js';

export interface ChannelMetrics {
  rmse: number;
  nrmse: number;
  r2: number;
  fit: number;
  accuracy: number;
}

/** y, yhat: N × ny row-major. */
export function channelMetrics(
  y: Float64Array,
  yhat: Float64Array,
  ny: number,
  nInit = 0,
): ChannelMetrics[] {
  if (y.length !== yhat.length)
    throw new NailsError(`y has ${y.length} values but yhat has ${yhat.length}`, 'yhat');
  const N = y.length / ny;
  if (!(Number.isInteger(nInit) && nInit >= 0 && nInit < N)) {
    throw new NailsError(
      `nInit = ${nInit} must be an integer in [0, ${N}) for a record of ${N} samples`,
      'nInit',
    );
  }
  const n = N - nInit;
  const out: ChannelMetrics[] = [];
  for (let c = 0; c < ny; c++) {
    let mean = 0;
    for (let k = nInit; k < N; k++) mean += y[k * ny + c]!;
    mean /= n;
    let se = 0;
    let sv = 0;
    let hits = 0;
    for (let k = nInit; k < N; k++) {
      const yk = y[k * ny + c]!;
      const hk = yhat[k * ny + c]!;
      const e = yk - hk;
      se += e * e;
      sv += (yk - mean) * (yk - mean);
      if (hk >= 0.5 === yk >= 0.5) hits++;
    }
    const rmse = Math.sqrt(se / n);
    const std = Math.sqrt(sv / n);
    const nrmse = std > 0 ? rmse / std : Infinity;
    out.push({
      rmse,
      nrmse,
      r2: 1 - nrmse * nrmse,
      fit: 100 * (1 - nrmse),
      accuracy: (100 * hits) / n,
    });
  }
  return out;
}
