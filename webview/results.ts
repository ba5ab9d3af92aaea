/**
 * The results panel (browser side): metrics, the fitted response per part with zoom (drag, wheel),
 * pan (shift-drag) and reset (double-click), the residual analysis (residuals.ts), parameter
 * blocks and convergence; Compare Runs (compare.ts). Colours come from VS Code's theme
 * (charts/theme.ts) and the panel redraws when the theme changes.
 */
import { mark, timing } from './timing';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  isHostMessage,
  type DrawnChart,
  type HostToView,
  type PartRows,
  type RangeRequest,
  type RunInputs,
  type RunView,
  type ViewToHost,
} from '../src/protocol/webview-messages';
import {
  chart,
  drawnSeries,
  plotPixels,
  themeColors,
  type Chart,
  type ExportFormat,
} from './charts/chart';
import { onThemeChange } from './charts/theme';
import { renderCompare } from './compare';
import { convergence } from './convergence';
import { el } from './dom';
import { defaultPart, residualSection } from './residuals';
import { blocksTable, channelLabel, metricsTable } from './tables';

mark('modules');
declare function acquireVsCodeApi(): {
  postMessage(m: ViewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
};
const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
const width = () => Math.max(320, Math.min(root.clientWidth - 24, 1100));
const onExport = (format: ExportFormat, name: string, data: string) =>
  vscode.postMessage({ type: 'export', format, name, data });

/** What the panel shows: the latest host message, the run's inputs and the analysed part. */
interface State {
  main?: HostToView;
  inputs?: RunInputs;
  residualPart?: number;
}
let state: State = {};

/** The sections of a run's page, for the links at its top (and the host's `reveal`). */
const SECTIONS = [
  ['fitted', 'Fitted response'],
  ['residuals', 'Residual analysis'],
  ['convergence', 'Convergence'],
] as const;

function toolbar(): HTMLElement {
  const bar = el('div', undefined, 'toolbar');
  if (state.main?.type === 'run')
    for (const [id, label] of SECTIONS) {
      const a = el('a', label, 'section-link');
      a.href = `#${id}`;
      a.addEventListener('click', (e) => {
        e.preventDefault();
        document.getElementById(id)?.scrollIntoView({ block: 'start' });
      });
      bar.append(a);
    }
  const log = document.createElement('vscode-button');
  log.textContent = 'Open Log';
  log.setAttribute('secondary', '');
  log.addEventListener('click', () => vscode.postMessage({ type: 'openLog' }));
  bar.append(log);
  return bar;
}

/** uPlot draws a gap for null; NaN / ±∞ (a diverged simulation) would break the path. */
const finiteOrGap = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Range requests waiting for the host's answer (an overview part's chart zoomed in). */
const waiting = new Map<number, (rows: PartRows | undefined) => void>();
let nextRange = 0;
function readRange(request: RangeRequest): Promise<PartRows | undefined> {
  const id = ++nextRange;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    vscode.postMessage({ type: 'range', id, request });
  });
}

/** Renders are numbered so that a report describes the latest one only. */
let generation = 0;

/**
 * Measured and simulated output of every channel of every part, the x0 window (n_init) shaded.
 * Once every chart has drawn, the panel tells the host what it drew (series, points, pixels, colours).
 */
function fittedResponses(r: RunView): HTMLElement[] {
  const gen = ++generation;
  const expected = r.parts.reduce((s, p) => s + p.y.length, 0);
  const drawn = new Map<number, DrawnChart>();
  let first: Chart | undefined;
  const report = () => {
    if (gen !== generation || drawn.size !== expected) return;
    vscode.postMessage({
      type: 'drawn',
      drawn: {
        runDir: r.runDir,
        charts: [...drawn.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
        ...(first ? { colors: themeColors(first.theme), theme: first.theme.kind } : {}),
        timing: { ...timing, drawn: performance.timeOrigin + performance.now() },
      },
    });
  };
  const out: HTMLElement[] = [];
  let index = 0;
  r.parts.forEach((p, partIndex) =>
    p.y.forEach((ys, ch) => {
      const id = index++;
      const m = p.metrics[ch];
      const channel = p.outputs[ch] ?? { name: `y${ch + 1}` };
      const unit = channel.unit ? ` ${channel.unit}` : '';
      const part = `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}`;
      const k0 = p.k[0] ?? 0;
      const shade =
        p.nInit > 0 ? { from: k0, to: k0 + p.nInit, edge: true, painted: false } : undefined;
      const c: Chart = chart(
        `Fitted response — ${part}: ${channel.name} (${p.N} samples; fit ${m?.fit.toFixed(1)} %, RMSE ${m?.rmse.toPrecision(3)}${unit})`,
        p.k,
        [
          { label: `${channel.name} measured`, values: ys.map(finiteOrGap) },
          { label: `${channel.name} simulated`, values: (p.yhat[ch] ?? []).map(finiteOrGap) },
        ],
        {
          xlabel: r.Ts !== undefined ? `sample (Ts = ${Number(r.Ts.toPrecision(6))} s)` : 'sample',
          ylabel: channelLabel(p, ch),
          pan: true,
          decimate: true,
          // A long part came as an overview: a zoomed range is read at full resolution.
          ...(p.overview
            ? {
                detail: (from: number, to: number, pixels: number) =>
                  readRange({ runDir: r.runDir, part: partIndex, from, to, pixels }).then(
                    (rows) =>
                      rows && {
                        xs: rows.k,
                        values: [
                          (rows.y[ch] ?? []).map(finiteOrGap),
                          (rows.yhat[ch] ?? []).map(finiteOrGap),
                        ],
                      },
                  ),
              }
            : {}),
          onExport,
          ...(shade
            ? {
                shades: [shade],
                note: `Shaded: the first ${p.nInit} samples only estimate x0 (metrics skip them).`,
              }
            : {}),
          onDraw: () => {
            if (drawn.has(id)) return;
            drawn.set(id, {
              kind: p.kind,
              part: p.name,
              channel: channel.name,
              ...(channel.unit ? { unit: channel.unit } : {}),
              series: drawnSeries(c),
              nInitShaded: shade?.painted ? p.nInit : 0,
            });
            report();
          },
        },
        width(),
      );
      first ??= c;
      out.push(c.box);
    }),
  );
  if (expected === 0) queueMicrotask(report);
  return out;
}

/** The residual analysis with its part selector (test part by default). */
function residuals(r: RunView): HTMLElement {
  const box = el('div');
  box.id = 'residuals';
  const index = Math.min(state.residualPart ?? defaultPart(r), r.parts.length - 1);
  const head = el('div', undefined, 'chart-head');
  head.append(el('h2', 'Residual analysis'));
  const select = el('select');
  r.parts.forEach((p, i) => {
    const o = el('option', `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}`);
    o.value = String(i);
    o.selected = i === index;
    select.append(o);
  });
  const section = () =>
    residualSection(
      r,
      Number(select.value),
      state.inputs?.runDir === r.runDir ? state.inputs : undefined,
      {
        width: width(),
        onExport,
        report: (drawn) => vscode.postMessage({ type: 'residuals', drawn }),
      },
    );
  let current = section();
  select.addEventListener('change', () => {
    state.residualPart = Number(select.value);
    vscode.setState(state);
    const next = section();
    current.replaceWith(next);
    current = next;
  });
  head.append(select);
  box.append(
    head,
    el(
      'p',
      'Residuals e = y − ŷ after the n_init samples; whiteness (autocorrelation) and independence from the inputs (cross-correlation): about 99 % of the lags of a good model lie inside the dashed ±2.58/√N band.',
      'note',
    ),
    current,
  );
  return box;
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
  const fitted = el(
    'p',
    'Fitted response (measured and simulated): drag or wheel to zoom, shift-drag to pan, double-click to reset; PNG / SVG export each chart.',
    'note',
  );
  fitted.id = 'fitted';
  root.append(fitted, ...fittedResponses(r));
  mark('charts built', true);
  // The fitted response first: the sections below (residual analysis, parameters, convergence)
  // are built after the next frame, so the charts at the top paint (and their report leaves the
  // page) without waiting for them.
  const gen = generation;
  afterRest ??= [];
  afterPaint(() => {
    if (gen !== generation) return;
    renderRunRest(r);
    const waiting = afterRest ?? [];
    afterRest = undefined;
    for (const f of waiting) f();
  });
}

/** What waits for the sections below the fitted responses (a `reveal`) while they are built. */
let afterRest: (() => void)[] | undefined;

/** Runs `f` in a task after the next frame (or after 100 ms, when no frame comes: a hidden panel). */
function afterPaint(f: () => void): void {
  let done = false;
  const go = () => {
    if (done) return;
    done = true;
    setTimeout(f, 0);
  };
  requestAnimationFrame(go);
  setTimeout(go, 100);
}

let savePending = false;

/**
 * Saves the state for a reload, once, in a task after the next frame: the copy is as large as the
 * run message, and the charts should paint (and their report leave) first.
 */
function saveState(): void {
  if (savePending) return;
  savePending = true;
  afterPaint(() => {
    savePending = false;
    vscode.setState(state);
  });
}

/** The sections of a run below its fitted responses. */
function renderRunRest(r: RunView): void {
  if (r.parts.length > 0) root.append(residuals(r));
  if (r.blocks) {
    const removable = r.removableStates?.length
      ? `; states that can be removed: ${r.removableStates.map((x) => `x${x + 1}`).join(', ')}`
      : '';
    root.append(
      el('h3', `Parameters: ${r.nonZeros} of ${r.parameters} non-zero${removable}`),
      blocksTable(r.blocks),
    );
  }
  const conv = el('h2', 'Convergence');
  conv.id = 'convergence';
  root.append(conv, ...convergence(r.history, 'Convergence', width()));
}

function render(): void {
  const m = state.main;
  if (!m) return;
  // A new page: what the previous one left to do later (its reports, its lower sections) lapses.
  generation++;
  if (m.type === 'live')
    root.replaceChildren(
      el('h2', `${m.title} — training…`),
      ...convergence(m.history, 'Convergence (live)', width()),
    );
  else if (m.type === 'run') renderRun(m.run);
  else if (m.type === 'compare')
    renderCompare(root, m.runs, width(), onExport, (drawn) =>
      vscode.postMessage({ type: 'drawn', drawn }),
    );
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (!isHostMessage(e.data)) return;
  const m = e.data;
  mark(`message ${m.type}`, true);
  if (m.type === 'reveal') {
    // The sections below the fitted responses are built after them: wait for them.
    const go = () => document.getElementById(m.section)?.scrollIntoView({ block: 'start' });
    if (document.getElementById(m.section)) go();
    else afterRest?.push(go);
    return;
  }
  if (m.type === 'range') {
    waiting.get(m.id)?.(m.rows);
    waiting.delete(m.id);
    return;
  }
  if (m.type === 'inputs') {
    state.inputs = m.inputs;
    saveState();
    // Only the residual section needs them: rebuild it when it shows that run (a section not
    // built yet reads them when it is).
    const shown = state.main?.type === 'run' ? state.main.run : undefined;
    const box = document.getElementById('residuals');
    if (shown && shown.runDir === m.inputs.runDir && box) box.replaceWith(residuals(shown));
    return;
  }
  state = { main: m, ...(state.inputs ? { inputs: state.inputs } : {}) };
  render();
  saveState();
});
onThemeChange(render);
const saved = vscode.getState() as State | undefined;
if (saved && isHostMessage(saved.main)) {
  state = saved;
  render();
}
mark('ready');
vscode.postMessage({ type: 'ready', pixels: plotPixels(width()) });
