/**
 * Linear-stage estimates shared between the fits of a sweep (and between the fits one queue worker
 * runs). The linear stage (PO-MOESP and an output-error refinement, src/core/linear/
 * identify-linear.ts) reads only the training records, the model's configuration, the loss and the
 * ρ weights: not the seed, nor the ℓ1 / ℓ0 / group terms a sweep usually varies. Yet every fit ran
 * it again: about 7 s per fit on Wiener–Hammerstein's 100,000 training samples. A fit whose key a
 * finished fit left takes the estimate as it is (`LinearStageSpec.estimate`, as the starts of a
 * multi-start run do), so its result is the one it would have computed, bit for bit.
 *
 * Fits that start together (the first fit of each lane of a local sweep) share a stage while it
 * runs (`shareLinearStage`): the first claims the key, and its worker publishes the estimate as
 * soon as the stage is done, before its solver starts. A fit that starts from the estimate
 * (`init linear`) and finds the key claimed computes its own as before (waiting would idle its
 * core for as long); a seeded fit that only reports it as its baseline (`init random`) trains
 * without the stage and takes the claimed one afterwards, so the stage runs once per sweep, not
 * once per lane.
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

/**
 * Stages being computed now by fits running side by side, by key: the summary the computing fit's
 * worker reported (see `shareLinearStage`).
 */
export type LinearStagesInFlight = Map<string, Promise<LinearStageSummary | undefined>>;

export interface LinearStageShare {
  /** The spec to run: without its linear stage when it takes a stage another fit is computing. */
  spec: FitSpec;
  /**
   * For the fit that claimed the stage: publishes its summary (the first call counts; undefined
   * when the fit ended without one) to the known estimates, unless a cancel cut its refinement
   * short, and to the fits waiting for it. The fit must call it when it ends, whatever the ending.
   */
  publish: (summary: LinearStageSummary | undefined) => void;
  /**
   * For a fit that takes another's stage: that stage's summary, undefined when it has none to
   * give (the fit ended first, or a cancel cut the refinement short).
   */
  awaited?: Promise<LinearStageSummary | undefined>;
}

/**
 * Decides, before a single-start fit starts, whether it computes its linear stage (claiming the
 * key in `inFlight`) or takes the one another fit is computing (see the file's comment). `key`
 * is `applyLinearEstimate`'s answer for `fit`.
 */
export function shareLinearStage(
  fit: FitSpec,
  key: string | undefined,
  known: LinearEstimates | undefined,
  inFlight: LinearStagesInFlight | undefined,
): LinearStageShare {
  const alone: LinearStageShare = { spec: fit, publish: () => undefined };
  if (!known || !inFlight || key === undefined || !fit.linear || fit.linear.estimate) return alone;
  const pending = inFlight.get(key);
  if (pending) {
    // Only a seeded random start: its start point does not depend on the stage.
    if (fit.linear.init || !('seed' in fit.init)) return alone;
    const spec: FitSpec = { ...fit };
    delete spec.linear;
    return { spec, publish: () => undefined, awaited: pending };
  }
  let resolve!: (s: LinearStageSummary | undefined) => void;
  inFlight.set(key, new Promise((r) => (resolve = r)));
  let published = false;
  return {
    spec: fit,
    publish(summary) {
      if (published) return;
      published = true;
      const cut = summary?.estimate?.refinement.status === 'cancelled';
      rememberLinearEstimate(known, key, summary?.estimate);
      inFlight.delete(key);
      resolve(cut ? undefined : summary);
    },
  };
}
