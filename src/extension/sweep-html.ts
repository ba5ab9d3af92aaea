/**
 * The Sweep panel's page: a sweep's fits as a table sorted by the chosen metric (column headers
 * re-sort, a fit's status opens its run in the results panel, both as command links), and the
 * Pareto front of error against non-zeros (else states) as an SVG chart. Static HTML under a
 * strict CSP (default-src 'none', styles by nonce, no scripts). No `vscode` here, for tests.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { complexity, type SweepFile, type SweepMetrics, type SweepRow } from '../protocol/sweep.js';

export type SortKey = keyof SweepMetrics | 'wall';

/** The panel's command that re-sorts it by a column. */
export const SORT_COMMAND = 'nails.sweepPanelSort';

export const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'trainRmse', label: 'train RMSE' },
  { key: 'validationRmse', label: 'validation RMSE' },
  { key: 'testRmse', label: 'test RMSE' },
  { key: 'nonzeros', label: 'non-zeros' },
  { key: 'states', label: 'states' },
  { key: 'wall', label: 'wall s' },
];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number | undefined) => (v === undefined ? '–' : v.toPrecision(4));
const command = (name: string, args: unknown[]) =>
  `command:${name}?${encodeURIComponent(JSON.stringify(args))}`;
const value = (r: SweepRow, k: SortKey) => (k === 'wall' ? r.wall : r.metrics[k]);

/** The panel's HTML (exported for tests). */
export function sweepHtml(s: SweepFile, dir: string, sortBy: SortKey): string {
  const nonce = randomBytes(16).toString('base64');
  const keys = s.grid.axes.map((a) => a.key);
  const rows = [...s.rows].sort(
    (a, b) =>
      Number(a.status !== 'done') - Number(b.status !== 'done') ||
      (value(a, sortBy) ?? Infinity) - (value(b, sortBy) ?? Infinity),
  );
  const front = new Set(s.pareto);
  const head = [
    ...keys.map((k) => `<th>${esc(k)}</th>`),
    '<th>seed</th>',
    ...(s.grid.folds ? ['<th>fold</th>'] : []),
    ...COLUMNS.map(
      (c) =>
        `<th><a href="${command(SORT_COMMAND, [c.key])}">${esc(c.label)}${c.key === sortBy ? ' ▲' : ''}</a></th>`,
    ),
    '<th>status</th>',
  ].join('');
  const body = rows
    .map((r) => {
      const run = r.run
        ? `<a href="${command('nails.showResults', [{ runDir: path.join(dir, r.run) }])}">${esc(r.stop ?? 'done')}</a>`
        : '';
      return `<tr class="${r.status}${front.has(r.id) ? ' front' : ''}${s.best?.id === r.id ? ' best' : ''}">${[
        ...keys.map((k) => esc(r.settings[k] ?? '')),
        String(r.seed),
        ...(s.grid.folds ? [r.fold ? `${r.fold.fold}/${r.fold.of}` : ''] : []),
        ...COLUMNS.map((c) => (c.key === 'wall' ? r.wall.toFixed(1) : num(r.metrics[c.key]))),
        r.status === 'done' ? run : `failed: ${esc(r.error ?? '')}`,
      ]
        .map((c) => `<td>${c}</td>`)
        .join('')}</tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; img-src data:;">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
table { border-collapse: collapse; margin-top: 1em; }
td, th { padding: 2px 8px; text-align: right; border-bottom: 1px solid var(--vscode-panel-border); }
tr.failed { color: var(--vscode-errorForeground); }
tr.front td { font-weight: bold; }
tr.best { background: var(--vscode-editor-selectionBackground); }
svg .all { fill: var(--vscode-descriptionForeground); }
svg .front { fill: var(--vscode-charts-blue); stroke: var(--vscode-charts-blue); }
svg text { fill: var(--vscode-foreground); font-size: 11px; }
</style></head><body>
<h2>${esc(path.basename(dir))}</h2>
<p>${s.rows.length} fits; sorted by ${esc(sortBy)} (click a column to sort, a status to open the run).${
    s.best
      ? ` Selected: ${esc(
          Object.entries(s.best.settings)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || 'the spec as is',
        )} (mean ${esc(s.selectBy)} ${num(s.best.metric)}).`
      : ''
  }</p>
${paretoSvg(s)}
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}

/** Error (selection metric) against complexity: every done fit, the Pareto front joined. */
function paretoSvg(s: SweepFile): string {
  const pts = s.rows
    .filter((r) => r.status === 'done')
    .map((r) => ({ id: r.id, x: complexity(r), y: r.metrics[s.selectBy] }))
    .filter(
      (p): p is { id: string; x: number; y: number } => p.x !== undefined && p.y !== undefined,
    );
  if (!pts.length) return '';
  const W = 420;
  const H = 220;
  const m = 40;
  const [x0, x1] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))];
  const [y0, y1] = [Math.min(...pts.map((p) => p.y)), Math.max(...pts.map((p) => p.y))];
  const sx = (x: number) => m + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * m);
  const sy = (y: number) => H - m - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * m);
  const front = s.pareto
    .map((id) => pts.find((p) => p.id === id))
    .filter((p): p is (typeof pts)[number] => p !== undefined);
  const what = s.rows.some((r) => r.metrics.nonzeros !== undefined) ? 'non-zeros' : 'states';
  return `<svg width="${W}" height="${H}" role="img" aria-label="Pareto front">
${pts.map((p) => `<circle class="all" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3"><title>${esc(p.id)}</title></circle>`).join('')}
<polyline class="front" fill="none" points="${front.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>
${front.map((p) => `<circle class="front" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4"><title>${esc(p.id)}</title></circle>`).join('')}
<text x="${W / 2}" y="${H - 8}" text-anchor="middle">${what} (${x0}–${x1})</text>
<text x="10" y="16">${esc(s.selectBy)} (${num(y0)}–${num(y1)})</text>
</svg>`;
}
