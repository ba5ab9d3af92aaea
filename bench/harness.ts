/**
 * Benchmark harness against the field (issue: benchmarks): for each dataset, the bench spec
 * (bench/specs/<dataset>.nails, the smooth objective) is trained by the `nails` command line with
 * NAILM, NAILS, Adam and L-BFGS from the same seeded start, plus NAILM from several starts; the
 * run folders give the test metric on every official test set, the training loss, the history
 * (for the time each method needs to reach L-BFGS's final loss) and the peak memory.
 *
 *   npx tsx bench/harness.ts [--dataset NAME|all] [--smoke] [--out bench/results/harness]
 *
 * --smoke: Cascaded Tanks only, 3 iterations per method, no plots (run by the test suite).
 * Writes <out>.json (records), <out>.md and, unless smoke, PNG plots beside it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { RunReport } from '../src/io/run-folder';
import { commandLine, machineInfo } from './machine';
import { color, linePlot } from './svg-plot';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.cjs');

interface DatasetBench {
  id: string;
  unit: string;
  /** Factor from the data's unit to the reported unit (V → mV: 1000). */
  scale: number;
  /** Iteration budgets: Gauss–Newton methods, first-order methods. */
  gn: number;
  firstOrder: number;
  /** NAILM multi-start (0 = none). */
  starts: number;
  target?: { testSet: string; rmse: number };
}

export const DATASETS: DatasetBench[] = [
  { id: 'binary_output', unit: '% accuracy', scale: 1, gn: 200, firstOrder: 2000, starts: 4 },
  {
    id: 'cascaded_tanks',
    unit: 'V',
    scale: 1,
    gn: 200,
    firstOrder: 2000,
    starts: 8,
    target: { testSet: 'test', rmse: 0.25 },
  },
  { id: 'two_tank', unit: 'm', scale: 1, gn: 100, firstOrder: 1000, starts: 0 },
  { id: 'mr_damper', unit: 'N', scale: 1, gn: 100, firstOrder: 1000, starts: 0 },
  {
    id: 'silverbox',
    unit: 'mV',
    scale: 1000,
    gn: 60,
    firstOrder: 300,
    starts: 0,
    target: { testSet: 'multisine', rmse: 0.5 },
  },
  {
    id: 'wiener_hammerstein_2009',
    unit: 'mV',
    scale: 1000,
    gn: 60,
    firstOrder: 300,
    starts: 0,
    target: { testSet: 'test', rmse: 1 },
  },
];

export interface HarnessRecord {
  dataset: string;
  test_set: string;
  method: string;
  test_rmse: number;
  unit: string;
  fit_percent: number;
  accuracy_percent?: number;
  train_loss: number;
  wall_s: number;
  time_to_lbfgs_loss_s: number | null;
  iterations: number;
  starts: number;
  select: string;
  peak_rss_mb: number;
  command: string;
  machine: { cores: number; cpu: string };
  node_version: string;
  commit: string;
  run_folder: string;
}

interface Run {
  method: string;
  label: string;
  starts: number;
  report: RunReport;
  dir: string;
  command: string;
}

function train(
  spec: string,
  method: string,
  iterations: number,
  starts: number,
  out: string,
  dataDirs: string[],
): Run {
  const args = [
    CLI,
    'train',
    spec,
    '--method',
    method,
    '--iterations',
    String(iterations),
    '--out',
    out,
    '--quiet',
    ...(starts > 1 ? ['--starts', String(starts)] : []),
  ];
  const before = new Set(readdirSync(out));
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, NAILS_DATA_DIR: dataDirs[0] ?? '' },
  });
  if (r.status !== 0) throw new Error(`nails train failed (${method}): ${r.stderr}`);
  const dir = path.join(
    out,
    readdirSync(out).find((d) => !before.has(d))!,
  );
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as RunReport;
  const command = `nails ${args
    .slice(1)
    .map((a) => (a === out ? '<out>' : path.relative(ROOT, a) || a))
    .join(' ')}`;
  return {
    method,
    label:
      starts > 1 ? `${method.toUpperCase()} ×${starts} (best training loss)` : method.toUpperCase(),
    starts,
    report,
    dir,
    command,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      smoke: { type: 'boolean' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const smoke = values.smoke ?? false;
  const outBase =
    values.out ?? path.join(ROOT, 'bench', 'results', smoke ? 'harness-smoke' : 'harness');
  const dataDirs = [
    values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'data'),
  ];
  const selected = smoke
    ? DATASETS.filter((d) => d.id === 'cascaded_tanks')
    : values.dataset && values.dataset !== 'all'
      ? DATASETS.filter((d) => d.id === values.dataset)
      : DATASETS;
  if (selected.length === 0)
    throw new Error(
      `unknown dataset ${values.dataset}; use one of ${DATASETS.map((d) => d.id).join(', ')}, all`,
    );
  // The runs go through the CLI bundle: rebuild it so that it is the code being measured.
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`the build failed:\n${build.stderr}`);
  const machine = machineInfo();
  const records: HarnessRecord[] = [];
  const plots: string[] = [];
  const runsRoot = mkdtempSync(path.join(tmpdir(), 'nails-harness-'));
  for (const ds of selected) {
    const spec = path.join(ROOT, 'bench', 'specs', `${ds.id}.nails`);
    const out = mkdtempSync(path.join(runsRoot, `${ds.id}-`));
    const gn = smoke ? 3 : ds.gn;
    const fo = smoke ? 3 : ds.firstOrder;
    const runs: Run[] = [
      train(spec, 'lbfgs', fo, 1, out, dataDirs),
      train(spec, 'nailm', gn, 1, out, dataDirs),
      train(spec, 'nails', gn, 1, out, dataDirs),
      train(spec, 'adam', fo, 1, out, dataDirs),
    ];
    if (!smoke && ds.starts > 1) runs.push(train(spec, 'nailm', gn, ds.starts, out, dataDirs));
    const lbfgsLoss = runs[0]!.report.value;
    for (const run of runs) {
      const hist = run.report.history.filter((h) => h.accepted && Number.isFinite(h.value));
      const reach =
        run.starts > 1
          ? null
          : (hist.find((h) => h.value <= lbfgsLoss * (1 + 1e-12))?.elapsed ?? null);
      for (const part of run.report.parts.filter((p) => p.kind === 'test')) {
        const m = part.metrics[0]!;
        records.push({
          dataset: ds.id,
          test_set: part.name,
          method: run.label,
          test_rmse: m.rmse! * ds.scale,
          unit: ds.id === 'binary_output' ? '' : ds.unit,
          fit_percent: m.fit!,
          ...(ds.id === 'binary_output' ? { accuracy_percent: m.accuracy! } : {}),
          train_loss: run.report.value,
          wall_s: run.report.wallSeconds ?? run.report.elapsed,
          time_to_lbfgs_loss_s: reach,
          iterations: run.report.iterations,
          starts: run.starts,
          select: run.starts > 1 ? 'training loss' : '—',
          peak_rss_mb: run.report.peakRssMb ?? NaN,
          command: run.command,
          machine: { cores: machine.cores, cpu: machine.cpu },
          node_version: machine.node,
          commit: machine.commit,
          run_folder: path.relative(runsRoot, run.dir),
        });
      }
      process.stderr.write(
        `${ds.id} ${run.label}: loss ${run.report.value.toExponential(4)}, ${(run.report.wallSeconds ?? 0).toFixed(1)} s\n`,
      );
    }
    if (!smoke) {
      const base = path.join(path.dirname(outBase), `${ds.id}`);
      plots.push(
        linePlot(`${base}-loss`, {
          title: `${ds.id}: training loss versus wall time (same objective, same start)`,
          xlabel: 'wall time, s',
          ylabel: 'training loss V',
          logX: true,
          logY: true,
          series: runs
            .filter((r) => r.starts === 1)
            .map((r, i) => ({
              name: r.label,
              x: r.report.history.filter((h) => h.accepted).map((h) => h.elapsed),
              y: r.report.history.filter((h) => h.accepted).map((h) => h.value),
              color: color(i),
            })),
        }),
      );
      const best = runs[1]!; // NAILM, single start
      for (const f of readdirSync(path.join(best.dir, 'predictions')).filter((x) =>
        x.startsWith('test-'),
      )) {
        const rows = readFileSync(path.join(best.dir, 'predictions', f), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',').map(Number));
        const stride = Math.max(1, Math.floor(rows.length / 4000));
        const sel = rows.filter((_, i) => i % stride === 0);
        plots.push(
          linePlot(`${base}-${f.replace('.csv', '')}`, {
            title: `${ds.id} ${f.replace('.csv', '')}: measured and simulated (NAILM)`,
            xlabel: 'sample',
            ylabel: 'output',
            series: [
              {
                name: 'measured',
                x: sel.map((r) => r[0]!),
                y: sel.map((r) => r[1]!),
                color: '#444444',
              },
              {
                name: 'simulated',
                x: sel.map((r) => r[0]!),
                y: sel.map((r) => r[2]!),
                color: '#d62728',
              },
            ],
          }),
        );
      }
    }
  }
  const command = commandLine();
  writeFileSync(`${outBase}.json`, `${JSON.stringify(records, null, 1)}\n`);
  const fmt = (v: number | null | undefined, d = 4) =>
    v === null || v === undefined ? '—' : Number.isFinite(v) ? v.toPrecision(d) : String(v);
  const lines = [
    `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
    '',
    '| dataset | test set | method | test RMSE | unit | fit % | train loss | wall s | to L-BFGS loss, s | speed-up | iterations | starts | peak RSS MB |',
    '| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...records.map((r) => {
      const lb = records.find(
        (x) => x.dataset === r.dataset && x.test_set === r.test_set && x.method === 'LBFGS',
      );
      const speed =
        r.time_to_lbfgs_loss_s && lb?.time_to_lbfgs_loss_s
          ? `${(lb.time_to_lbfgs_loss_s / r.time_to_lbfgs_loss_s).toFixed(1)}×`
          : '—';
      const metric =
        r.accuracy_percent !== undefined
          ? `${r.accuracy_percent.toFixed(1)} % acc.`
          : fmt(r.test_rmse);
      return `| ${r.dataset} | ${r.test_set} | ${r.method} | ${metric} | ${r.unit} | ${fmt(r.fit_percent)} | ${r.train_loss.toExponential(3)} | ${r.wall_s.toFixed(1)} | ${fmt(r.time_to_lbfgs_loss_s, 3)} | ${speed} | ${r.iterations} | ${r.starts} | ${fmt(r.peak_rss_mb, 3)} |`;
    }),
    '',
    ...plots.map((p) => `![${path.basename(p)}](${path.relative(path.dirname(outBase), p)})`),
    '',
  ];
  writeFileSync(`${outBase}.md`, lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
