/**
 * Cascaded Tanks: can the regularisation ρ_θ and the seed be chosen without the test record?
 * The solver benchmark's objective (bench/cases.ts: nx 2, 8 elu units, MSE, ρ_x0 1e-4) with
 * ρ_θ ∈ RHOS and seeds 1–8, for NAILM and NAILS (400 iterations):
 *
 *   validation: fit on the first `fit` estimation samples, simulate the whole estimation input from
 *               the fitted x0 and score the held-out tail (RMSE in scaled units);
 *   2-fold CV:  fit on one half of the estimation record, score the other half the way the test
 *               record is scored (x0 from its first 5 samples, RMSE on the rest), both ways round;
 *               ρ_θ is chosen by the median CV score over the seeds (the seed is not chosen);
 *   test:       refit on the whole estimation record from the same initialisation, then the
 *               benchmark's test RMSE in V (x0 from the first 5 test samples).
 *
 * Reports every (ρ_θ, seed) pair and the test RMSE of the selections: by the validation tail, by
 * 2-fold CV (ρ_θ only: seed 1 and the median over seeds; then the seed by training loss), and (for
 * reference only — it looks at the test record) by test. The CV scores per cell (median over the
 * seeds) say which (solver, ρ_θ) CV prefers overall.
 *
 *   npx tsx bench/tanks-selection.ts [--data-dir ../shared/data] [--fit 768] [--out bench/results/tanks-selection]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sliceExperiment, type Experiment } from '../src/core/data/experiment';
import { Random } from '../src/core/random';
import { simulate } from '../src/core/simulate';
import { nailm } from '../src/core/solver/nailm';
import { nails } from '../src/core/solver/nails';
import { packZ, type Problem } from '../src/core/solver/problem';
import { estimateX0LeastSquares } from '../src/core/solver/x0-estimation';
import { tanksCase } from './cases';
import { commandLine, machineInfo } from './machine';
import { median } from './median';

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

const half = Math.floor(full.N / 2);
const halves = [sliceExperiment(full, 0, half), sliceExperiment(full, half, full.N)] as const;
const N_INIT = 5;

/** Σ squared error and count on samples [N_INIT, N) of e, simulated from x0 fitted on its first N_INIT. */
function heldOutSse(theta: Float64Array, e: Experiment): [number, number] {
  const x0 = estimateX0LeastSquares(model, theta, e.u, e.y, { window: N_INIT }).x0;
  const s = simulate(model, theta, e.u, e.N, x0);
  if (!s.finite) return [Infinity, 1];
  let sse = 0;
  for (let k = N_INIT; k < e.N; k++) sse += (s.y[k]! - e.y[k]!) ** 2;
  return [sse, e.N - N_INIT];
}

interface Row {
  solver: 'NAILM' | 'NAILS';
  rho_theta: number;
  seed: number;
  validation_rmse_scaled: number;
  cv_rmse_scaled: number;
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
      let sse = 0;
      let count = 0;
      for (const [k, part] of halves.entries()) {
        const rh = fit({ ...pFull, experiments: [part] }, z0, { maxIterations: 400, ftol: 1e-12 });
        const [e, n] = heldOutSse(rh.theta, halves[1 - k]!);
        sse += e;
        count += n;
      }
      rows.push({
        solver,
        rho_theta: rho,
        seed,
        validation_rmse_scaled: validationRmse(rv.theta, rv.x0s),
        cv_rmse_scaled: Math.sqrt(sse / count),
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
  const cvRho = RHOS.reduce((a, b) =>
    median(rs.filter((r) => r.rho_theta === b).map((r) => r.cv_rmse_scaled)) <
    median(rs.filter((r) => r.rho_theta === a).map((r) => r.cv_rmse_scaled))
      ? b
      : a,
  );
  const atCv = rs.filter((r) => r.rho_theta === cvRho);
  return {
    cv_rho_theta: cvRho,
    cv_seed1_test: atCv.find((r) => r.seed === 1)!.test_rmse_v,
    cv_median_test: median(atCv.map((r) => r.test_rmse_v)),
    cv_at_or_below_0_28: atCv.filter((r) => r.test_rmse_v <= 0.28).length,
    solver,
    by_validation: pick(rs, (r) => r.validation_rmse_scaled),
    // Training losses are comparable only at one ρ_θ: the seed with the lowest one at the CV's ρ_θ.
    by_training_loss_at_cv: pick(atCv, (r) => r.train_loss),
    by_test_reference_only: pick(rs, (r) => r.test_rmse_v),
    test_median: median(tests),
    test_runs_at_or_below_0_28: tests.filter((t) => t <= 0.28).length,
    runs: rs.length,
  };
});

const cvMedian = (solver: string, rho: number) =>
  median(
    rows.filter((r) => r.solver === solver && r.rho_theta === rho).map((r) => r.cv_rmse_scaled),
  );
const overall = (['NAILM', 'NAILS'] as const)
  .flatMap((solver) => RHOS.map((rho) => ({ solver, rho, cv: cvMedian(solver, rho) })))
  .reduce((a, b) => (b.cv < a.cv ? b : a));

const machine = machineInfo();
const command = commandLine();
writeFileSync(
  `${out}.json`,
  `${JSON.stringify({ command, machine, fit_samples: nFit, cv_choice: overall, rows, selections }, null, 1)}\n`,
);
const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '∞');
const md = [
  '# Cascaded Tanks: choosing ρ_θ and the seed without the test record',
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  `Validation: fit on estimation samples [0, ${nFit}), score [${nFit}, ${full.N}) by simulation (scaled RMSE). 2-fold CV: fit on one half, score the other with x0 from its first ${N_INIT} samples (scaled RMSE over both). Test: refit on all ${full.N} estimation samples, test RMSE in V (x0 from the first 5 test samples). 400 iterations each.`,
  '',
  '| solver | ρ_θ | validation RMSE / 2-fold CV RMSE / test RMSE V, seeds 1–8 |',
  '| --- | ---: | --- |',
  ...(['NAILM', 'NAILS'] as const).flatMap((solver) =>
    RHOS.map(
      (rho) =>
        `| ${solver} | ${rho} | ${rows
          .filter((r) => r.solver === solver && r.rho_theta === rho)
          .map(
            (r) =>
              `${f3(r.validation_rmse_scaled)} / ${f3(r.cv_rmse_scaled)} / ${f3(r.test_rmse_v)}`,
          )
          .join(' · ')} |`,
    ),
  ),
  '',
  '| ρ_θ | NAILM: median 2-fold CV RMSE (scaled) | NAILS: median 2-fold CV RMSE (scaled) |',
  '| ---: | ---: | ---: |',
  ...RHOS.map(
    (rho) => `| ${rho} | ${f3(cvMedian('NAILM', rho))} | ${f3(cvMedian('NAILS', rho))} |`,
  ),
  '',
  `Over both solvers, 2-fold CV prefers **${overall.solver} at ρ_θ = ${overall.rho}** (median CV RMSE ${f3(overall.cv)}).`,
  '',
  '| solver | tail validation picks ρ_θ, seed → test V | 2-fold CV picks ρ_θ → seed 1 test V, median over seeds, seeds ≤ 0.28 V | then the seed of lowest training loss → test V | median test V of all runs | runs ≤ 0.28 V | best test V (looks at the test record; reference only) |',
  '| --- | --- | --- | --- | ---: | ---: | ---: |',
  ...selections.map(
    (s) =>
      `| ${s.solver} | ${s.by_validation.rho_theta}, ${s.by_validation.seed} → ${f3(s.by_validation.test_rmse_v)} | ${s.cv_rho_theta} → ${f3(s.cv_seed1_test)}, ${f3(s.cv_median_test)}, ${s.cv_at_or_below_0_28} of ${SEEDS} | ${s.by_training_loss_at_cv.seed} → ${f3(s.by_training_loss_at_cv.test_rmse_v)} | ${f3(s.test_median)} | ${s.test_runs_at_or_below_0_28} of ${s.runs} | ${f3(s.by_test_reference_only.test_rmse_v)} |`,
  ),
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
