/**
 * The data preview panel (browser side): before any training, each part's inputs and outputs
 * against time (min/max per pixel on long records, full resolution when zoomed), the n_init window
 * shaded, an overview that marks where the train / validation / test parts lie in the record, and
 * each signal's statistics (mean, std, min, max, NaN count). Theme colours; redrawn on a theme change.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  isPreviewHostMessage,
  type PreviewData,
  type PreviewDrawnChart,
  type PreviewPart,
  type PreviewViewToHost,
} from '../src/protocol/data-preview';
import { chart, drawnSeries, themeColors, type Chart, type Shade } from './charts/chart';
import { onThemeChange } from './charts/theme';
import { el } from './dom';

declare function acquireVsCodeApi(): {
  postMessage(m: PreviewViewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
};
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const width = () => Math.max(320, Math.min(root.clientWidth - 24, 1100));
/** Theme series colour of each kind of part (the overview's shading and legend). */
const KIND_COLOR: Record<string, number> = { train: 0, validation: 3, test: 2 };

let current: PreviewData | undefined;
let generation = 0;

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(5)).toString() : '–');
const partLabel = (p: PreviewPart) => `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}`;

/** Record time of sample j of a part: (start + j·step)·Ts, or the record's sample index. */
function times(p: PreviewPart, Ts: number | undefined): number[] {
  return Array.from({ length: p.N }, (_, j) => (p.range[0] + j * p.step) * (Ts ?? 1));
}

function statsTable(d: PreviewData): HTMLElement {
  const table = el('table');
  const head = el('tr');
  for (const h of ['part', 'signal', 'samples', 'mean', 'std', 'min', 'max', 'NaN'])
    head.append(el('th', h));
  table.append(head);
  for (const p of d.parts)
    for (const s of p.signals) {
      const tr = el('tr');
      for (const v of [
        partLabel(p),
        `${s.role} ${s.name}${s.unit ? ` [${s.unit}]` : ''}`,
        String(p.N),
        fmt(s.stats.mean),
        fmt(s.stats.std),
        fmt(s.stats.min),
        fmt(s.stats.max),
        String(s.stats.nan),
      ])
        tr.append(el('td', v));
      if (s.stats.nan > 0) tr.className = 'warn';
      table.append(tr);
    }
  return table;
}

/** Every part's first output on the record's time axis, each part's range tinted by its kind. */
function overview(d: PreviewData, xlabel: string): HTMLElement {
  const all = d.parts.map((p) => times(p, d.Ts));
  const xs = [...new Set(all.flat())].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const series = d.parts.map((p, i) => {
    const out = p.signals.find((s) => s.role === 'output') ?? p.signals[0];
    const values: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    all[i]!.forEach((t, j) => (values[at.get(t)!] = out?.values[j] ?? null));
    return { label: `${partLabel(p)}: ${out?.name ?? ''}`, values, color: KIND_COLOR[p.kind] ?? i };
  });
  const Ts = d.Ts ?? 1;
  const shades: Shade[] = d.parts.map((p) => ({
    from: p.range[0] * Ts,
    to: p.range[1] * Ts,
    color: KIND_COLOR[p.kind] ?? 0,
  }));
  return chart(
    'Parts of the record (tinted: train, validation, test)',
    xs,
    series,
    { xlabel, pan: true, decimate: true, shades, height: 200 },
    width(),
  ).box;
}

function render(d: PreviewData): void {
  const gen = ++generation;
  root.replaceChildren();
  const bar = el('div', undefined, 'toolbar');
  const log = document.createElement('vscode-button');
  log.textContent = 'Open Log';
  log.setAttribute('secondary', '');
  log.addEventListener('click', () => vscode.postMessage({ type: 'openLog' }));
  bar.append(log);
  const xlabel = d.Ts !== undefined ? 'time (s)' : 'sample';
  root.append(
    bar,
    el('h2', `Data preview — ${d.title}`),
    el(
      'p',
      `${d.spec}; ${d.parts.length} part${d.parts.length === 1 ? '' : 's'}; ${d.Ts !== undefined ? `sampling time Ts = ${fmt(d.Ts)} s` : 'no sampling time given (time in samples)'}. Drag or wheel to zoom, shift-drag to pan, double-click to reset.`,
      'summary',
    ),
  );
  for (const m of d.problems) root.append(el('p', m, 'warn'));
  root.append(statsTable(d), overview(d, xlabel));
  const expected = d.parts.reduce((s, p) => s + p.signals.length, 0);
  const drawn = new Map<number, PreviewDrawnChart>();
  let first: Chart | undefined;
  const report = () => {
    if (gen !== generation || drawn.size !== expected || !first) return;
    vscode.postMessage({
      type: 'drawn',
      drawn: {
        spec: d.spec,
        charts: [...drawn.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
        colors: themeColors(first.theme),
        theme: first.theme.kind,
      },
    });
  };
  let id = 0;
  for (const p of d.parts) {
    root.append(
      el(
        'h3',
        `${partLabel(p)} — ${p.source}, samples ${p.range[0]}..${p.range[1]}${p.step > 1 ? ` every ${p.step}th` : ''} (${p.N} samples${p.nInit ? `; the first ${p.nInit} only estimate x0` : ''})`,
      ),
    );
    const xs = times(p, d.Ts);
    const t0 = xs[0] ?? 0;
    const dt = p.step * (d.Ts ?? 1);
    p.signals.forEach((s) => {
      const me = id++;
      const shade: Shade | undefined =
        p.nInit > 0 ? { from: t0, to: t0 + p.nInit * dt, edge: true } : undefined;
      const c: Chart = chart(
        `${partLabel(p)}: ${s.role} ${s.name}`,
        xs,
        [{ label: s.name, values: s.values, color: s.role === 'input' ? 0 : 1 }],
        {
          xlabel,
          ylabel: `${s.name}${s.unit ? ` [${s.unit}]` : ''}`,
          pan: true,
          decimate: true,
          height: 180,
          ...(shade ? { shades: [shade] } : {}),
          onDraw: (u) => {
            if (drawn.has(me)) return;
            const [series] = drawnSeries(c);
            drawn.set(me, {
              part: p.name,
              kind: p.kind,
              signal: s.name,
              role: s.role,
              points: series?.points ?? 0,
              shown: (u.data[1] ?? []).length,
              pixels: series?.pixels ?? 0,
              nInitShaded: shade?.painted ? p.nInit : 0,
            });
            report();
          },
        },
        width(),
      );
      first ??= c;
      root.append(c.box);
    });
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (!isPreviewHostMessage(e.data)) return;
  current = e.data.data;
  vscode.setState(e.data);
  render(current);
});
onThemeChange(() => current && render(current));
const saved = vscode.getState();
if (isPreviewHostMessage(saved)) {
  current = saved.data;
  render(current);
}
vscode.postMessage({ type: 'ready' });
