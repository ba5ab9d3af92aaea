/**
 * How NAILM's damping was chosen (issue: solvers that never lie, item 4): NAILM with D = I or
 * D = diag(M) (Marquardt) and several first dampings τ, on the same objective from the same start,
 * on jax-sysid's README RNN and binary-output problems (jax-sysid's starts), the paper's
 * binary-output system (project generator) and Cascaded Tanks. No recovery, so each row shows what
 * the damping alone does. Reports the final loss, the test metric, the stop reason and the time to
 * the target (jax-sysid's final loss where known, else the best final loss of the rows).
 *
 *   npx tsx bench/damping.ts [--data-dir ../shared/data] [--out bench/results/damping]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nailm } from '../src/core/solver/nailm';
import type { DampingScaling } from '../src/core/solver/block-arrow';
import { binaryCase, jaxsysidCase, tanksCase, type Case } from './cases';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, out: { type: 'string' } },
});
const dataDir = values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data';
const out = values.out ?? 'bench/results/damping';
const variants: { scaling: DampingScaling; tau: number }[] = [
  { scaling: 'identity', tau: 1e-3 },
  { scaling: 'identity', tau: 1 },
  { scaling: 'diagonal', tau: 1e-3 },
  { scaling: 'diagonal', tau: 1 },
  { scaling: 'diagonal', tau: 10 },
];
const cases: (Case & { reference?: number })[] = [
  await jaxsysidCase(dataDir, 'readme-rnn'),
  await jaxsysidCase(dataDir, 'binary-output'),
  binaryCase(),
  tanksCase(dataDir),
];
const rows: string[] = [];
const json: unknown[] = [];
for (const c of cases) {
  const runs = variants.map((v) => ({
    v,
    r: nailm(c.problem, c.z0, { maxIterations: c.budgets.gn, ftol: 1e-12, ...v }),
  }));
  const target = c.reference ?? Math.min(...runs.map((x) => x.r.value));
  for (const { v, r } of runs) {
    const hit = r.history.find((h) => h.accepted && h.value <= target);
    const row = {
      case: c.name,
      scaling: v.scaling,
      tau: v.tau,
      final_loss: r.value,
      test_metric: c.testMetric(r.theta),
      metric: c.metricName,
      status: r.status,
      iterations: r.iterations,
      wall_s: r.elapsed,
      target,
      time_to_target_s: hit ? hit.elapsed : Infinity,
    };
    json.push(row);
    rows.push(
      `| ${c.name} | ${v.scaling === 'identity' ? 'D = I' : 'D = diag(M)'} | ${v.tau} | ${r.value.toExponential(4)} | ${row.test_metric.toPrecision(4)} | ${r.status} | ${r.iterations} | ${r.elapsed.toFixed(2)} | ${hit ? hit.elapsed.toFixed(2) : 'never'} |`,
    );
    process.stderr.write(`${c.name} ${v.scaling} τ ${v.tau}: ${r.value.toExponential(4)}\n`);
  }
}
const machine = machineInfo();
const command = commandLine();
writeFileSync(`${out}.json`, `${JSON.stringify({ command, machine, rows: json }, null, 1)}\n`);
const md = [
  '# NAILM damping',
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  "λ₀ = τ with D = diag(M); λ₀ = τ·max diag(M) with D = I; Nielsen's update; no recovery. Target: jax-sysid's final loss (jax-sysid cases), else the lowest final loss of the rows.",
  '',
  '| case | D | τ | final loss | test metric | status | iterations | wall s | time to target, s |',
  '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ...rows,
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
