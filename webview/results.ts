/**
 * The results panel (browser side): convergence (loss versus iteration and versus time, log
 * scale; damping or step; ADMM residuals), fitted response per part with zoom (drag) and reset
 * (double-click), and the metrics table. Colours come from VS Code's theme variables.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import uPlot from 'uplot';
import {
  isHostMessage,
  type BlockView,
  type ConvergencePoint,
  type DrawnChart,
  type DrawnSeries,
  type PartView,
  type HostToView,
  type RunView,
  type ViewToHost,
} from '../src/protocol/webview-messages';

declare function acquireVsCodeApi(): {
  postMessage(m: ViewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
};
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const css = (name: string, fallback: string) =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const PALETTE = ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#b180d7', '#4ec9b0'];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/**
 * Wheel zooms the x axis around the cursor; shift-drag pans it (plain drag selects a range to zoom
 * into, double-click resets) — for records of 100,000+ samples.
 */
function zoomPan(u: uPlot): void {
  const over = u.over;
  const full = () => [u.data[0][0]!, u.data[0][u.data[0].length - 1]!] as const;
  over.addEventListener('wheel', (e) => {
    e.preventDefault();
    const { min, max } = u.scales.x as { min: number; max: number };
    const [lo, hi] = full();
    const at = u.posToVal(e.offsetX, 'x');
    const f = e.deltaY < 0 ? 0.8 : 1.25;
    const nmin = Math.max(lo, at - (at - min) * f);
    const nmax = Math.min(hi, at + (max - at) * f);
    if (nmax > nmin) u.setScale('x', { min: nmin, max: nmax });
  });
  over.addEventListener(
    'mousedown',
    (e) => {
      if (!e.shiftKey) return;
      e.preventDefault();
      e.stopPropagation();
      const { min, max } = u.scales.x as { min: number; max: number };
      const x0 = e.clientX;
      const perPx = (max - min) / over.clientWidth;
      const [lo, hi] = full();
      const move = (m: MouseEvent) => {
        const d = Math.max(lo - min, Math.min(hi - max, (x0 - m.clientX) * perPx));
        u.setScale('x', { min: min + d, max: max + d });
      };
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    },
    true,
  );
}

interface ChartOptions {
  logY?: boolean;
  logX?: boolean;
  xlabel: string;
  ylabel?: string;
  pan?: boolean;
  /** Shade [from, to) on the x axis, beneath the series (the x0-estimation window). */
  shade?: { from: number; to: number; label: string; painted?: boolean };
  /** Called after each draw with the plot. */
  onDraw?: (u: uPlot) => void;
}

const SHADE = 'rgba(128, 128, 128, 0.22)';

function chart(
  title: string,
  xs: number[],
  series: { label: string; values: (number | null)[] }[],
  o: ChartOptions,
): HTMLElement {
  const box = el('div', undefined, 'chart');
  box.append(el('h3', title));
  const width = Math.max(320, Math.min(root.clientWidth - 24, 1100));
  const fg = css('--vscode-foreground', '#ccc');
  const grid = css('--vscode-editorWidget-border', '#444');
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const shade = o.shade;
  const plot = new uPlot(
    {
      width,
      height: 260,
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
          stroke: PALETTE[i % PALETTE.length]!,
          width: 1.5,
          spanGaps: true,
        })),
      ],
      cursor: { drag: { x: true, y: false } },
      legend: { show: true },
      hooks: {
        // The x0 window beneath the series: a shaded band and a dashed line where scoring starts.
        drawClear: shade
          ? [
              (u: uPlot) => {
                const { ctx, bbox } = u;
                const a = Math.max(bbox.left, u.valToPos(shade.from, 'x', true));
                const b = Math.min(bbox.left + bbox.width, u.valToPos(shade.to, 'x', true));
                if (b <= a) return;
                ctx.save();
                ctx.fillStyle = SHADE;
                ctx.fillRect(a, bbox.top, b - a, bbox.height);
                ctx.strokeStyle = fg;
                ctx.setLineDash([4, 4]);
                ctx.beginPath();
                ctx.moveTo(b, bbox.top);
                ctx.lineTo(b, bbox.top + bbox.height);
                ctx.stroke();
                ctx.restore();
                shade.painted = true;
              },
            ]
          : [],
        draw: o.onDraw ? [o.onDraw] : [],
      },
    },
    [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
    box,
  );
  if (shade) box.append(el('p', shade.label, 'note'));
  if (o.pan) zoomPan(plot);
  return box;
}

/** Canvas pixels of the plot painted close to `hex` (an opaque stroke colour). */
function pixelsOf(u: uPlot, hex: string): number {
  const r = parseInt(hex.slice(1, 3), 16);
  const g = parseInt(hex.slice(3, 5), 16);
  const b = parseInt(hex.slice(5, 7), 16);
  const { data } = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4)
    if (
      data[i + 3]! > 200 &&
      Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 60
    )
      n++;
  return n;
}

/** What a plot holds and shows: finite points and painted pixels per series. */
function drawnSeries(u: uPlot): DrawnSeries[] {
  return u.series.slice(1).map((s, i) => ({
    label: typeof s.label === 'string' ? s.label : '',
    points: (u.data[i + 1] ?? []).filter((v) => v !== null && Number.isFinite(v)).length,
    pixels: pixelsOf(u, PALETTE[i % PALETTE.length]!),
  }));
}

function convergence(history: ConvergencePoint[], title: string): HTMLElement[] {
  const h = history.filter((p) => Number.isFinite(p.value) && p.value > 0);
  if (h.length === 0) return [el('p', 'No iterations yet.')];
  const out = [
    chart(
      `${title}: loss versus iteration`,
      h.map((p) => p.iteration),
      [{ label: 'loss V', values: h.map((p) => p.value) }],
      { logY: true, xlabel: 'iteration' },
    ),
    chart(
      `${title}: loss versus time`,
      h.map((p) => Math.max(p.elapsed, 1e-4)),
      [{ label: 'loss V', values: h.map((p) => p.value) }],
      { logY: true, logX: true, xlabel: 'seconds' },
    ),
  ];
  const damp = h.filter((p) => (p.lambda ?? p.alpha) !== undefined);
  if (damp.length > 0)
    out.push(
      chart(
        'damping λ / step α',
        damp.map((p) => p.iteration),
        [
          {
            label: damp[0]!.lambda !== undefined ? 'λ' : 'α',
            values: damp.map((p) => p.lambda ?? p.alpha ?? null),
          },
        ],
        { logY: true, xlabel: 'iteration' },
      ),
    );
  const admm = h.filter((p) => p.primal !== undefined);
  if (admm.length > 0)
    out.push(
      chart(
        'ADMM residuals',
        admm.map((p) => p.iteration),
        [
          { label: 'primal', values: admm.map((p) => (p.primal! > 0 ? p.primal! : null)) },
          { label: 'dual', values: admm.map((p) => (p.dual! > 0 ? p.dual! : null)) },
        ],
        { logY: true, xlabel: 'iteration' },
      ),
    );
  return out;
}

function metricsTable(runs: RunView[]): HTMLElement {
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

function blocksTable(blocks: BlockView[]): HTMLElement {
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

function toolbar(): HTMLElement {
  const bar = el('div', undefined, 'toolbar');
  const log = document.createElement('vscode-button');
  log.textContent = 'Open Log';
  log.setAttribute('secondary', '');
  log.addEventListener('click', () => vscode.postMessage({ type: 'openLog' }));
  bar.append(log);
  return bar;
}

/** uPlot draws a gap for null; NaN / ±∞ (a diverged simulation) would break the path. */
const finiteOrGap = (v: number): number | null => (Number.isFinite(v) ? v : null);

function channelLabel(p: PartView, c: number): string {
  const ch = p.outputs[c];
  return ch ? `${ch.name}${ch.unit ? ` [${ch.unit}]` : ''}` : `y${c + 1}`;
}

/** Renders are numbered so that a report describes the latest one only. */
let generation = 0;

/**
 * Measured and simulated output of every channel of every part, the x0 window (n_init) shaded.
 * Once every chart has drawn, the panel tells the host what it drew (series, points, pixels).
 */
function fittedResponses(r: RunView): HTMLElement[] {
  const gen = ++generation;
  const expected = r.parts.reduce((s, p) => s + p.y.length, 0);
  const drawn = new Map<number, DrawnChart>();
  const report = () => {
    if (gen !== generation || drawn.size !== expected) return;
    vscode.postMessage({
      type: 'drawn',
      drawn: {
        runDir: r.runDir,
        charts: [...drawn.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
      },
    });
  };
  const out: HTMLElement[] = [];
  let index = 0;
  for (const p of r.parts)
    p.y.forEach((ys, ch) => {
      const id = index++;
      const m = p.metrics[ch];
      const channel = p.outputs[ch] ?? { name: `y${ch + 1}` };
      const unit = channel.unit ? ` ${channel.unit}` : '';
      const part = `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}`;
      const k0 = p.k[0] ?? 0;
      const shade =
        p.nInit > 0
          ? {
              from: k0,
              to: k0 + p.nInit,
              label: `Shaded: the first ${p.nInit} samples only estimate x0 (metrics skip them).`,
              painted: false,
            }
          : undefined;
      out.push(
        chart(
          `Fitted response — ${part}: ${channel.name} (${p.N} samples; fit ${m?.fit.toFixed(1)} %, RMSE ${m?.rmse.toPrecision(3)}${unit})`,
          p.k,
          [
            { label: `${channel.name} measured`, values: ys.map(finiteOrGap) },
            { label: `${channel.name} simulated`, values: (p.yhat[ch] ?? []).map(finiteOrGap) },
          ],
          {
            xlabel:
              r.Ts !== undefined ? `sample (Ts = ${Number(r.Ts.toPrecision(6))} s)` : 'sample',
            ylabel: channelLabel(p, ch),
            pan: true,
            ...(shade ? { shade } : {}),
            onDraw: (u) => {
              if (drawn.has(id)) return;
              drawn.set(id, {
                kind: p.kind,
                part: p.name,
                channel: channel.name,
                ...(channel.unit ? { unit: channel.unit } : {}),
                series: drawnSeries(u),
                nInitShaded: shade?.painted ? p.nInit : 0,
              });
              report();
            },
          },
        ),
      );
    });
  if (expected === 0) queueMicrotask(report);
  return out;
}

function renderRun(r: RunView): void {
  root.replaceChildren();
  root.append(toolbar(), el('h2', r.title));
  root.append(
    el(
      'p',
      `${r.method}: ${r.message} — ${r.iterations} iterations, loss ${r.value.toExponential(4)}, ${r.wallSeconds.toFixed(2)} s${r.nonZeros !== undefined ? `; ${r.nonZeros} of ${r.parameters} parameters non-zero` : ''}`,
      'summary',
    ),
  );
  root.append(metricsTable([r]));
  root.append(
    el(
      'p',
      'Fitted response (blue measured, red simulated): drag or wheel to zoom, shift-drag to pan, double-click to reset.',
      'note',
    ),
    ...fittedResponses(r),
  );
  if (r.blocks) {
    const removable = r.removableStates?.length
      ? `; states that can be removed: ${r.removableStates.map((x) => `x${x + 1}`).join(', ')}`
      : '';
    root.append(
      el('h3', `Parameters: ${r.nonZeros} of ${r.parameters} non-zero${removable}`),
      blocksTable(r.blocks),
    );
  }
  root.append(...convergence(r.history, 'Convergence'));
}

function renderCompare(runs: RunView[]): void {
  root.replaceChildren();
  root.append(el('h2', `Compare ${runs.length} runs`));
  root.append(metricsTable(runs));
  const its = [...new Set(runs.flatMap((r) => r.history.map((h) => h.iteration)))].sort(
    (a, b) => a - b,
  );
  root.append(
    chart(
      'Loss versus iteration',
      its,
      runs.map((r) => ({
        label: r.title,
        values: its.map((i) => r.history.find((h) => h.iteration === i)?.value ?? null),
      })),
      { logY: true, xlabel: 'iteration' },
    ),
  );
}

function render(m: HostToView): void {
  if (m.type === 'live') {
    root.replaceChildren(
      el('h2', `${m.title} — training…`),
      ...convergence(m.history, 'Convergence (live)'),
    );
  } else if (m.type === 'run') renderRun(m.run);
  else renderCompare(m.runs);
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (!isHostMessage(e.data)) return;
  vscode.setState(e.data);
  render(e.data);
});
const saved = vscode.getState();
if (isHostMessage(saved)) render(saved);
vscode.postMessage({ type: 'ready' });
