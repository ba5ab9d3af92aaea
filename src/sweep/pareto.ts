/**
 * Selection over a sweep's rows: the metric to sort by (validation RMSE when the fits have a
 * validation part, else test, else train), the selected settings (one-standard-error rule over
 * seeds and folds), and the Pareto front of error against complexity (non-zeros of θ when the spec regularises, else states).
 */
import {
  complexity,
  type SweepFile,
  type SweepRow,
  type SweepSettings,
} from '../protocol/sweep.js';

export type SelectBy = SweepFile['selectBy'];

/** The metric present in most done rows, validation first. */
export function selectMetric(rows: readonly SweepRow[]): SelectBy {
  const done = rows.filter((r) => r.status === 'done');
  for (const k of ['validationRmse', 'testRmse'] as const)
    if (done.length && done.some((r) => r.metrics[k] !== undefined)) return k;
  return 'trainRmse';
}

export { complexity };

/**
 * Ids of the done rows no other done row beats in both the metric and the complexity (lower is
 * better in both, at least one strictly), sorted by complexity. With `bySetting` (cross-validated
 * sweeps) the points are the settings' means over their folds and seeds, named by their best row.
 */
export function paretoFront(rows: readonly SweepRow[], by: SelectBy, bySetting = false): string[] {
  const pts = (
    bySetting
      ? settingGroups(rows, by).map((g) => ({ id: g.id, e: g.mean, c: g.complexity }))
      : rows
          .filter((r) => r.status === 'done')
          .map((r) => ({ id: r.id, e: r.metrics[by], c: complexity(r) }))
  ).filter(
    (p): p is { id: string; e: number; c: number } => p.e !== undefined && p.c !== undefined,
  );
  return pts
    .filter((p) => !pts.some((q) => q.e <= p.e && q.c <= p.c && (q.e < p.e || q.c < p.c)))
    .sort((a, b) => a.c - b.c || a.e - b.e)
    .map((p) => p.id);
}

/** The done rows of one setting (its seeds and folds) and their mean metric. */
export interface SettingGroup {
  settings: SweepSettings;
  /** The group's best single row. */
  id: string;
  mean: number;
  /** Standard error of the mean (0 for one row). */
  se: number;
  complexity: number | undefined;
}

/** Done rows with the metric, grouped by settings, in grid order. */
export function settingGroups(rows: readonly SweepRow[], by: SelectBy): SettingGroup[] {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    if (r.status !== 'done' || r.metrics[by] === undefined) continue;
    const k = JSON.stringify(r.settings);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const v = g.map((r) => r.metrics[by]!);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const sd =
      v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1)) : 0;
    const c = g.map(complexity).filter((x): x is number => x !== undefined);
    return {
      settings: g[0]!.settings,
      id: g.reduce((a, b) => (b.metrics[by]! < a.metrics[by]! ? b : a)).id,
      mean,
      se: sd / Math.sqrt(v.length),
      complexity: c.length ? c.reduce((s, x) => s + x, 0) / c.length : undefined,
    };
  });
}

/**
 * The selected settings by the one-standard-error rule (Hastie, Tibshirani & Friedman, The
 * Elements of Statistical Learning, §7.10): among the settings whose mean metric over their seeds
 * and folds is within one standard error of the lowest mean, the least complex (fewest non-zeros,
 * else states); with one row per setting, simply the lowest. `id` is that setting's best row.
 */
export function bestSettings(
  rows: readonly SweepRow[],
  by: SelectBy,
): { id: string; settings: SweepSettings; metric: number } | undefined {
  const groups = settingGroups(rows, by);
  if (!groups.length) return undefined;
  const low = groups.reduce((a, b) => (b.mean < a.mean ? b : a));
  const near = groups.filter((g) => g.mean <= low.mean + low.se);
  const pick = near.reduce((a, b) =>
    (b.complexity ?? Infinity) < (a.complexity ?? Infinity) ||
    ((b.complexity ?? Infinity) === (a.complexity ?? Infinity) && b.mean < a.mean)
      ? b
      : a,
  );
  return { id: pick.id, settings: pick.settings, metric: pick.mean };
}
