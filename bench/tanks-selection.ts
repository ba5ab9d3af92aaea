/**
 * Cascaded Tanks: can the regularisation ρ_θ and the seed be chosen without the test record?
 * The solver benchmark's objective (bench/cases.ts: nx 2, 8 elu units, MSE, ρ_x0 1e-4) with
 * ρ_θ ∈ RHOS and seeds 1–8, for NAILM and NAILS (400 iterations):
 *
 *   validation: fit on the first `fit` estimation samples, simulate the whole estimation input from
 *               the fitted x0 and score the held-out tail (RMSE in scaled units);
 *   test:       refit on the whole estimation record from the same initialisation, then the
 *               benchmark's test RMSE in V (x0 from the first 5 test samples).
 *
 * Reports every (ρ_θ, seed) pair and the test RMSE of three selections: by validation, by training
 * loss, and (for reference only — it looks at the test record) by test.
 *
 *   npx tsx bench/tanks-selection.ts [--data-dir ../shared/data] [--fit 768] [--out bench/results/tanks-selection]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sliceExperiment } from '../src/core/data/experiment';
import { Random } from '../src/core/random';
import { simulate } from '../src/core/simulate';
import { nailm } from '../src/core/solver/nailm';
import { nails } from '../src/core/solver/nails';
import { packZ, type Problem } from '../src/core/solver/problem';
import { tanksCase } from './cases';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    fit: { type: 'string' },
    out: { type: 'string' },
  },
});
const dataDir = values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data';
const out = values.out ?? 'bench/results/tanks-selection';
const RHOS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
const SEEDS = 8;

const c = tanksCase(dataDir);
const model = c.problem.model;
const full = c.problem.experiments[0]!;
const nFit = Number(values.fit ?? Math.round(0.75 * full.N));
const fitPart = sliceExperiment(full, 0, nFit);

/** RMSE (scaled units) on samples [nFit, N) of the estimation record, simulated from x0. */
function validationRmse(theta: Float64Array, x0: Float64Array): number {
  const s = simulate(model, theta, full.u, full.N, x0);
  if (!s.finite) return Infinity;
  let e = 0;
  for (let k = nFit; k < full.N; k++) e += (s.y[k]! - full.y[k]!) ** 2;
  return Math.sqrt(e / (full.N - nFit));
}

interface Row {
  solver: 'NAILM' | 'NAILS';
  rho_theta: number;
  seed: number;
  validation_rmse_scaled: number;
  train_loss: number;
  test_rmse_v: number;
}

const rows: Row[] = [];
for (const solver of ['NAILM', 'NAILS'] as const) {
  const fit = solver === 'NAILM' ? nailm : nails;
  for (const rho of RHOS) {
    const pVal: Problem = { ...c.problem, experiments: [fitPart], rhoTheta: rho };
    const pFull: Problem = { ...c.problem, rhoTheta: rho };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const z0 = packZ(pFull, model.init(new Random(seed)), new Float64Array(model.nx));
      const rv = fit(pVal, z0, { maxIterations: 400, ftol: 1e-12 });
      const rf = fit(pFull, z0, { maxIterations: 400, ftol: 1e-12 });
      rows.push({
        solver,
        rho_theta: rho,
        seed,
        validation_rmse_scaled: validationRmse(rv.theta, rv.x0s),
        train_loss: rf.value,
        test_rmse_v: c.testMetric(rf.theta),
      });
    }
    process.stderr.write(`${solver} ρ_θ ${rho} done\n`);
  }
}

const pick = (rs: Row[], key: (r: Row) => number) => rs.reduce((a, b) => (key(b) < key(a) ? b : a));
const selections = (['NAILM', 'NAILS'] as const).map((solver) => {
  const rs = rows.filter((r) => r.solver === solver);
  const tests = rs.map((r) => r.test_rmse_v).sort((a, b) => a - b);
  return {
    solver,
    by_validation: pick(rs, (r) => r.validation_rmse_scaled),
    // Training losses are comparable only at one ρ_θ: pick per ρ_θ = 1e-3 (the benchmark's).
    by_training_loss_at_1e3: pick(
      rs.filter((r) => r.rho_theta === 1e-3),
      (r) => r.train_loss,
    ),
    by_test_reference_only: pick(rs, (r) => r.test_rmse_v),
    test_median: tests[Math.floor(tests.length / 2)]!,
    test_runs_at_or_below_0_28: tests.filter((t) => t <= 0.28).length,
    runs: rs.length,
  };
});

const machine = machineInfo();
const command = commandLine();
writeFileSync(
  `${out}.json`,
  `${JSON.stringify({ command, machine, fit_samples: nFit, rows, selections }, null, 1)}\n`,
);
const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '∞');
const md = [
  '# Cascaded Tanks: choosing ρ_θ and the seed without the test record',
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  `Validation: fit on estimation samples [0, ${nFit}), score [${nFit}, ${full.N}) by simulation (scaled RMSE). Test: refit on all ${full.N} estimation samples, test RMSE in V (x0 from the first 5 test samples). 400 iterations each.`,
  '',
  '| solver | ρ_θ | validation RMSE / test RMSE V, seeds 1–8 |',
  '| --- | ---: | --- |',
  ...(['NAILM', 'NAILS'] as const).flatMap((solver) =>
    RHOS.map(
      (rho) =>
        `| ${solver} | ${rho} | ${rows
          .filter((r) => r.solver === solver && r.rho_theta === rho)
          .map((r) => `${f3(r.validation_rmse_scaled)} / ${f3(r.test_rmse_v)}`)
          .join(' · ')} |`,
    ),
  ),
  '',
  '| solver | chosen by validation: ρ_θ, seed → test V | best training loss at ρ_θ 1e-3: seed → test V | median test V of all runs | runs ≤ 0.28 V | best test V (looks at the test record; reference only) |',
  '| --- | --- | --- | ---: | ---: | ---: |',
  ...selections.map(
    (s) =>
      `| ${s.solver} | ${s.by_validation.rho_theta}, ${s.by_validation.seed} → ${f3(s.by_validation.test_rmse_v)} | ${s.by_training_loss_at_1e3.seed} → ${f3(s.by_training_loss_at_1e3.test_rmse_v)} | ${f3(s.test_median)} | ${s.test_runs_at_or_below_0_28} of ${s.runs} | ${f3(s.by_test_reference_only.test_rmse_v)} |`,
  ),
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
