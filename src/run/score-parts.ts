/**
 * Scoring a trained model on every part of a compiled spec for the run folder (metrics and ŷ per
 * part, language/evaluate.ts), so that a failure to score still leaves a complete run folder.
 */
import type { Model } from '../core/models/model.js';
import type { CompiledSpec } from '../language/compiler.js';
import { evaluateParts, type PartResult } from '../language/evaluate.js';
import { partChannels } from './channels.js';

/**
 * Scores every part with the kept parameters; when scoring throws, the parts come back unscored
 * (metrics and ŷ NaN) with the reason, so that the run folder is still written.
 */
export function scoreParts(
  c: CompiledSpec,
  model: Model,
  theta: Float64Array,
  x0s: Float64Array,
  evaluate: typeof evaluateParts = evaluateParts,
): { parts: PartResult[]; scoringError?: string } {
  try {
    return { parts: evaluate(c, model, theta, x0s) };
  } catch (e) {
    return { parts: unscoredParts(c), scoringError: e instanceof Error ? e.message : String(e) };
  }
}

/** Parts of a run whose scoring failed: no simulation, metrics NaN (the run folder is still written). */
function unscoredParts(c: CompiledSpec): PartResult[] {
  const channels = partChannels(c);
  return c.parts.map((p, i) => ({
    kind: p.kind,
    name: p.name,
    N: p.raw.N,
    nInit: p.kind === 'train' ? 0 : p.nInit,
    x0: [],
    x0Method: 'not scored',
    outputs: channels[i]!.map((ch) => ch.name),
    channels: Array.from({ length: p.raw.ny }, () => ({
      rmse: NaN,
      nrmse: NaN,
      r2: NaN,
      fit: NaN,
      accuracy: NaN,
    })),
    finite: false,
    yhat: new Float64Array(p.raw.N * p.raw.ny).fill(NaN),
  }));
}
