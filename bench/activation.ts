/**
 * Activation cost of the extension inside a real VS Code (the code-server server build, headless
 * Chromium; see scripts/vscode-test.mjs): each repetition starts a fresh server and workbench on
 * an empty workspace and runs the suite's `activation` part (test/vscode/activation.ts), which
 * times `activate()` (loading dist/extension.cjs included), the extension host's memory growth,
 * checks that the language server has not started, and times the first spec's diagnostics.
 * Medians over the repetitions go to bench/results.json (rows with `benchmark: "activation"`,
 * replacing earlier ones) and a markdown table is printed for BENCHMARKS.md.
 *   npx tsx bench/activation.ts [--runs 5] [--code-server 4.100.3]
 * Needs `npm run build` first (dist/, dist-test/).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ActivationSample } from '../test/vscode/activation';
import { commandLine, machineInfo } from './machine';
import { vscodeSamples } from './vscode-sample';
import { median } from './median';

const ROOT = path.resolve(import.meta.dirname, '..');

/** One row of bench/results.json for this benchmark. */
export interface ActivationRow {
  benchmark: 'activation';
  vscode: string;
  runs: number;
  activate_ms_median: number;
  activate_ms_max: number;
  heap_delta_mb_median: number;
  rss_delta_mb_median: number;
  language_server_started_at_activation: boolean;
  first_diagnostics_ms_median: number;
  target_ms: number;
  command: string;
  date: string;
  commit: string;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'code-server': { type: 'string', default: '4.100.3' },
    },
  });
  const runs = Number(values.runs);
  const samples = vscodeSamples<ActivationSample>({
    suite: 'activation',
    runs,
    codeServer: values['code-server'],
    outVar: 'NAILS_ACTIVATION_OUT',
    onSample: (sample, i) =>
      console.error(
        `run ${i}: activate ${sample.activateMs.toFixed(0)} ms, heap +${sample.heapDeltaMB.toFixed(1)} MB, rss +${sample.rssDeltaMB.toFixed(1)} MB, first diagnostics ${sample.firstDiagnosticsMs.toFixed(0)} ms`,
      ),
  });
  const m = machineInfo();
  const row: ActivationRow = {
    benchmark: 'activation',
    vscode: samples[0]!.vscodeVersion,
    runs,
    activate_ms_median: median(samples.map((s) => s.activateMs)),
    activate_ms_max: Math.max(...samples.map((s) => s.activateMs)),
    heap_delta_mb_median: median(samples.map((s) => s.heapDeltaMB)),
    rss_delta_mb_median: median(samples.map((s) => s.rssDeltaMB)),
    language_server_started_at_activation: samples.some((s) => s.serverRunningAtActivation),
    first_diagnostics_ms_median: median(samples.map((s) => s.firstDiagnosticsMs)),
    target_ms: 150,
    command: commandLine(),
    date: m.date,
    commit: m.commit,
  };
  const file = path.join(ROOT, 'bench', 'results.json');
  const rows = (JSON.parse(readFileSync(file, 'utf8')) as { benchmark?: string; vscode?: string }[])
    .filter((x) => !(x.benchmark === 'activation' && x.vscode === row.vscode))
    .concat([row]);
  writeFileSync(file, `${JSON.stringify(rows, null, 1)}\n`);
  const table = [
    '| VS Code | runs | activate (median, max) | memory growth (median) | language server started at activation | first diagnostics (median) |',
    '| --- | ---: | --- | --- | --- | ---: |',
    ...rows
      .filter((x): x is ActivationRow => x.benchmark === 'activation')
      .map(
        (r) =>
          `| ${r.vscode} | ${r.runs} | ${r.activate_ms_median.toFixed(0)} ms, ${r.activate_ms_max.toFixed(0)} ms | +${r.heap_delta_mb_median.toFixed(1)} MB heap, +${r.rss_delta_mb_median.toFixed(1)} MB RSS | ${r.language_server_started_at_activation ? 'yes' : 'no'} | ${r.first_diagnostics_ms_median.toFixed(0)} ms |`,
      ),
  ].join('\n');
  writeFileSync(
    path.join(ROOT, 'bench', 'results', 'activation.md'),
    `# Activation inside VS Code (bench/activation.ts)\n\nCommand: \`${row.command}\` (per VS Code version: \`--code-server 4.100.3\` or \`4.117.0\`); last run ${m.date}, commit ${m.commit}, ${m.cpu} (${m.cores} cores). Target: activate < ${row.target_ms} ms.\n\n${table}\n`,
  );
  console.log(
    `| VS Code ${row.vscode} | ${runs} | ${row.activate_ms_median.toFixed(0)} ms (max ${row.activate_ms_max.toFixed(0)}) | +${row.heap_delta_mb_median.toFixed(1)} MB heap, +${row.rss_delta_mb_median.toFixed(1)} MB RSS | ${row.language_server_started_at_activation ? 'yes' : 'no'} | ${row.first_diagnostics_ms_median.toFixed(0)} ms |`,
  );
  console.log(
    `Command: \`${row.command}\` — ${m.date}, commit ${m.commit}, ${m.cpu} (${m.cores} cores).`,
  );
}

main();
