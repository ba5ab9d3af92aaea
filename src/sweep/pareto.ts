/**
 * Selection over a sweep's rows: the metric to sort by (validation RMSE when the fits have a
 * validation part, else test, else train), the best settings (mean over seeds and folds), and the
 * Pareto front of error against complexity (non-zeros of θ when the spec regularises, else states).
 */
import type { SweepFile, SweepRow, SweepSettings } from '../protocol/sweep.js';

export type SelectBy = SweepFile['selectBy'];

/** The metric present in most done rows, validation first. */
export function selectMetric(rows: readonly SweepRow[]): SelectBy {
  const done = rows.filter((r) => r.status === 'done');
  for (const k of ['validationRmse', 'testRmse'] as const)
    if (done.length && done.some((r) => r.metrics[k] !== undefined)) return k;
  return 'trainRmse';
}

/** Complexity of a row: non-zeros of θ, else states (undefined when neither is known). */
export const complexity = (r: SweepRow) => r.metrics.nonzeros ?? r.metrics.states;

/**
 * Ids of the done rows no other done row beats in both the metric and the complexity (lower is
 * better in both, at least one strictly), sorted by complexity.
 */
export function paretoFront(rows: readonly SweepRow[], by: SelectBy): string[] {
  const pts = rows
    .filter((r) => r.status === 'done')
    .map((r) => ({ id: r.id, e: r.metrics[by], c: complexity(r) }))
    .filter((p): p is { id: string; e: number; c: number } => p.e !== undefined && p.c !== undefined);
  return pts
    .filter((p) => !pts.some((q) => q.e <= p.e && q.c <= p.c && (q.e < p.e || q.c < p.c)))
    .sort((a, b) => a.c - b.c || a.e - b.e)
    .map((p) => p.id);
}

/**
 * The best settings by the mean metric over their done rows (seeds, folds); ties keep the
 * first in grid order. `id` is that setting's best single row.
 */
export function bestSettings(
  rows: readonly SweepRow[],
  by: SelectBy,
): { id: string; settings: SweepSettings; metric: number } | undefined {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    if (r.status !== 'done' || r.metrics[by] === undefined) continue;
    const k = JSON.stringify(r.settings);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  let best: { id: string; settings: SweepSettings; metric: number } | undefined;
  for (const g of groups.values()) {
    const metric = g.reduce((s, r) => s + r.metrics[by]!, 0) / g.length;
    const top = g.reduce((a, b) => (b.metrics[by]! < a.metrics[by]! ? b : a));
    if (!best || metric < best.metric) best = { id: top.id, settings: g[0]!.settings, metric };
  }
  return best;
}
