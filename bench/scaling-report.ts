/**
 * Formats the scaling measurements of bench/scaling.sh (raw lines of bench/scaling.ts followed by
 * `/usr/bin/time -v`'s peak) into bench/results/scaling.md with two plots: time per Gauss–Newton
 * pass and peak memory versus the record length, and versus the number of decision variables.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { color, linePlot } from './svg-plot';

interface Row {
  samples: number;
  parameters: number;
  gn_pass_s: number;
  rss: number;
}

function read(file: string): Row[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const rows: Row[] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const r = JSON.parse(lines[i]!) as { samples: number; parameters: number; gn_pass_s: number };
    rows.push({ ...r, rss: Number(lines[i + 1]!.split(':')[1]) / 1024 });
  }
  return rows;
}

const byLength = read('bench/results/scaling-raw.txt');
const byParams = read('bench/results/scaling-params-raw.txt');
const p1 = linePlot('bench/results/scaling-length', {
  title: 'One Gauss–Newton pass versus record length (n_z = 325)',
  xlabel: 'samples',
  ylabel: 'seconds per pass / peak RSS in GB',
  logX: true,
  logY: true,
  series: [
    {
      name: 'seconds per pass',
      x: byLength.map((r) => r.samples),
      y: byLength.map((r) => r.gn_pass_s),
      color: color(0),
    },
    {
      name: 'peak RSS, GB',
      x: byLength.map((r) => r.samples),
      y: byLength.map((r) => r.rss / 1024),
      color: color(1),
    },
  ],
});
const p2 = linePlot('bench/results/scaling-params', {
  title: 'One Gauss–Newton pass versus decision variables (10,000 samples)',
  xlabel: 'decision variables n_z',
  ylabel: 'seconds per pass',
  logX: true,
  logY: true,
  series: [
    {
      name: 'seconds per pass',
      x: byParams.map((r) => r.parameters),
      y: byParams.map((r) => r.gn_pass_s),
      color: color(0),
    },
  ],
});
const table = (rows: Row[]) => [
  '| samples | n_z | Gauss–Newton pass, s | µs per sample | peak RSS (time -v), MB |',
  '| ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.samples.toLocaleString('en')} | ${r.parameters} | ${r.gn_pass_s.toFixed(3)} | ${((r.gn_pass_s / r.samples) * 1e6).toFixed(1)} | ${r.rss.toFixed(0)} |`,
  ),
];
const md = [
  '# NAILM scaling',
  '',
  'Command: `bash bench/scaling.sh` (each point: `/usr/bin/time -v npx tsx bench/scaling.ts --samples N --hidden H --iterations 2`).',
  'RNN nx = 6 with H tanh units in each map and linear parts; chunk 512 samples. The first pass of a process includes JIT warm-up.',
  '',
  '## Versus record length (H = 12, n_z = 325)',
  '',
  ...table(byLength),
  '',
  `![time and memory versus record length](${p1.split('/').pop()})`,
  '',
  'A materialised Jacobian for 1,000,000 samples × 325 columns would alone take 2.6 GB.',
  '',
  '## Versus decision variables (10,000 samples)',
  '',
  ...table(byParams),
  '',
  `![time versus decision variables](${p2.split('/').pop()})`,
  '',
  'The rate of the accumulation kernel itself, against OpenBLAS on the same shapes: [kernel.md](kernel.md).',
  '',
];
writeFileSync('bench/results/scaling.md', md.join('\n'));
process.stdout.write(md.join('\n'));
