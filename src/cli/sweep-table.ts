/**
 * The text table of a sweep: one line per fit sorted by the selection metric (failed fits last,
 * with their reason), then the Pareto front and the best settings.
 */
import type { SweepFile, SweepRow } from '../protocol/sweep.js';
import { complexity, settingGroups } from '../sweep/pareto.js';

const num = (v: number | undefined) => (v === undefined ? '-' : v.toPrecision(4));

export function formatSweep(s: SweepFile): string[] {
  const by = s.selectBy;
  const keys = s.grid.axes.map((a) => a.key);
  const sorted = [...s.rows].sort(
    (a, b) =>
      Number(a.status !== 'done') - Number(b.status !== 'done') ||
      (a.metrics[by] ?? Infinity) - (b.metrics[by] ?? Infinity),
  );
  const head = [
    ...keys,
    'seed',
    ...(s.grid.folds ? ['fold'] : []),
    'train',
    'valid.',
    'test',
    'nonzeros',
    'states',
    'wall s',
    'status',
  ];
  const cells = (r: SweepRow) => [
    ...keys.map((k) => r.settings[k] ?? ''),
    String(r.seed),
    ...(s.grid.folds ? [r.fold ? `${r.fold.fold}/${r.fold.of}` : ''] : []),
    num(r.metrics.trainRmse),
    num(r.metrics.validationRmse),
    num(r.metrics.testRmse),
    r.metrics.nonzeros === undefined ? '-' : String(r.metrics.nonzeros),
    r.metrics.states === undefined ? '-' : String(r.metrics.states),
    r.wall.toFixed(1),
    r.status === 'done' ? (r.stop ?? 'done') : `FAILED: ${r.error ?? ''}`,
  ];
  const table = [head, ...sorted.map(cells)];
  const widths = head.map((_, j) =>
    Math.max(...table.map((row) => (j < row.length - 1 ? row[j]!.length : 0))),
  );
  const lines = table.map((row) =>
    row.map((c, j) => (j < row.length - 1 ? c.padEnd(widths[j]!) : c)).join('  '),
  );
  const metric = {
    validationRmse: 'validation RMSE',
    testRmse: 'test RMSE',
    trainRmse: 'train RMSE',
  }[by];
  lines.unshift(
    `sorted by ${metric} (RMSE: mean over outputs, in the outputs' units)${by === 'validationRmse' ? '' : `; the fits have no validation part, so this selects on ${by === 'testRmse' ? 'the test data' : 'the training data'}: add \`validation 20%\` to the spec or use --folds K`}`,
  );
  const byId = new Map(s.rows.map((r) => [r.id, r]));
  const front = s.pareto.map((id) => byId.get(id)!).filter(Boolean);
  if (front.length) {
    const what = front.some((r) => r.metrics.nonzeros !== undefined) ? 'non-zeros' : 'states';
    lines.push(`Pareto front (${metric} vs ${what}):`);
    if (s.grid.folds) {
      const groups = settingGroups(s.rows, by);
      for (const r of front) {
        const g = groups.find((x) => x.id === r.id)!;
        lines.push(
          `  ${what} ${g.complexity}  mean ${num(g.mean)} ± ${num(g.se)}  ${settingsText(g.settings)}`,
        );
      }
    } else
      for (const r of front)
        lines.push(`  ${what} ${complexity(r)}  ${num(r.metrics[by])}  ${r.id}`);
  }
  if (s.best)
    lines.push(
      `selected: ${settingsText(s.best.settings)} — mean ${metric} ${num(s.best.metric)} (the simplest within one standard error of the lowest mean); its best run ${byId.get(s.best.id)?.run ?? s.best.id}`,
    );
  return lines;
}

const settingsText = (s: Record<string, string>) =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || '(the spec as is)';
