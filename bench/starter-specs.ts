/**
 * What `nails new` recommends, trained as a new user would: for each shared benchmark the starter
 * spec written from its data file (only the protocol given: the official n_init, the split of the
 * project's spec), seeds 1–3, test RMSE beside the linear baseline and the tuned spec
 * (bench/accuracy/*.nails, rows of bench/results.json).
 *
 *   npm run build && npx tsx bench/starter-specs.ts [--data-dir ../shared/data] [--out bench/results/starter-specs.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, seeds: { type: 'string' } },
});
const dataDir = path.resolve(values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data');
const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
const CLI = path.resolve('dist/cli.cjs');

/** Each benchmark: its file and the `nails new` arguments that state its protocol. */
const CASES: { dataset: string; file: string; args: string[] }[] = [
  { dataset: 'cascaded_tanks', file: 'cascaded_tanks/dataBenchmark.mat', args: ['--init', '5'] },
  { dataset: 'two_tank', file: 'two_tank/TwoTanksMatlab.mat', args: ['--init', '10'] },
  {
    dataset: 'mr_damper',
    file: 'mr_damper/damper.mat',
    args: [
      '--input',
      'X',
      '--output',
      'y',
      '--sampling',
      '5 ms',
      '--init',
      '10',
      '--split',
      '2000',
    ],
  },
];

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nails ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

interface Report {
  wallSeconds: number;
  status: string;
  linearBaseline?: { parts: { kind: string; metrics: { rmse: number }[] }[] };
  parts: { kind: string; metrics: { rmse: number }[] }[];
}

const rows = [];
for (const c of CASES) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-starter-'));
  const spec = path.join(dir, `${c.dataset}.nails`);
  run('new', path.join(dataDir, c.file), ...c.args, '--out', spec);
  const settings = readFileSync(spec, 'utf8')
    .split('\n')
    .filter((l) => /^\s*(states|state \{|l2|solver)/.test(l))
    .map((l) => l.replace(/\s*\/\/.*$/, '').trim());
  for (const seed of seeds) {
    const out = run(
      'train',
      spec,
      '--seed',
      String(seed),
      '--quiet',
      '--out',
      path.join(dir, 'runs'),
    );
    const folder = /^run folder: (.+)$/m.exec(out)![1]!;
    const r = JSON.parse(readFileSync(path.join(folder, 'report.json'), 'utf8')) as Report;
    const test = r.parts.find((p) => p.kind === 'test')!.metrics[0]!.rmse;
    const linear = r.linearBaseline?.parts.find((p) => p.kind === 'test')?.metrics[0]?.rmse;
    rows.push({
      dataset: c.dataset,
      seed,
      test_rmse: test,
      linear_baseline_rmse: linear,
      wall_s: r.wallSeconds,
      stop_reason: r.status,
      settings,
      command: `nails new ${c.file} ${c.args.join(' ')} && nails train --seed ${seed}`,
    });
    console.log(
      `${c.dataset} seed ${seed}: test RMSE ${test.toPrecision(4)} (linear ${linear?.toPrecision(4)}), ${r.wallSeconds.toFixed(1)} s`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(
  values.out ?? 'bench/results/starter-specs.json',
  `${JSON.stringify({ command: commandLine(), machine: machineInfo(), rows }, null, 1)}\n`,
);
