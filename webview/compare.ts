/**
 * Compare Runs: the metrics table of every chosen run, the loss versus iteration of each, and per
 * part (kind and name) that the runs share and per output, one chart that overlays the measured
 * output (from the first run) and every run's simulated output on the same axes.
 */
import type { DrawnChart, DrawnReport, RunView } from '../src/protocol/webview-messages';
import { chart, drawnSeries, themeColors, type Chart, type ChartOptions } from './charts/chart';
import { el } from './dom';
import { channelLabel, metricsTable } from './tables';

const gap = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The id of a comparison in drawn reports: `compare:` and the run folders joined by `|`. */
export const compareId = (runs: RunView[]) => `compare:${runs.map((r) => r.runDir).join('|')}`;

/** Overlay charts: one per shared part and output; `report` hears what they drew once all have. */
export function overlays(
  runs: RunView[],
  width: number,
  onExport: ChartOptions['onExport'],
  report: (d: DrawnReport) => void,
): HTMLElement[] {
  const first = runs[0];
  if (!first) return [];
  const out: HTMLElement[] = [];
  const drawn = new Map<number, DrawnChart>();
  let expected = 0;
  let firstChart: Chart | undefined;
  const done = () => {
    if (drawn.size !== expected || !firstChart) return;
    report({
      runDir: compareId(runs),
      charts: [...drawn.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
      colors: themeColors(firstChart.theme),
      theme: firstChart.theme.kind,
    });
  };
  for (const p of first.parts) {
    const same = runs.map((r) => r.parts.find((q) => q.kind === p.kind && q.name === p.name));
    if (same.some((q) => !q || q.y.length !== p.y.length)) continue;
    p.y.forEach((ys, ch) => {
      const name = p.outputs[ch]?.name ?? `y${ch + 1}`;
      const id = expected++;
      const c: Chart = chart(
        `Fitted responses — ${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}: ${name}`,
        p.k,
        [
          { label: `${name} measured`, values: ys.map(gap) },
          ...runs.map((r, i) => {
            const q = same[i]!;
            // The runs' samples align by index k (the same part of the same data).
            const byK = new Map(q.k.map((k, j) => [k, q.yhat[ch]?.[j] ?? NaN]));
            return {
              label: `${r.title} (fit ${q.metrics[ch]?.fit.toFixed(1)} %)`,
              values: p.k.map((k) => gap(byK.get(k) ?? NaN)),
            };
          }),
        ],
        {
          xlabel: 'sample',
          ylabel: channelLabel(p, ch),
          pan: true,
          decimate: true,
          ...(p.nInit > 0
            ? { shades: [{ from: p.k[0] ?? 0, to: (p.k[0] ?? 0) + p.nInit, edge: true }] }
            : {}),
          ...(onExport ? { onExport } : {}),
          onDraw: () => {
            if (drawn.has(id)) return;
            drawn.set(id, {
              kind: p.kind,
              part: p.name,
              channel: name,
              series: drawnSeries(c),
              nInitShaded: 0,
            });
            done();
          },
        },
        width,
      );
      firstChart ??= c;
      out.push(c.box);
    });
  }
  return out;
}

export function renderCompare(
  root: HTMLElement,
  runs: RunView[],
  width: number,
  onExport: ChartOptions['onExport'],
  report: (d: DrawnReport) => void,
): void {
  root.replaceChildren();
  root.append(el('h2', `Compare ${runs.length} runs`));
  root.append(metricsTable(runs));
  const its = [...new Set(runs.flatMap((r) => r.history.map((h) => h.iteration)))].sort(
    (a, b) => a - b,
  );
  root.append(
    ...overlays(runs, width, onExport, report),
    chart(
      'Loss versus iteration',
      its,
      // The same colour per run as in the overlays (the measured output takes the first).
      runs.map((r, i) => ({
        label: r.title,
        color: i + 1,
        values: its.map((i) => r.history.find((h) => h.iteration === i)?.value ?? null),
      })),
      { logY: true, xlabel: 'iteration' },
      width,
    ).box,
  );
}
