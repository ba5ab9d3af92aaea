/**
 * One uPlot chart in the theme's colours: series, optional shaded x windows (n_init, part
 * ranges), min/max-per-pixel decimation of long records that re-samples the visible range on
 * every zoom (full resolution when zoomed in), wheel zoom and shift-drag pan, and PNG / SVG export.
 * After each draw it can say what it drew (drawnSeries: points held, pixels painted per series).
 */
import uPlot from 'uplot';
import type { DrawnSeries } from '../../src/protocol/webview-messages';
import { el } from '../dom';
import { minMaxDecimate, spliceDetail } from './min-max';
import { chartSvg } from './svg';
import { chartTheme, rgba, type ChartTheme } from './theme';
import { zoomPan } from './zoom-pan';

/** The plot's width in pixel columns for a chart `width` CSS pixels wide (the axes take the rest). */
export const plotPixels = (width: number) => Math.max(100, width - 80);

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** Dashed line (confidence bands). */
  dash?: boolean;
  /** Index into the theme's series colours (default: the series' position). */
  color?: number;
  /** Draw points as well as the line (short correlation sequences). */
  points?: boolean;
}

/** A shaded window [from, to) on the x axis, beneath the series. */
export interface Shade {
  from: number;
  to: number;
  /** Theme series colour index to tint it (default: the foreground, translucent). */
  color?: number;
  /** Set once it has been painted (tests read it through the drawn report). */
  painted?: boolean;
  /** Dashed line at its end (where scoring starts). */
  edge?: boolean;
}

export type ExportFormat = 'png' | 'svg';

export interface ChartOptions {
  xlabel: string;
  ylabel?: string;
  logY?: boolean;
  logX?: boolean;
  /** Wheel zoom and shift-drag pan. */
  pan?: boolean;
  /** Min/max per pixel for long series, re-sampled on zoom. */
  decimate?: boolean;
  /**
   * With `decimate`, when the series are an overview of a longer record: the data of a zoomed
   * range [from, to] at full resolution (or min/max rows for `pixels` columns), drawn in place
   * of the overview there once it arrives.
   */
  detail?: (
    from: number,
    to: number,
    pixels: number,
  ) => Promise<{ xs: number[]; values: (number | null)[][] } | undefined>;
  shades?: Shade[];
  /** A note under the chart (what the shading means). */
  note?: string;
  height?: number;
  /** Called after each draw with the plot. */
  onDraw?: (u: uPlot) => void;
  /** Export buttons: called with the chart's PNG (data URL) or SVG text. */
  onExport?: (format: ExportFormat, name: string, data: string) => void;
}

export interface Chart {
  box: HTMLElement;
  plot: uPlot;
  theme: ChartTheme;
  /** The full series (before decimation). */
  series: ChartSeries[];
}

/**
 * Canvas pixels of the plot painted close to each of `colors` (opaque stroke colours), from one
 * read of the canvas (a read-back costs more than the count).
 */
function pixelsOf(u: uPlot, colors: string[]): number[] {
  const rgb = colors.map(rgba);
  const counts = colors.map(() => 0);
  const { data } = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height);
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! <= 200) continue;
    for (let j = 0; j < rgb.length; j++) {
      const [r, g, b] = rgb[j]!;
      if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 60)
        counts[j]!++;
    }
  }
  return counts;
}

const finite = (v: number | null | undefined) =>
  v !== null && v !== undefined && Number.isFinite(v);

/** What a chart holds and shows: finite points of the full series and painted pixels per series. */
export function drawnSeries(c: Chart): DrawnSeries[] {
  const pixels = pixelsOf(
    c.plot,
    c.series.map((s, i) => seriesColor(c.theme, s, i)),
  );
  return c.series.map((s, i) => ({
    label: s.label,
    points: s.values.filter(finite).length,
    pixels: pixels[i]!,
  }));
}

function seriesColor(t: ChartTheme, s: ChartSeries, i: number): string {
  return t.series[(s.color ?? i) % t.series.length]!;
}

/** A file name from a chart title. */
const fileName = (title: string) =>
  title
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'chart';

export function chart(
  title: string,
  xs: number[],
  series: ChartSeries[],
  o: ChartOptions,
  width: number,
): Chart {
  const theme = chartTheme();
  const box = el('div', undefined, 'chart');
  const head = el('div', undefined, 'chart-head');
  head.append(el('h3', title));
  box.append(head);
  const axis = {
    stroke: theme.foreground,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid },
  };
  const full = [xs[0] ?? 0, xs[xs.length - 1] ?? 1] as const;
  const pixels = plotPixels(width);
  const data = (min: number, max: number): uPlot.AlignedData =>
    o.decimate
      ? minMaxDecimate(
          xs,
          series.map((s) => s.values),
          min,
          max,
          pixels,
        )
      : [xs, ...series.map((s) => s.values)];
  let applied = `${full[0]}:${full[1]}`;
  const shades = o.shades ?? [];
  const plot: uPlot = new uPlot(
    {
      width,
      height: o.height ?? 240,
      scales: {
        x: { time: false, ...(o.logX ? { distr: 3 } : {}) },
        y: o.logY ? { distr: 3 } : {},
      },
      axes: [
        { ...axis, label: o.xlabel },
        { ...axis, ...(o.ylabel ? { label: o.ylabel } : {}) },
      ],
      series: [
        { label: o.xlabel },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: seriesColor(theme, s, i),
          width: s.dash ? 1 : 1.5,
          ...(s.dash ? { dash: [5, 4] } : {}),
          spanGaps: !s.dash,
          points: { show: s.points ?? false, size: 4, fill: seriesColor(theme, s, i) },
        })),
      ],
      cursor: { drag: { x: true, y: false } },
      legend: { show: true },
      hooks: {
        drawClear: shades.length
          ? [
              (u: uPlot) => {
                const { ctx, bbox } = u;
                for (const s of shades) {
                  const a = Math.max(bbox.left, u.valToPos(s.from, 'x', true));
                  const b = Math.min(bbox.left + bbox.width, u.valToPos(s.to, 'x', true));
                  if (b <= a) continue;
                  ctx.save();
                  if (s.color === undefined) ctx.fillStyle = theme.shade;
                  else {
                    const [r, g, bl] = rgba(theme.series[s.color % theme.series.length]!);
                    ctx.fillStyle = `rgba(${r}, ${g}, ${bl}, 0.14)`;
                  }
                  ctx.fillRect(a, bbox.top, b - a, bbox.height);
                  if (s.edge) {
                    ctx.strokeStyle = theme.foreground;
                    ctx.setLineDash([4, 4]);
                    ctx.beginPath();
                    ctx.moveTo(b, bbox.top);
                    ctx.lineTo(b, bbox.top + bbox.height);
                    ctx.stroke();
                  }
                  ctx.restore();
                  s.painted = true;
                }
              },
            ]
          : [],
        // A zoom re-samples the visible range from the full series (full resolution when close).
        setScale: o.decimate
          ? [
              (u: uPlot, key: string) => {
                if (key !== 'x') return;
                const { min, max } = u.scales.x as { min: number; max: number };
                const at = `${min}:${max}`;
                if (at === applied) return;
                applied = at;
                u.setData(data(min, max), false);
                // Again, with the new data: the y range follows the visible samples.
                u.setScale('x', { min, max });
                if (o.detail && (min > full[0] || max < full[1]))
                  void o.detail(min, max, pixels).then((d) => {
                    if (!d || applied !== at) return; // zoomed elsewhere meanwhile
                    const [dx, ...ds] = spliceDetail(
                      xs,
                      series.map((s) => s.values),
                      d.xs,
                      d.values,
                    );
                    u.setData(minMaxDecimate(dx, ds, min, max, pixels), false);
                    u.setScale('x', { min, max });
                  });
              },
            ]
          : [],
        draw: o.onDraw ? [o.onDraw] : [],
      },
    },
    data(full[0], full[1]),
    box,
  );
  if (o.note) box.append(el('p', o.note, 'note'));
  if (o.pan) zoomPan(plot, () => full);
  const c: Chart = { box, plot, theme, series };
  if (o.onExport) {
    const onExport = o.onExport;
    for (const format of ['png', 'svg'] as const) {
      const b = el('button', format.toUpperCase(), 'export');
      b.title = `Export this chart as ${format.toUpperCase()}`;
      b.addEventListener('click', () =>
        onExport(format, fileName(title), exportChart(c, title, o, format)),
      );
      head.append(b);
    }
  }
  return c;
}

/** The chart as a PNG data URL (the canvas as drawn) or as SVG text (the plotted data). */
export function exportChart(
  c: Chart,
  title: string,
  o: ChartOptions,
  format: ExportFormat,
): string {
  if (format === 'png') return c.plot.ctx.canvas.toDataURL('image/png');
  const bg = getComputedStyle(document.body).backgroundColor || '#ffffff';
  return chartSvg({
    title,
    xlabel: o.xlabel,
    ...(o.ylabel ? { ylabel: o.ylabel } : {}),
    xs: c.plot.data[0] as number[],
    series: c.series.map((s, i) => ({
      label: s.label,
      color: seriesColor(c.theme, s, i),
      values: (c.plot.data[i + 1] ?? []) as (number | null)[],
      ...(s.dash ? { dash: true } : {}),
    })),
    width: c.plot.width,
    height: c.plot.height + 60,
    foreground: c.theme.foreground,
    background: bg,
  });
}

/** The theme colours a set of charts drew with (tests compare them across themes). */
export function themeColors(t: ChartTheme): string[] {
  return [...t.series, t.foreground, t.grid];
}
