/**
 * Linear-stage estimates shared between the fits of a sweep (and between the fits one queue worker
 * runs). The linear stage (PO-MOESP and an output-error refinement, src/core/linear/
 * identify-linear.ts) reads only the training records, the model's configuration, the loss and the
 * ρ weights: not the seed, nor the ℓ1 / ℓ0 / group terms a sweep usually varies. Yet every fit ran
 * it again: about 7 s per fit on Wiener–Hammerstein's 100,000 training samples. A fit whose key a
 * finished fit left takes the estimate as it is (`LinearStageSpec.estimate`, as the starts of a
 * multi-start run do), so its result is the one it would have computed, bit for bit. Fits that
 * start together (the first fit of each lane) each compute their own.
 */
import { createHash } from 'node:crypto';
import type { FitSpec } from '../core/fit-job.js';
import type { LinearStageSummary } from '../core/fit/types.js';

export type LinearEstimate = NonNullable<LinearStageSummary['estimate']>;

/** Estimates by `linearStageKey`. */
export type LinearEstimates = Map<string, LinearEstimate>;

/**
 * What the linear stage of `fit` reads, hashed: the model configuration (whole: a change that does
 * not matter only costs a recomputation), the loss, ρ_θ, ρ_x0, the stage's horizon and iterations,
 * and each training record's shape and samples. Undefined when the fit has no linear stage or is
 * given its estimate already.
 */
export function linearStageKey(fit: FitSpec): string | undefined {
  const stage = fit.linear;
  if (!stage || stage.estimate) return undefined;
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      model: fit.model,
      loss: fit.loss,
      rhoTheta: fit.rhoTheta,
      rhoX0: fit.rhoX0,
      horizon: stage.horizon ?? null,
      iterations: stage.iterations ?? null,
      records: fit.train.map((e) => [e.N, e.nu, e.ny]),
    }),
  );
  for (const e of fit.train) {
    h.update(new Uint8Array(e.u.buffer, e.u.byteOffset, e.u.byteLength));
    h.update(new Uint8Array(e.y.buffer, e.y.byteOffset, e.y.byteLength));
  }
  return h.digest('hex');
}

/**
 * Before a fit: hands `fit` the estimate its key already has (returns the key, or undefined when
 * the fit has no stage to share). After it, `rememberLinearEstimate` keeps what it computed.
 */
export function applyLinearEstimate(
  fit: FitSpec,
  known: LinearEstimates | undefined,
): string | undefined {
  if (!known || !fit.linear) return undefined;
  const key = linearStageKey(fit);
  if (key === undefined) return undefined;
  const estimate = known.get(key);
  if (estimate) fit.linear = { ...fit.linear, estimate };
  return key;
}

/**
 * Keeps a fit's estimate under its key (the first one computed stays); not one whose refinement a
 * cancel cut short (another fit would have refined it further).
 */
export function rememberLinearEstimate(
  known: LinearEstimates | undefined,
  key: string | undefined,
  estimate: LinearEstimate | undefined,
): void {
  if (!known || key === undefined || !estimate || known.has(key)) return;
  if (estimate.refinement.status === 'cancelled') return;
  known.set(key, estimate);
}
