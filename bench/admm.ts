/**
 * ADMM benchmark (issue: ADMM): NAILS vs NAILM as the θ-update, under ℓ1, ℓ0 and quantised
 * weights, on the paper's binary-output system and on Cascaded Tanks (official split). Same
 * problem, same initialisation, same ADMM settings for both methods.
 *
 *   npx tsx bench/admm.ts [--data-dir ../shared/data] [--out bench/results/admm]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { admm, type AdmmOptions } from '../src/core/admm/admm';
import { sparsityReport } from '../src/core/admm/sparsity';
import { levelRange, type TermConfig } from '../src/core/admm/terms';
import { nailm } from '../src/core/solver/nailm';
import { nails } from '../src/core/solver/nails';
import { unpackZ } from '../src/core/solver/problem';
import { binaryCase, tanksCase } from './cases';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, out: { type: 'string' } },
});
const dataDir = values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data';
const out = values.out ?? 'bench/results/admm';

const regimes: { name: string; terms: TermConfig[]; options: Partial<AdmmOptions> }[] = [
  { name: 'ℓ1, τ = 1e-3 on θ', terms: [{ kind: 'l1', tau: 1e-3 }], options: {} },
  { name: 'ℓ0, τ = 1e-3 on θ', terms: [{ kind: 'l0', tau: 1e-3 }], options: { rhoGrowth: 1.05 } },
  {
    name: 'quantised θ ∈ {−2, …, 2} step 1/16',
    terms: [{ kind: 'quantize', levels: levelRange(-32, 32, 1, 2 ** -4) }],
    options: { rhoGrowth: 1.05 },
  },
];

interface Row {
  case: string;
  regime: string;
  method: string;
  admm_iterations: number;
  status: string;
  loss: number;
  polished_loss: number;
  non_zeros: number;
  parameters: number;
  distinct_values: number;
  test_metric: number;
  metric: string;
  wall_s: number;
  smooth_loss: number;
}
const rows: Row[] = [];
for (const c of [binaryCase(), tanksCase(dataDir)]) {
  for (const method of ['nails', 'nailm'] as const) {
    // Warm start: the smooth fit with the same method (its time is counted in the wall time).
    const warm = (method === 'nails' ? nails : nailm)(c.problem, c.z0, { maxIterations: 100 });
    for (const reg of regimes) {
      const r = admm(c.problem, warm.z, reg.terms, {
        method,
        iterations: 100,
        inner: 3,
        ...reg.options,
      });
      const z = r.polished?.z ?? r.z;
      const rep = sparsityReport(
        c.problem.model,
        z,
        c.problem.experiments.length,
        c.problem.trainX0,
      );
      const theta = unpackZ(c.problem, z).theta;
      rows.push({
        case: c.name,
        regime: reg.name,
        method: r.method,
        admm_iterations: r.iterations,
        status: r.status,
        loss: r.value,
        polished_loss: r.polished?.value ?? NaN,
        non_zeros: rep.nonZeros,
        parameters: rep.parameters,
        distinct_values: new Set(theta).size,
        test_metric: c.testMetric(theta),
        metric: c.metricName,
        wall_s: warm.elapsed + r.elapsed,
        smooth_loss: warm.value,
      });
      process.stderr.write(`${c.name} / ${reg.name} / ${r.method}: ${r.elapsed.toFixed(1)} s\n`);
    }
  }
}
const machine = machineInfo();
const command = commandLine();
writeFileSync(`${out}.json`, `${JSON.stringify({ command, machine, rows }, null, 1)}\n`);
const md = [
  '# ADMM benchmark',
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  'Each method: 100 smooth steps from the same seeded start (warm start), then ADMM: 100 iterations at most, 3 smooth steps per iteration, ρ_A = 0.1 (×1.05 per iteration for ℓ0 and quantised), then polishing (100 steps). Wall time includes the warm start.',
  '',
  '| case | terms | method | smooth loss | ADMM its | status | loss (ADMM) | loss (polished) | non-zeros / θ | distinct values | test metric | wall s |',
  '| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.case} | ${r.regime} | ${r.method} | ${r.smooth_loss.toExponential(3)} | ${r.admm_iterations} | ${r.status} | ${r.loss.toExponential(3)} | ${r.polished_loss.toExponential(3)} | ${r.non_zeros} / ${r.parameters} | ${r.distinct_values} | ${r.test_metric.toPrecision(4)} | ${r.wall_s.toFixed(1)} |`,
  ),
  '',
  `Test metrics: ${[...new Set(rows.map((r) => `${r.case}: ${r.metric}`))].join('; ')}.`,
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
