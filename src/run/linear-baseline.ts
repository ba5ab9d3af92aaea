/**
 * The linear baseline of a run: the linear stage's model (PO-MOESP + output-error refinement)
 * scored on every part like the trained model, for report.json, linear.json and the log line.
 */
import type { LinearStageSummary } from '../core/fit-job.js';
import { linearModel } from '../core/models/model-factory.js';
import type { LinearBaseline } from '../io/run-folder.js';
import type { CompiledSpec } from '../language/compiler.js';
import { evaluateParts } from '../language/evaluate.js';

/**
 * The linear stage's model scored on every part like the trained model (evaluateParts: training
 * parts from the stage's x0, test parts from x0 estimated on their n_init samples).
 */
export function linearBaseline(
  compiled: CompiledSpec,
  lin: LinearStageSummary,
):
  | {
      model: ReturnType<typeof linearModel>;
      theta: Float64Array;
      x0s: Float64Array;
      baseline: LinearBaseline;
    }
  | undefined {
  const e = lin.estimate;
  if (!e) return undefined;
  const model = linearModel({ nx: e.nx, nu: e.nu, ny: e.ny, feedthrough: e.feedthrough });
  const theta = new Float64Array(model.nTheta);
  for (const [name, v] of [
    ['A', e.A],
    ['B', e.B],
    ['C', e.C],
    ['D', e.D],
  ] as const)
    if (model.layout.has(name)) model.layout.view(theta, name).set(v);
  const x0s = Float64Array.from(e.x0s);
  const parts = evaluateParts(compiled, model, theta, x0s, false); // metrics only
  return {
    model,
    theta,
    x0s,
    baseline: {
      method: 'PO-MOESP subspace (Verhaegen 1994) + output-error refinement (NAILM)',
      nx: e.nx,
      used: lin.used,
      ...(lin.note ? { note: lin.note } : {}),
      ...(lin.fellBack ? { fellBack: true } : {}),
      value: e.value,
      spectralRadius: e.spectralRadius,
      horizon: e.subspace.horizon,
      singularValues: e.subspace.singularValues.slice(0, 2 * e.nx + 2),
      stabilization: e.subspace.stabilization,
      refinement: e.refinement,
      parts: parts.map((p) => ({
        kind: p.kind,
        name: p.name,
        N: p.N,
        nInit: p.nInit,
        metrics: p.channels.map((c) => ({ ...c })),
      })),
    },
  };
}

/** "linear baseline: train RMSE 0.1 | test RMSE 0.2 …" (one value per output). */
export function baselineLine(b: LinearBaseline): string {
  const parts = b.parts.map((p) => {
    const rmse = p.metrics.map((m) => (m.rmse ?? NaN).toPrecision(4));
    return `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`} RMSE ${rmse.length === 1 ? rmse[0] : `[${rmse.join(', ')}]`}`;
  });
  const start = b.fellBack
    ? 'the fit ended above it, so the linear model was returned'
    : b.used
      ? 'training started from it'
      : (b.note ?? 'random start');
  return `linear baseline (nx ${b.nx}, ρ(A) ${b.spectralRadius.toPrecision(4)}): ${parts.join(' | ')}; ${start}`;
}
