/**
 * The residual analysis of a run (issue #20 item 5), per output of one part (test by default):
 * residuals e = y − ŷ against time (min/max per pixel, full resolution on zoom), their
 * autocorrelation (lags 0…25) and the input–residual cross-correlation (lags −25…25) with the
 * 99 % band ±2.58/√N (charts/correlation.ts). The n_init samples, which only estimate x0, are left
 * out. The inputs come from the host (the run's data, read by the language server) and arrive after
 * the run; until then the cross-correlation says so.
 */
import type {
  DrawnResidualChart,
  DrawnResiduals,
  PartView,
  RunInputs,
  RunView,
} from '../src/protocol/webview-messages';
import {
  chart,
  drawnSeries,
  themeColors,
  type Chart,
  type ChartOptions,
  type ChartSeries,
} from './charts/chart';
import {
  autocorrelation,
  confidenceBand,
  crossCorrelation,
  finiteCount,
} from './charts/correlation';
import { el } from './dom';

export const MAX_LAG = 25;

export interface ResidualContext {
  width: number;
  onExport: ChartOptions['onExport'];
  report: (d: DrawnResiduals) => void;
}

/** The part analysed by default: the first test part, else validation, else the first. */
export function defaultPart(r: RunView): number {
  for (const kind of ['test', 'validation']) {
    const i = r.parts.findIndex((p) => p.kind === kind);
    if (i >= 0) return i;
  }
  return 0;
}

/** Lags outside ±band (lag 0 of an autocorrelation excluded: it is 1 by definition). */
function outside(r: Float64Array, band: number, skipFirst: boolean): number {
  let n = 0;
  r.forEach((v, i) => {
    if ((!skipFirst || i > 0) && Math.abs(v) > band) n++;
  });
  return n;
}

const partLabel = (p: PartView) => `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}`;

/** The residual section for part `index` of `r`; `inputs` when the host has sent them. */
export function residualSection(
  r: RunView,
  index: number,
  inputs: RunInputs | undefined,
  ctx: ResidualContext,
): HTMLElement {
  const box = el('div', undefined, 'residuals');
  const p = r.parts[index];
  if (!p) return box;
  const drawn = new Map<number, DrawnResidualChart>();
  let expected = 0;
  const charts: Chart[] = [];
  const report = () => {
    if (drawn.size !== expected || charts.length === 0) return;
    ctx.report({
      runDir: r.runDir,
      kind: p.kind,
      part: p.name,
      charts: [...drawn.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
      colors: themeColors(charts[0]!.theme),
      theme: charts[0]!.theme.kind,
    });
  };
  const add = (
    title: string,
    xs: number[],
    series: ChartSeries[],
    o: ChartOptions,
    info: Omit<DrawnResidualChart, 'series'>,
  ) => {
    const id = expected++;
    const c: Chart = chart(
      title,
      xs,
      series,
      {
        ...o,
        ...(ctx.onExport ? { onExport: ctx.onExport } : {}),
        onDraw: () => {
          if (drawn.has(id)) return;
          drawn.set(id, { ...info, series: drawnSeries(c) });
          report();
        },
      },
      ctx.width,
    );
    charts.push(c);
    box.append(c.box);
  };
  // Scored samples only: k ≥ n_init (p.k holds each plotted sample's index in the part).
  const scored = p.k.map((k, i) => (k >= p.nInit ? i : -1)).filter((i) => i >= 0);
  const ks = scored.map((i) => p.k[i]!);
  const part = inputs?.parts.find((q) => q.kind === p.kind && q.name === p.name);
  const xlabel = r.Ts !== undefined ? `sample (Ts = ${Number(r.Ts.toPrecision(6))} s)` : 'sample';
  const lags = Array.from({ length: MAX_LAG + 1 }, (_, i) => i);
  const both = Array.from({ length: 2 * MAX_LAG + 1 }, (_, i) => i - MAX_LAG);
  p.y.forEach((ys, ch) => {
    const name = p.outputs[ch]?.name ?? `y${ch + 1}`;
    const unit = p.outputs[ch]?.unit;
    const yh = p.yhat[ch] ?? [];
    const e = scored.map((i) => {
      const v = ys[i]! - yh[i]!;
      return Number.isFinite(v) ? v : null;
    });
    const N = finiteCount(e);
    const band = confidenceBand(N);
    const title = `${partLabel(p)}: ${name}`;
    add(
      `Residuals — ${title} (${N} samples after n_init)`,
      ks,
      [{ label: `${name} − ${name}̂`, values: e, color: 1 }],
      { xlabel, ylabel: unit ? `residual [${unit}]` : 'residual', pan: true, decimate: true },
      { what: 'residual', output: name, N },
    );
    const bandSeries = (n: number) => [
      { label: '+99 %', values: Array<number>(n).fill(band), dash: true, color: 3 },
      { label: '−99 %', values: Array<number>(n).fill(-band), dash: true, color: 3 },
    ];
    const ree = autocorrelation(e, MAX_LAG);
    add(
      `Residual autocorrelation — ${title} (99 % band ±${band.toPrecision(3)})`,
      lags,
      [
        { label: 'r_ee(τ)', values: Array.from(ree), points: true, color: 0 },
        ...bandSeries(lags.length),
      ],
      { xlabel: 'lag τ (samples)', height: 200 },
      { what: 'autocorrelation', output: name, N, band, outside: outside(ree, band, true) },
    );
    if (!part) {
      box.append(
        el(
          'p',
          inputs?.message
            ? `Input–residual cross-correlation: the run's inputs could not be read (${inputs.message}).`
            : 'Input–residual cross-correlation: reading the run’s inputs…',
          'note',
        ),
      );
      return;
    }
    for (const input of part.inputs) {
      const u = ks.map((k) => input.values[k] ?? null);
      const rue = crossCorrelation(u, e, MAX_LAG);
      add(
        `Cross-correlation ${input.name} → residual — ${title}`,
        both,
        [
          { label: 'r_ue(τ)', values: Array.from(rue), points: true, color: 2 },
          ...bandSeries(both.length),
        ],
        { xlabel: 'lag τ (samples)', height: 200 },
        {
          what: 'cross-correlation',
          output: name,
          input: input.name,
          N,
          band,
          outside: outside(rue, band, false),
        },
      );
    }
  });
  return box;
}
