/** The results panel's tables: metrics per run, part and output; parameter blocks of sparse models. */
import type { BlockView, PartView, RunView } from '../src/protocol/webview-messages';
import { el } from './dom';

export function channelLabel(p: PartView, c: number): string {
  const ch = p.outputs[c];
  return ch ? `${ch.name}${ch.unit ? ` [${ch.unit}]` : ''}` : `y${c + 1}`;
}

export function metricsTable(runs: RunView[]): HTMLElement {
  const table = el('table');
  const head = el('tr');
  // Accuracy only means something for binary outputs: left out when every run says regression.
  const accuracy = runs.some((r) => r.classification !== false);
  for (const h of [
    'run',
    'part',
    'output',
    'RMSE',
    'NRMSE',
    'R²',
    'fit %',
    ...(accuracy ? ['accuracy %'] : []),
  ])
    head.append(el('th', h));
  table.append(head);
  for (const r of runs)
    for (const p of r.parts)
      p.metrics.forEach((m, c) => {
        const tr = el('tr');
        for (const v of [
          r.title,
          `${p.kind} ${p.kind === p.name ? '' : p.name}`,
          channelLabel(p, c),
          m.rmse.toPrecision(4),
          m.nrmse.toPrecision(4),
          m.r2.toPrecision(4),
          m.fit.toFixed(2),
          ...(accuracy ? [m.accuracy.toFixed(1)] : []),
        ])
          tr.append(el('td', v));
        table.append(tr);
      });
  return table;
}

export function blocksTable(blocks: BlockView[]): HTMLElement {
  const table = el('table');
  const head = el('tr');
  for (const h of ['block', 'shape', 'non-zeros', 'pattern', 'distinct values', 'levels'])
    head.append(el('th', h));
  table.append(head);
  for (const b of blocks) {
    const tr = el('tr');
    const filled = Math.round((b.rows * b.cols > 0 ? b.nonZeros / (b.rows * b.cols) : 0) * 10);
    const levels =
      b.distinct <= 12
        ? b.levels.map((v) => Number(v.toPrecision(4))).join(', ')
        : `${b.distinct} values`;
    for (const v of [
      b.name,
      `${b.rows}×${b.cols}`,
      String(b.nonZeros),
      '█'.repeat(filled) + '░'.repeat(10 - filled),
      String(b.distinct),
      levels,
    ])
      tr.append(el('td', v));
    table.append(tr);
  }
  return table;
}
