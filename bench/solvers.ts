/**
 * Solver benchmark: NAILM and NAILS (as `nails train` runs them, with the recovery from degenerate
 * points), Adam, L-BFGS and NAILM with the previous damping on the same objective from the same
 * initialisation, on jax-sysid's README RNN and binary-output problems from jax-sysid's own starts
 * (target: jax-sysid's final loss), the paper's binary-output system with the project's generator
 * and Cascaded Tanks (official split, n_init = 5; target: L-BFGS's final loss). Reports the final
 * loss, the test metric, the wall time, the stop reason and the time to the target loss; the rate of the Gauss–Newton kernel; and the
 * cost of one Levenberg–Marquardt step on a problem the size of jax-sysid's README example.
 *
 *   npx tsx bench/solvers.ts [--data-dir ../shared/data] [--out bench/results/solvers]
 *
 * Writes <out>.json and <out>.md. One process, methods run one after another on one core.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rnnModel } from '../src/core/models/model-factory';
import { simulate } from '../src/core/simulate';
import { solveDamped } from '../src/core/solver/block-arrow';
import { accumulateGaussNewton, GaussNewtonWorkspace } from '../src/core/solver/gauss-newton';
import { choleskyInPlace } from '../src/core/linalg/cholesky';
import { syrkUpper, syrkUpperReference } from '../src/core/linalg/syrk';
import { kernelVariant, SyrkAccumulator } from '../src/core/linalg/syrk-wasm';
import { Random } from '../src/core/random';
import { adam } from '../src/core/solver/adam';
import { lbfgs } from '../src/core/solver/lbfgs';
import { nailm } from '../src/core/solver/nailm';
import { nails } from '../src/core/solver/nails';
import { evaluateV, packZ } from '../src/core/solver/problem';
import type { SolverResult } from '../src/core/solver/types';
import { solveWithRecovery } from '../src/core/solver/recovery';
import { binaryCase, jaxsysidCase, singleRecordProblem, tanksCase, type Case } from './cases';
import { commandLine, machineInfo } from './machine';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, out: { type: 'string' } },
});
const dataDir = values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data';
const out = values.out ?? 'bench/results/solvers';

/** Seconds until the history first reaches `target` (∞ when never). */
function timeToReach(r: SolverResult, target: number): number {
  if (r.history.length === 0) return NaN;
  for (const h of r.history) if (h.accepted && h.value <= target) return h.elapsed;
  return Infinity;
}

function kernelRates(): {
  shape: string;
  reference: number;
  blocked: number;
  wasm: number;
  variant: string;
  choleskyMs: number;
} {
  const rows = 1000;
  const n = 300;
  const rng = new Random(1);
  const At = rng.fillNormal(new Float64Array(n * rows));
  const flops = rows * n * (n + 1); // upper triangle incl. diagonal, multiply + add
  const rate = (f: typeof syrkUpper) => {
    const M = new Float64Array(n * n);
    f(At, rows, rows, n, M);
    const reps = 5;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f(At, rows, rows, n, M);
    return flops / (((performance.now() - t0) / reps) * 1e6);
  };
  // The solver's path: the chunk is already in the accumulator's memory.
  const accumulatorRate = () => {
    const acc = new SyrkAccumulator(n, rows);
    acc.At.set(At);
    acc.add(rows);
    const reps = 5;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) acc.add(rows);
    return flops / (((performance.now() - t0) / reps) * 1e6);
  };
  const M = new Float64Array(n * n);
  syrkUpper(At, rows, rows, n, M);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) M[j * n + i] = M[i * n + j]!;
  // Cholesky: median of 5 after a warm-up (the first call includes compilation).
  choleskyInPlace(Float64Array.from(M), n);
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const A = Float64Array.from(M);
    const t0 = performance.now();
    choleskyInPlace(A, n);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    shape: `J ${rows}×${n}`,
    reference: rate(syrkUpperReference),
    blocked: rate(syrkUpper),
    wasm: accumulatorRate(),
    variant: kernelVariant(),
    choleskyMs: times[2]!,
  };
}

/**
 * One Levenberg–Marquardt step (Gauss–Newton pass + damped solve + trial simulation) on a problem
 * the size of jax-sysid's README example: N = 10,000, nx = 3, state A x + B u + MLP([x; u]) and
 * output C x + MLP(x), 5 atan units each — 84 parameters (+3 for x0). Median of 20 after 5 warm-ups.
 */
function lmStepCost(): {
  samples: number;
  parameters: number;
  passMs: number;
  solveMs: number;
  simulateMs: number;
  stepMs: number;
} {
  const N = 10000;
  const rng = new Random(1);
  const model = rnnModel({
    nx: 3,
    nu: 1,
    ny: 1,
    state: { hidden: [5], activation: 'atan', linear: true },
    output: { hidden: [5], activation: 'atan', linear: true },
  });
  const u = rng.fillNormal(new Float64Array(N));
  const y = simulate(model, model.init(new Random(7)), u, N, new Float64Array(3)).y;
  const p = singleRecordProblem(model, u, y);
  const z = packZ(p, model.init(rng), new Float64Array(3));
  const ws = new GaussNewtonWorkspace(p, 512);
  const delta = new Float64Array(z.length);
  const t: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < 25; i++) {
    let a = performance.now();
    const sys = accumulateGaussNewton(p, z, {}, ws);
    t[0].push(performance.now() - a);
    a = performance.now();
    solveDamped(sys, 1e-3, 'identity', delta);
    t[1].push(performance.now() - a);
    a = performance.now();
    evaluateV(p, z);
    t[2].push(performance.now() - a);
  }
  const med = (v: number[]) => v.slice(5).sort((a, b) => a - b)[10]!;
  const [passMs, solveMs, simulateMs] = t.map(med) as [number, number, number];
  return {
    samples: N,
    parameters: model.nTheta,
    passMs,
    solveMs,
    simulateMs,
    stepMs: passMs + solveMs + simulateMs,
  };
}

interface Row {
  case: string;
  method: string;
  final_loss: number;
  test_metric: number;
  metric: string;
  wall_s: number;
  iterations: number;
  status: string;
  /** Seconds to the target loss: jax-sysid's final loss where known, else L-BFGS's. */
  time_to_lbfgs_loss_s: number;
  target: number;
  recovery: string;
}

const rows: Row[] = [];
const cases: (Case & { reference?: number; referenceSeconds?: number })[] = [
  await jaxsysidCase(dataDir, 'readme-rnn'),
  await jaxsysidCase(dataDir, 'binary-output'),
  binaryCase(),
  tanksCase(dataDir),
];
for (const c of cases) {
  const gn = (f: typeof nails | typeof nailm) =>
    solveWithRecovery(c.problem, c.z0, (z, o) => f(c.problem, z, o), {
      maxIterations: c.budgets.gn,
      ftol: 1e-12,
    });
  const runs: SolverResult[] = [
    gn(nailm),
    gn(nails),
    adam(c.problem, c.z0, { maxIterations: c.budgets.adam, learningRate: c.budgets.adamRate }),
    lbfgs(c.problem, c.z0, { maxIterations: c.budgets.lbfgs, ftol: 1e-15 }),
    // The damping before this change: D = I, λ₀ = 1e-3·max diag(M), no recovery.
    nailm(c.problem, c.z0, {
      maxIterations: c.budgets.gn,
      ftol: 1e-12,
      scaling: 'identity',
      tau: 1e-3,
    }),
  ];
  const target = c.reference ?? runs[3]!.value;
  const labels = runs.map((r) => r.method);
  labels[4] = 'NAILM, D = I, τ = 1e-3, no recovery (the previous default)';
  if (c.starts) {
    const t0 = performance.now();
    const all = Array.from({ length: c.starts }, (_, i) =>
      nailm(
        c.problem,
        packZ(
          c.problem,
          c.problem.model.init(new Random(i + 1)),
          new Float64Array(c.problem.model.nx),
        ),
        { maxIterations: c.budgets.gn, ftol: 1e-12 },
      ),
    );
    const best = all.reduce((a, b) => (b.value < a.value ? b : a));
    runs.push({
      ...best,
      elapsed: (performance.now() - t0) / 1000,
      iterations: all.reduce((s, r) => s + r.iterations, 0),
      history: [],
    });
    labels.push(
      `NAILM, best of ${c.starts} seeds by training loss (seed ${all.indexOf(best) + 1})`,
    );
  }
  for (const [i, r] of runs.entries()) {
    rows.push({
      case: c.name,
      method: labels[i]!,
      final_loss: r.value,
      test_metric: c.testMetric(r.theta),
      metric: c.metricName,
      wall_s: r.elapsed,
      iterations: r.iterations,
      status: r.status,
      time_to_lbfgs_loss_s: timeToReach(r, target),
      target,
      recovery: r.recovery.join(' | '),
    });
    process.stderr.write(`${c.name}: ${r.method} done (${r.elapsed.toFixed(2)} s)\n`);
  }
  if (c.reference !== undefined)
    rows.push({
      case: c.name,
      method: 'jax-sysid 1.1.0 (figures from the data README, not run here)',
      final_loss: c.reference,
      test_metric: NaN,
      metric: c.metricName,
      wall_s: c.referenceSeconds ?? NaN,
      iterations: NaN,
      status: 'reference',
      time_to_lbfgs_loss_s: c.referenceSeconds ?? NaN,
      target: c.reference,
      recovery: '',
    });
}
const kernel = kernelRates();
const lmStep = lmStepCost();
const machine = machineInfo();
const command = commandLine();
writeFileSync(
  `${out}.json`,
  `${JSON.stringify({ command, machine, kernel, lm_step: lmStep, rows }, null, 1)}\n`,
);
const fmt = (v: number, d = 4) => (Number.isFinite(v) ? v.toPrecision(d) : 'never');
const md = [
  `# Solver benchmark`,
  '',
  `Command: \`${command}\` — ${machine.date}, commit ${machine.commit}, ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
  'Same objective and same initialisation for every method in a case; one process, one core.',
  '',
  '| case | method | final loss | test metric | wall s | iterations | status | target loss | time to target, s | speed-up vs L-BFGS (or jax-sysid) |',
  '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ...rows.map((r) => {
    const lb =
      rows.find((x) => x.case === r.case && x.status === 'reference') ??
      rows.find((x) => x.case === r.case && x.method === 'L-BFGS')!;
    const ttl = Number.isNaN(r.time_to_lbfgs_loss_s) ? '—' : fmt(r.time_to_lbfgs_loss_s, 3);
    const speedup = Number.isFinite(r.time_to_lbfgs_loss_s)
      ? `${(lb.time_to_lbfgs_loss_s / r.time_to_lbfgs_loss_s).toFixed(1)}×`
      : '—';
    return `| ${r.case} | ${r.method} | ${r.final_loss.toExponential(4)} | ${fmt(r.test_metric)} | ${r.wall_s.toFixed(2)} | ${r.iterations} | ${r.status} | ${r.target.toExponential(4)} | ${ttl} | ${speedup} |`;
  }),
  '',
  'Recoveries from degenerate points (solver/recovery.ts):',
  ...rows.filter((r) => r.recovery).map((r) => `- ${r.case}, ${r.method}: ${r.recovery}`),
  '',
  `Test metrics: ${[...new Set(rows.map((r) => `${r.case}: ${r.metric}`))].join('; ')}.`,
  '',
  `Gauss–Newton kernel (M += JᵀJ, upper triangle, ${kernel.shape}): reference ${kernel.reference.toFixed(2)} GFLOP/s, blocked TypeScript ${kernel.blocked.toFixed(2)} GFLOP/s, WebAssembly (${kernel.variant}, used by the solver) ${kernel.wasm.toFixed(2)} GFLOP/s; Cholesky of 300×300: ${kernel.choleskyMs.toFixed(1)} ms.`,
  '',
  `One Levenberg–Marquardt step on a problem the size of jax-sysid's README example (N = ${lmStep.samples.toLocaleString('en-US')}, ${lmStep.parameters} parameters + 3 x0, nx = 3, atan units): ${lmStep.stepMs.toFixed(1)} ms = Gauss–Newton pass ${lmStep.passMs.toFixed(1)} ms + damped solve ${lmStep.solveMs.toFixed(2)} ms + trial simulation ${lmStep.simulateMs.toFixed(1)} ms (medians of 20).`,
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
process.stdout.write(md.join('\n'));
