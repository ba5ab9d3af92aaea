/**
 * Opening a long fitted response in the results panel (issue #18: "a 1e6-sample fitted response
 * opens in < 1 s, min/max decimation per pixel, full resolution on zoom"). Writes a run folder
 * whose test part has N samples (one output with spikes, the simulated response beside it) with
 * the trainer's own writer, then times each stage of what happens when the panel opens it,
 * outside VS Code:
 *   1. read: `readRunView` (the extension's job thread reads report.json and the predictions —
 *      the binary columns the trainer writes for a long part — and reduces them for display);
 *      also the predictions CSV parsed alone (a run folder written before the binary columns);
 *   2. to the host: structured clone of the view (the job thread's postMessage);
 *   3. to the webview: JSON of the message (what VS Code serialises for webview.postMessage) and
 *      its size, then JSON.parse (the webview's side of it);
 *   4. chart data: the webview's min/max decimation of the received series for a 1,200-pixel plot
 *      (webview/charts/min-max.ts), what uPlot is then given;
 *   5. zoom: the range a 1,200-pixel plot zoomed to 2,000 samples asks for, at full resolution
 *      (`readRunRange`, from the columns the job thread keeps parsed), as JSON.
 * The webview's drawing (uPlot on a canvas in Chromium) is not in these numbers; with --vscode N
 * the whole opening is also timed N times inside a real VS Code (test/vscode/panel-open.ts: a
 * fresh server and headless workbench each time, from `nails.showResults` to the webview's report
 * that it drew the chart). Medians over repeats; rows replace earlier `benchmark: "results-panel"`
 * rows of bench/results.json; the table goes to bench/results/results-panel.md.
 *
 *   npx tsx bench/results-panel.ts [--samples 1000000] [--repeats 5] [--vscode 3] [--no-write]
 * --vscode needs `npm run build` first (dist/, dist-test/) and the VS Code test install
 * (scripts/setup-vscode-test.sh).
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { PartView } from '../src/protocol/webview-messages';
import { parseColumns } from '../src/run/prediction-rows';
import { readRunRange, readRunView } from '../src/run/run-view';
import { writeLongRun } from '../test/fixtures/long-run';
import type { PanelSample } from '../test/vscode/panel-open';
import { vscodeSamples } from './vscode-sample';
import { minMaxDecimate } from '../webview/charts/min-max';
import { commandLine, machineInfo } from './machine';

const ROOT = path.resolve(import.meta.dirname, '..');
const PIXELS = 1200;

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '5' },
    vscode: { type: 'string', default: '0' },
    'no-write': { type: 'boolean', default: false },
  },
});
const N = Number(values.samples);
const repeats = Number(values.repeats);

/** A run folder with one test part of N samples (test/fixtures/long-run.ts). */
function runFolder(root: string): string {
  const spec = path.join(root, 'long.nails');
  writeFileSync(spec, 'experiment long\n');
  return writeLongRun(root, spec, N);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

interface Stages {
  read: number;
  /** Reading and parsing the CSV alone (a run folder without the binary columns). */
  csvOnly: number;
  clone: number;
  stringify: number;
  parse: number;
  decimate: number;
  total: number;
  zoom: number;
  bytes: number;
  points: number;
  zoomPoints: number;
}

function once(dir: string, i: number): Stages {
  // A new modification time: the job thread's cache of parsed predictions does not hold it, so
  // every repeat reads the file cold (as the first opening of a run does).
  const csv = path.join(dir, 'predictions', 'test-test.csv');
  const at = new Date(Date.now() + 1000 * (i + 1));
  utimesSync(csv, at, at);
  const bin = csv.replace(/\.csv$/, '.f64');
  if (existsSync(bin)) utimesSync(bin, at, at);
  const [view, read] = time(() => readRunView(dir));
  const [, csvOnly] = time(() => parseColumns(readFileSync(csv)));
  const [cloned, clone] = time(() => structuredClone(view));
  const [json, stringify] = time(() => JSON.stringify({ type: 'run', run: cloned }));
  const [received, parse] = time(() => JSON.parse(json) as { run: { parts: PartView[] } });
  const p = received.run.parts[0]!;
  const [, decimate] = time(() =>
    minMaxDecimate(p.k, [p.y[0]!, p.yhat[0]!], p.k[0]!, p.k.at(-1)!, PIXELS),
  );
  // Zoomed in to 2,000 samples in the middle: the range the chart asks the host for.
  const a = Math.floor(N / 2) - Math.min(1000, Math.floor(N / 2));
  const [range, zoom] = time(() => JSON.stringify(readRunRange(dir, 0, a, a + 2000, PIXELS)));
  const zoomPoints = (JSON.parse(range) as { k: number[] }).k.length;
  return {
    read,
    csvOnly,
    clone,
    stringify,
    parse,
    decimate,
    total: read + clone + stringify + parse + decimate,
    zoom,
    bytes: Buffer.byteLength(json),
    points: p.k.length,
    zoomPoints,
  };
}

const root = mkdtempSync(path.join(tmpdir(), 'nails-panel-'));
const dir = runFolder(root);
const csvBytes = statSync(path.join(dir, 'predictions', 'test-test.csv')).size;
const runs: Stages[] = [];
for (let i = 0; i < repeats; i++) {
  runs.push(once(dir, i));
  const r = runs.at(-1)!;
  process.stderr.write(
    `run ${i + 1}: read ${r.read.toFixed(0)} ms, clone ${r.clone.toFixed(0)}, JSON ${r.stringify.toFixed(0)} + ${r.parse.toFixed(0)} ms (${(r.bytes / 1e6).toFixed(2)} MB, ${r.points} points), decimate ${r.decimate.toFixed(1)} ms; total ${r.total.toFixed(0)} ms; zoom range ${r.zoom.toFixed(0)} ms (${r.zoomPoints} points)\n`,
  );
}
rmSync(root, { recursive: true, force: true });

/** `name time, …` in time order (test/vscode/panel-open.ts: host marks and the view's, `view …`). */
const stagesLine = (st: Record<string, number>) =>
  Object.entries(st)
    .sort((a, b) => a[1] - b[1])
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');

/** The whole opening inside a real VS Code (1.100.3), `n` times. */
function inVsCode(n: number): PanelSample[] {
  return vscodeSamples<PanelSample>({
    suite: 'panel-open',
    runs: n,
    codeServer: '4.100.3',
    outVar: 'NAILS_PANEL_OUT',
    env: { NAILS_PANEL_SAMPLES: String(N) },
    onSample: (s, i) =>
      process.stderr.write(
        `VS Code run ${i}: opened in ${s.openMs.toFixed(0)} ms, again in ${s.reopenMs.toFixed(0)} ms; job-thread read ${s.readMs.toFixed(0)} ms\n  first panel, ms after the command: ${stagesLine(s.stages)}\n`,
      ),
  });
}
const vs = inVsCode(Number(values.vscode));

/** Per stage, the median over the runs that reached it. */
function medianStages(all: Record<string, number>[]): Record<string, number> {
  const names = [...new Set(all.flatMap((st) => Object.keys(st)))];
  const out = names.map((k): [string, number] => [
    k,
    Math.round(median(all.flatMap((st) => (st[k] === undefined ? [] : [st[k]])))),
  ]);
  return Object.fromEntries(out.sort((a, b) => a[1] - b[1]));
}

const m = machineInfo();
const load = loadavg()[0]!;
const med = (k: keyof Stages) => median(runs.map((r) => r[k]));
const row = {
  benchmark: 'results-panel',
  samples: N,
  csv_mb: csvBytes / 1e6,
  repeats,
  read_ms_median: med('read'),
  read_from_csv_only_ms_median: med('csvOnly'),
  clone_ms_median: med('clone'),
  json_stringify_ms_median: med('stringify'),
  json_parse_ms_median: med('parse'),
  decimate_ms_median: med('decimate'),
  total_ms_median: med('total'),
  total_ms_max: Math.max(...runs.map((r) => r.total)),
  message_mb: runs[0]!.bytes / 1e6,
  points_sent: runs[0]!.points,
  zoom_range_ms_median: med('zoom'),
  zoom_points: runs[0]!.zoomPoints,
  ...(vs.length > 0
    ? {
        vscode: vs[0]!.vscodeVersion,
        vscode_runs: vs.length,
        vscode_open_ms_median: median(vs.map((v) => v.openMs)),
        vscode_open_ms_max: Math.max(...vs.map((v) => v.openMs)),
        vscode_reopen_ms_median: median(vs.map((v) => v.reopenMs)),
        vscode_job_read_ms_median: median(vs.map((v) => v.readMs)),
        vscode_points_drawn: vs[0]!.series.map((x) => x.points),
        vscode_first_panel_stages_ms_median: medianStages(vs.map((v) => v.stages)),
      }
    : {}),
  target_ms: 1000,
  load_average_1min: load,
  measured:
    'host read + job-thread clone + webview message JSON both ways + webview decimation; not the canvas drawing',
  command: commandLine(),
  date: m.date,
  commit: m.commit,
  node_version: m.node,
};
const f = (x: number) => x.toFixed(1);
const md =
  `# Opening a ${N.toLocaleString('en')}-sample fitted response (bench/results-panel.ts)\n\n` +
  `Command: \`${row.command}\` — ${m.date}, commit ${m.commit}, ${m.cpu} (${m.cores} cores), Node ${m.node}; 1-minute load average ${load.toFixed(2)}. Predictions CSV ${f(row.csv_mb)} MB.\n\n` +
  '| read (job thread) ms | CSV parse instead ms | clone to host ms | JSON out ms | JSON in ms | decimate ms | total ms (median, max) | message MB | points sent | zoom range ms (points) |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
  `| ${f(row.read_ms_median)} | ${f(row.read_from_csv_only_ms_median)} | ${f(row.clone_ms_median)} | ${f(row.json_stringify_ms_median)} | ${f(row.json_parse_ms_median)} | ${f(row.decimate_ms_median)} | ${f(row.total_ms_median)}, ${f(row.total_ms_max)} | ${row.message_mb.toFixed(2)} | ${row.points_sent} | ${f(row.zoom_range_ms_median)} (${row.zoom_points}) |\n` +
  (vs.length > 0
    ? `\nInside VS Code ${vs[0]!.vscodeVersion} (fresh server and workbench per run): \`nails.showResults\` → drawn, the window's first panel ${vs.map((v) => v.openMs.toFixed(0)).join(', ')} ms (median ${f(median(vs.map((v) => v.openMs)))}); a second run of the same length, the panel open, ${vs.map((v) => v.reopenMs.toFixed(0)).join(', ')} ms (median ${f(median(vs.map((v) => v.reopenMs)))}), of which the job thread's read alone ${vs.map((v) => v.readMs.toFixed(0)).join(', ')} ms; points held per series ${vs[0]!.series.map((x) => x.points).join(' / ')}.\n\nThe first panel stage by stage (medians, ms after the command; host: \`created\`, \`html\` set, job-thread \`reading\` started, \`ready\` received, run \`posted\`, \`drawn\` report received; the page, \`view …\`: frame start \`origin\`, bundle's first line \`script\`, \`ready\` posted, run message received, fitted-response charts built and drawn): ${stagesLine(medianStages(vs.map((v) => v.stages)))}.\n`
    : '');
process.stdout.write(md);
if (!values['no-write']) {
  const results = path.join(ROOT, 'bench', 'results.json');
  const old = JSON.parse(readFileSync(results, 'utf8')) as { benchmark?: string }[];
  const kept = old.filter((r) => r.benchmark !== 'results-panel');
  writeFileSync(results, `${JSON.stringify([...kept, row], null, 1)}\n`);
  writeFileSync(path.join(ROOT, 'bench', 'results', 'results-panel.md'), md);
}
