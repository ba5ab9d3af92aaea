/**
 * Scores a trained model on every part of a compiled spec, in engineering units: training parts
 * from their trained x0, test and validation parts from an x0 estimated on their first n_init
 * samples (least squares, θ fixed; x0 = 0 when n_init = 0); metrics skip those samples.
 */
import { unscaleOutputs } from '../core/data/scaling.js';
import { NailsError } from '../core/errors.js';
import { makeLoss } from '../core/losses/index.js';
import { channelMetrics, type ChannelMetrics } from '../core/metrics.js';
import type { Model } from '../core/models/model.js';
import { simulateRecord } from '../core/solver/simulate-record.js';
import { estimateX0LeastSquares } from '../core/solver/x0-estimation.js';
import type { CompiledSpec } from './compiler.js';

export interface PartResult {
  kind: 'train' | 'test' | 'validation';
  name: string;
  N: number;
  nInit: number;
  x0: number[];
  /** 'not scored' when scoring failed (the run folder keeps the parameters; metrics are NaN). */
  x0Method: 'trained' | 'least squares on n_init samples' | 'zero' | 'not scored';
  /** Output channel names (the data's), one per entry of `channels`. */
  outputs: string[];
  channels: ChannelMetrics[];
  finite: boolean;
  /** ŷ in engineering units, N × ny. */
  yhat: Float64Array;
  /** RMSE per channel in the spec's `metric` unit (e.g. mV), when it declares one. */
  metric?: { unit: string; rmse: number[] };
}

/**
 * Scores every part of `c`. With `keepPredictions` false (metrics only, e.g. the linear
 * baseline) each part's ŷ is dropped once its metrics are computed (`yhat` is then empty), so
 * that only one part's N × ny array is alive at a time.
 */
export function evaluateParts(
  c: CompiledSpec,
  model: Model,
  theta: Float64Array,
  x0Train: Float64Array,
  keepPredictions = true,
): PartResult[] {
  const loss = makeLoss(c.resolved.loss);
  let trainIndex = 0;
  const metric = c.resolved.data.kind === 'file' ? c.resolved.data.metric : undefined;
  return c.parts.map((p) => {
    const nx = model.nx;
    let x0: Float64Array;
    let x0Method: PartResult['x0Method'];
    if (p.kind === 'train') {
      x0 = x0Train.slice(trainIndex * nx, (trainIndex + 1) * nx);
      trainIndex++;
      x0Method = 'trained';
    } else if (p.nInit > 0 && nx > 0) {
      x0Method = 'least squares on n_init samples';
      try {
        x0 = estimateX0LeastSquares(model, theta, p.scaled.u, p.scaled.y, {
          window: p.nInit,
          loss,
        }).x0;
      } catch (e) {
        // A model that does not simulate on this part: scored as not finite below.
        if (!(e instanceof NailsError)) throw e;
        x0 = new Float64Array(nx).fill(NaN);
      }
    } else {
      x0 = new Float64Array(nx);
      x0Method = 'zero';
    }
    const sim = simulateRecord(model, theta, p.scaled.u, p.scaled.N, x0);
    const yhat = unscaleOutputs(sim.y, c.scaling, sim.y); // in place: ŷ is N × ny per part
    const channels = sim.finite
      ? channelMetrics(p.raw.y, yhat, p.raw.ny, p.kind === 'train' ? 0 : p.nInit)
      : Array.from({ length: p.raw.ny }, () => ({
          rmse: Infinity,
          nrmse: Infinity,
          r2: -Infinity,
          fit: -Infinity,
          accuracy: 0,
        }));
    return {
      kind: p.kind,
      name: p.name,
      N: p.raw.N,
      nInit: p.kind === 'train' ? 0 : p.nInit,
      x0: [...x0],
      x0Method,
      outputs: p.outputs,
      channels,
      finite: sim.finite,
      yhat: keepPredictions ? yhat : new Float64Array(0),
      ...(metric
        ? {
            metric: {
              unit: metric.unit,
              rmse: channels.map((m, k) => m.rmse * metric.factors[k]!),
            },
          }
        : {}),
    };
  });
}
