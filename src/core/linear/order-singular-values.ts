/**
 * The singular values the order recommendation reads (core/recommend.ts): those of the linear
 * stage's L32 by PO-MOESP (horizon 10) on the standardised training experiments, over at most the
 * first ORDER_SAMPLES samples (the cost of the LQ step grows with N; the gap shows well before).
 * Shared by `nails new` (src/run/new-spec.ts) and the language server's hover (src/language/recommendation.ts).
 */
import { experimentView, type Experiment } from '../data/experiment.js';
import { fitStandardScaling, scaleExperiment } from '../data/scaling.js';
import { poMoesp } from './po-moesp.js';

/** Training samples the singular values are computed from, at most. */
export const ORDER_SAMPLES = 20000;

/** PO-MOESP's horizon for the order estimate. */
const HORIZON = 10;

export interface OrderSingularValues {
  /** Largest first; empty when the subspace step cannot run (too few samples, non-finite values). */
  singularValues: number[];
  /** Samples used (the first ones, experiment by experiment, up to ORDER_SAMPLES). */
  used: number;
  /** All training samples. */
  total: number;
}

/**
 * The singular values of L32 over the first `limit` samples of `experiments` (taken in order:
 * the first experiments whole, the one that crosses the limit cut), each standardised with the
 * scaling fitted on what is used.
 */
export function orderSingularValues(
  experiments: readonly Experiment[],
  limit = ORDER_SAMPLES,
): OrderSingularValues {
  const total = experiments.reduce((s, e) => s + e.N, 0);
  const used: Experiment[] = [];
  let left = limit;
  for (const e of experiments) {
    if (left <= 0) break;
    const n = Math.min(e.N, left);
    if (n > 0) used.push(n === e.N ? e : experimentView(e, 0, n));
    left -= n;
  }
  const count = used.reduce((s, e) => s + e.N, 0);
  try {
    const scaling = fitStandardScaling(used);
    const scaled = used.map((e) => scaleExperiment(e, scaling));
    return {
      singularValues: poMoesp(scaled, 1, { horizon: HORIZON }).singularValues,
      used: count,
      total,
    };
  } catch {
    return { singularValues: [], used: count, total };
  }
}
