/** The benchmark problems shared by the solver and ADMM benchmarks. */
import { fitStandardScaling, scaleExperiment, unscaleOutputs } from '../src/core/data/scaling';
import { makeExperiment, type Experiment } from '../src/core/data/experiment';
import {
  generateBinaryOutput,
  PAPER_BINARY_OUTPUT_OBJECTIVE,
  paperBinaryOutputModel,
} from '../src/core/generators/binary-output';
import { makeLoss } from '../src/core/losses';
import { channelMetrics } from '../src/core/metrics';
import type { Model } from '../src/core/models/model';
import { rnnModel } from '../src/core/models/model-factory';
import { Random } from '../src/core/random';
import { simulate } from '../src/core/simulate';
import { packZ, type Problem } from '../src/core/solver/problem';
import { estimateX0LeastSquares } from '../src/core/solver/x0-estimation';
import { loadDataset } from '../src/io/data-files';

export interface Case {
  name: string;
  problem: Problem;
  z0: Float64Array;
  metricName: string;
  /** Test metric of a trained θ. */
  testMetric(theta: Float64Array): number;
  budgets: { gn: number; lbfgs: number; adam: number; adamRate: number };
  /** Also run NAILM from this many seeds (1..starts) and keep the best training loss. */
  starts?: number;
}

export function binaryCase(): Case {
  const data = generateBinaryOutput({ seed: 3 });
  const model = paperBinaryOutputModel();
  const { loss, ...terms } = PAPER_BINARY_OUTPUT_OBJECTIVE;
  const problem: Problem = { model, experiments: [data.train], loss: makeLoss(loss), ...terms };
  return {
    name: 'binary-output (ALGORITHM.md §8)',
    problem,
    z0: packZ(problem, model.init(new Random(3)), new Float64Array(3)),
    metricName: 'test accuracy % (x0 re-estimated on the test record)',
    testMetric: (theta) => {
      const x0 = estimateX0LeastSquares(model, theta, data.test.u, data.test.y, {
        loss: problem.loss,
      }).x0;
      const s = simulate(model, theta, data.test.u, data.test.N, x0);
      return channelMetrics(data.test.y, s.y, 1)[0]!.accuracy;
    },
    budgets: { gn: 200, lbfgs: 2000, adam: 2000, adamRate: 1e-2 },
  };
}

/** Chosen in an exploratory grid (nx 2–3, 4–12 units, tanh/swish/elu, ρ_θ 1e-4–1e-2); ρ_θ then by 2-fold CV. */
export const TANKS_MODEL = {
  nx: 2,
  state: { hidden: [8], activation: 'elu' },
  output: { hidden: [8], activation: 'elu' },
} as const;

export function tanksCase(dataDir: string): Case {
  const d = loadDataset('cascaded_tanks', dataDir);
  const scaling = fitStandardScaling(d.train);
  const train = scaleExperiment(d.train[0]!, scaling);
  const test: Experiment = scaleExperiment(d.tests.test!, scaling);
  const model: Model = rnnModel({
    nx: TANKS_MODEL.nx,
    nu: 1,
    ny: 1,
    state: { hidden: [...TANKS_MODEL.state.hidden], activation: TANKS_MODEL.state.activation },
    output: { hidden: [...TANKS_MODEL.output.hidden], activation: TANKS_MODEL.output.activation },
  });
  const problem: Problem = {
    model,
    experiments: [train],
    loss: makeLoss({ name: 'mse' }),
    // Chosen by 2-fold cross-validation on the estimation record (bench/tanks-selection.ts).
    rhoTheta: 3e-3,
    rhoX0: 1e-4,
    trainX0: true,
  };
  return {
    name: 'Cascaded Tanks (official split)',
    problem,
    z0: packZ(problem, model.init(new Random(1)), new Float64Array(model.nx)),
    starts: 8,
    metricName: 'test RMSE V (x0 from the first 5 test samples)',
    testMetric: (theta) => {
      const x0 = estimateX0LeastSquares(model, theta, test.u, test.y, { window: 5 }).x0;
      const s = simulate(model, theta, test.u, test.N, x0);
      if (!s.finite) return Infinity;
      return channelMetrics(d.tests.test!.y, unscaleOutputs(s.y, scaling), 1, 5)[0]!.rmse;
    },
    budgets: { gn: 400, lbfgs: 4000, adam: 4000, adamRate: 1e-2 },
  };
}

/** One record (u, y: N × 1) under MSE with ρ_θ = ρ_x0 = 1e-4 and x0 trained: the synthetic benches. */
export function singleRecordProblem(model: Model, u: Float64Array, y: Float64Array): Problem {
  return {
    model,
    experiments: [makeExperiment({ u, y })],
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: 1e-4,
    rhoX0: 1e-4,
    trainX0: true,
  };
}

/**
 * The scaling problem (bench/scaling.ts, gn-pass.ts, chunk.ts): an RNN with nx = 6 and `hidden`
 * tanh units in both maps (n_z = 325 at 12; none at 0) to fit a stable first-order response of a
 * random input (N samples, noise 0.01), with its seeded start z0.
 */
export function scalingProblem(
  N: number,
  hidden = 12,
): { model: Model; p: Problem; z0: Float64Array } {
  const rng = new Random(1);
  const layers = hidden > 0 ? [hidden] : [];
  const model = rnnModel({
    nx: 6,
    nu: 1,
    ny: 1,
    state: { hidden: layers },
    output: { hidden: layers },
  });
  const u = rng.fillNormal(new Float64Array(N));
  const y = new Float64Array(N);
  for (let k = 0; k < N; k++)
    y[k] = Math.tanh(0.5 * (u[k - 1] ?? 0) + 0.3 * (y[k - 1] ?? 0)) + 0.01 * rng.normal();
  const p = singleRecordProblem(model, u, y);
  return { model, p, z0: packZ(p, model.init(rng), new Float64Array(model.nx)) };
}

/**
 * jax-sysid's problems from its own starting points (../shared/data/jaxsysid_*), built from the
 * bundled example specs exactly as `nails train` builds them; `reference` is jax-sysid's final loss
 * on the same objective (from the data README).
 */
export async function jaxsysidCase(
  dataDir: string,
  which: 'readme-rnn' | 'binary-output',
): Promise<Case & { reference: number; referenceSeconds: number }> {
  const { checkSpecFile } = await import('../src/language/load-spec');
  const { compileSpec } = await import('../src/language/compiler');
  const { prepareFit } = await import('../src/core/fit-job');
  const { evaluateParts } = await import('../src/language/evaluate');
  const { unpackZ } = await import('../src/core/solver/problem');
  const check = await checkSpecFile(`examples/jaxsysid-${which}.nails`, [dataDir]);
  if (!check.analysis.resolved)
    throw new Error(check.problems.map((p) => p.text).join('\n') || 'spec did not resolve');
  const compiled = compileSpec(check.analysis.resolved);
  const { problem, z0 } = prepareFit(compiled.fit);
  const binary = which === 'binary-output';
  return {
    name: `jax-sysid ${which} (jax-sysid's start)`,
    problem,
    z0,
    metricName: binary ? 'test accuracy %' : 'test RMSE',
    testMetric: (theta) => {
      const { x0s } = unpackZ(problem, z0);
      const parts = evaluateParts(
        compiled,
        problem.model,
        Float64Array.from(theta),
        Float64Array.from(x0s),
      );
      const m = parts.find((p) => p.kind === 'test')!.channels[0]!;
      return binary ? m.accuracy : m.rmse;
    },
    budgets: binary
      ? { gn: 500, lbfgs: 2000, adam: 2000, adamRate: 1e-2 }
      : { gn: 200, lbfgs: 2000, adam: 2000, adamRate: 1e-3 },
    reference: binary ? 6.2088e-2 : 5.1334e-3,
    referenceSeconds: binary ? 21 : 80,
  };
}
