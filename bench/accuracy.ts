/**
 * Accuracy on the real benchmarks with the official protocol (issue #14): every benchmark's
 * accuracy spec (bench/accuracy/<dataset>.nails: official split, n_init and metric) is trained by the
 * `nails` command line, as a user would, once per seed; each run's test RMSE on every official test
 * set (in the benchmark's unit), the linear stage's RMSE on the same set, the wall time, the
 * iterations and the stop reason become one row of bench/results.json. Seeds are statistics: the
 * table gives mean ± std and the worst seed beside the published figures.
 *
 *   npx tsx bench/accuracy.ts [--dataset NAME] [--seeds 1,2,3] [--out FILE]   (make bench-accuracy)
 *
 * With --dataset or --out the rows go to the given file (default bench/results/accuracy-<dataset>.json)
 * instead of bench/results.json; --merge FILE... writes bench/results.json from such files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { RunReport } from '../src/io/run-folder';
import { machineInfo } from './machine';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.cjs');

interface Benchmark {
  id: string;
  /** The official metric's unit and the factor from the data's unit (V → mV: 1000). */
  unit: string;
  scale: number;
  /** The best published test RMSE per test set (../shared/data/README.md), in `unit`. */
  published: Record<string, string>;
}

export const BENCHMARKS: Benchmark[] = [
  {
    id: 'cascaded_tanks',
    unit: 'V',
    scale: 1,
    published: { test: '0.18–0.19 (grey box); 0.33 (neural SS)' },
  },
  {
    id: 'silverbox',
    unit: 'mV',
    scale: 1000,
    published: { multisine: '0.36', arrow_full: '1.4', arrow_no_extrapolation: '0.32' },
  },
  { id: 'wiener_hammerstein_2009', unit: 'mV', scale: 1000, published: { test: '0.24' } },
  { id: 'two_tank', unit: 'm', scale: 1, published: {} },
  { id: 'mr_damper', unit: 'N', scale: 1, published: {} },
];

export interface AccuracyRow {
  dataset: string;
  test_set: string;
  method: string;
  seed: number;
  test_rmse: number;
  /** The linear stage's RMSE on the same test set (same protocol and unit). */
  linear_baseline_rmse: number | null;
  unit: string;
  fit_percent: number;
  train_loss: number;
  wall_s: number;
  iterations: number;
  stop_reason: string;
  command: string;
  date: string;
  commit: string;
}

function runOnce(b: Benchmark, seed: number, dataDir: string): AccuracyRow[] {
  const spec = path.join(ROOT, 'bench', 'accuracy', `${b.id}.nails`);
  const out = mkdtempSync(path.join(tmpdir(), `nails-acc-${b.id}-`));
  const args = [
    'train',
    spec,
    '--data-dir',
    dataDir,
    '--out',
    out,
    '--quiet',
    '--seed',
    String(seed),
  ];
  const command = `nails ${args.map((a) => (a === out ? '<tmp>' : a === dataDir ? '../shared/data' : path.relative(ROOT, a) || a)).join(' ')}`;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0)
    throw new Error(`${command} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
  const run = readdirSync(out).map((d) => path.join(out, d))[0]!;
  const rep = JSON.parse(readFileSync(path.join(run, 'report.json'), 'utf8')) as RunReport;
  rmSync(out, { recursive: true, force: true });
  const m = machineInfo();
  const lin = rep.linearBaseline?.parts ?? [];
  return rep.parts
    .filter((p) => p.kind === 'test')
    .map((p) => {
      const lp = lin.find((q) => q.kind === 'test' && q.name === p.name);
      return {
        dataset: b.id,
        test_set: p.name,
        method: rep.method,
        seed,
        test_rmse: p.metrics[0]!.rmse! * b.scale,
        linear_baseline_rmse: lp ? lp.metrics[0]!.rmse! * b.scale : null,
        unit: b.unit,
        fit_percent: p.metrics[0]!.fit!,
        train_loss: rep.value,
        wall_s: rep.wallSeconds ?? NaN,
        iterations: rep.iterations,
        stop_reason: rep.status,
        command,
        date: m.date,
        commit: m.commit,
      };
    });
}

/** mean ± std (sample) and worst per (dataset, test set, method), as a Markdown table. */
export function accuracyTable(rows: readonly AccuracyRow[]): string {
  const groups = new Map<string, AccuracyRow[]>();
  for (const r of rows) {
    const k = `${r.dataset}|${r.test_set}|${r.method}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const f = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(3));
  const lines = [
    '| dataset | test set | method | seeds | test RMSE mean ± std | worst | best | linear baseline | unit | best published | wall s (max) | stops |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |',
  ];
  for (const g of groups.values()) {
    const v = g.map((r) => r.test_rmse);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(v.length - 1, 1));
    const lin = g[0]!.linear_baseline_rmse;
    const b = BENCHMARKS.find((x) => x.id === g[0]!.dataset);
    const stops = [...new Set(g.map((r) => r.stop_reason))].join(', ');
    lines.push(
      `| ${g[0]!.dataset} | ${g[0]!.test_set} | ${g[0]!.method} | ${g.length} | ${f(mean)} ± ${f(std)} | ${f(Math.max(...v))} | ${f(Math.min(...v))} | ${lin === null ? '—' : f(lin)} | ${g[0]!.unit} | ${b?.published[g[0]!.test_set] ?? '—'} | ${Math.max(...g.map((r) => r.wall_s)).toFixed(0)} | ${stops} |`,
    );
  }
  return lines.join('\n');
}

/** bench/results/accuracy.md: the command, the machine and the table. */
function writeMarkdown(rows: readonly AccuracyRow[], command: string): void {
  const m = machineInfo();
  writeFileSync(
    path.join(ROOT, 'bench', 'results', 'accuracy.md'),
    `Command: \`${command}\` — ${m.date}, commit ${m.commit}, ${m.cpu} (${m.cores} cores), Node ${m.node}.\n\n${accuracyTable(rows)}\n`,
  );
}

/**
 * `rows` written to bench/results.json keeping the rows of other benchmarks there (those with a
 * `benchmark` field, e.g. bench/activation.ts, and any row whose dataset is not an accuracy
 * benchmark, e.g. bench/gn-pass.ts and the memory rows), so re-running the accuracy drops none.
 */
function writeResults(file: string, rows: AccuracyRow[]): void {
  const others =
    file === path.join(ROOT, 'bench', 'results.json') && existsSync(file)
      ? (
          JSON.parse(readFileSync(file, 'utf8')) as { benchmark?: string; dataset?: string }[]
        ).filter((r) => r.benchmark || !BENCHMARKS.some((b) => b.id === r.dataset))
      : [];
  writeFileSync(file, `${JSON.stringify([...rows, ...others], null, 1)}\n`);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      seeds: { type: 'string', default: '1,2,3' },
      out: { type: 'string' },
      merge: { type: 'string', multiple: true },
      table: { type: 'string' },
    },
  });
  if (values.table) {
    console.log(accuracyTable(JSON.parse(readFileSync(values.table, 'utf8')) as AccuracyRow[]));
    return;
  }
  if (values.merge) {
    const rows = values.merge.flatMap((f) => JSON.parse(readFileSync(f, 'utf8')) as AccuracyRow[]);
    writeResults(path.join(ROOT, 'bench', 'results.json'), rows);
    writeMarkdown(
      rows,
      `npx tsx bench/accuracy.ts --merge ${values.merge.map((f) => path.relative(ROOT, f)).join(' --merge ')}`,
    );
    console.log(accuracyTable(rows));
    return;
  }
  const dataDir = process.env.NAILS_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'data');
  if (!existsSync(dataDir)) {
    console.error(`benchmark data not found at ${dataDir} (set NAILS_DATA_DIR)`);
    process.exit(1);
  }
  const seeds = values.seeds.split(',').map(Number);
  const chosen = values.dataset ? BENCHMARKS.filter((b) => b.id === values.dataset) : BENCHMARKS;
  if (chosen.length === 0) {
    console.error(
      `unknown dataset '${values.dataset}'; use one of ${BENCHMARKS.map((b) => b.id).join(', ')}`,
    );
    process.exit(1);
  }
  const out =
    values.out ??
    (values.dataset
      ? path.join(ROOT, 'bench', 'results', `accuracy-${values.dataset}.json`)
      : path.join(ROOT, 'bench', 'results.json'));
  const rows: AccuracyRow[] = [];
  for (const b of chosen)
    for (const s of seeds) {
      const r = runOnce(b, s, dataDir);
      rows.push(...r);
      for (const x of r)
        console.error(
          `${x.dataset} ${x.test_set} seed ${s}: ${x.test_rmse.toPrecision(4)} ${x.unit} (linear ${x.linear_baseline_rmse?.toPrecision(4) ?? '—'}), ${x.stop_reason}, ${x.wall_s.toFixed(0)} s`,
        );
      writeResults(out, rows);
    }
  if (!values.dataset && !values.out)
    writeMarkdown(rows, 'make bench-accuracy (npx tsx bench/accuracy.ts)');
  console.log(accuracyTable(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
