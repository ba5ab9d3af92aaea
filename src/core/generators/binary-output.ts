/**
 * The nonlinear system with binary outputs of the paper (ALGORITHM.md §8; nx = 3, nu = ny = 1):
 *
 *   y[k]   = 1 if C (x[k] + x[k]³/3) − 4 + 0.05 e[k] ≥ 0 else 0
 *   x[k+1] = (A x[k]) ⊙ (0.9 + 0.1 sin x[k]) + B u[k](1 − u[k]³) + 0.05 ξ[k]
 *
 * A = [[.8,.2,−.1],[0,.9,.1],[.1,−.1,.7]], B = [−1,.5,1]ᵀ, C = [−2,1.5,.5], x[0] = 0,
 * e ~ N(0,1), ξ ~ N(0,I₃); u piecewise constant, u ~ U(0,1) re-drawn with probability 0.1.
 */
import type { Experiment } from '../data/experiment.js';
import type { LossConfig } from '../losses/index.js';
import type { Model } from '../models/model.js';
import { rnnModel } from '../models/model-factory.js';
import { Random } from '../random.js';

const A = [0.8, 0.2, -0.1, 0, 0.9, 0.1, 0.1, -0.1, 0.7];
const B = [-1, 0.5, 1];
const C = [-2, 1.5, 0.5];

/**
 * The system driven by given sequences: u (N), e (N), ξ (N × 3).
 * @returns y (N) and the states x (N × 3, x[k] before step k).
 */
export function binaryOutputSystem(
  u: Float64Array,
  e: Float64Array,
  xi: Float64Array,
): { y: Float64Array; x: Float64Array } {
  const N = u.length;
  const y = new Float64Array(N);
  const xs = new Float64Array(N * 3);
  let x = [0, 0, 0];
  for (let k = 0; k < N; k++) {
    xs.set(x, k * 3);
    let s = 0;
    for (let i = 0; i < 3; i++) s += C[i]! * (x[i]! + (x[i]! * x[i]! * x[i]!) / 3);
    y[k] = s - 4 + 0.05 * e[k]! >= 0 ? 1 : 0;
    const uk = u[k]!;
    const next = [0, 0, 0];
    for (let i = 0; i < 3; i++) {
      let ax = 0;
      for (let j = 0; j < 3; j++) ax += A[i * 3 + j]! * x[j]!;
      next[i] =
        ax * (0.9 + 0.1 * Math.sin(x[i]!)) +
        B[i]! * uk * (1 - uk * uk * uk) +
        0.05 * xi[k * 3 + i]!;
    }
    x = next;
  }
  return { y, x: xs };
}

/** Piecewise-constant input: u[0] ~ U(0,1); after each step re-drawn with probability pChange. */
export function piecewiseConstantInput(N: number, rng: Random, pChange = 0.1): Float64Array {
  const u = new Float64Array(N);
  if (N === 0) return u;
  u[0] = rng.uniform();
  for (let k = 1; k < N; k++) u[k] = rng.uniform() < pChange ? rng.uniform() : u[k - 1]!;
  return u;
}

/**
 * Seeded data set: N samples (default 2000) split into train [0, nTrain) and test [nTrain, N)
 * (default half and half, as in the paper). The same seed always gives the same data.
 */
export function generateBinaryOutput(options: {
  seed: number;
  samples?: number;
  nTrain?: number;
}): {
  train: Experiment;
  test: Experiment;
  full: Experiment;
} {
  const N = options.samples ?? 2000;
  const nTrain = options.nTrain ?? Math.floor(N / 2);
  const rng = new Random(options.seed);
  const u = piecewiseConstantInput(N, rng);
  const e = rng.fillNormal(new Float64Array(N));
  const xi = rng.fillNormal(new Float64Array(N * 3));
  const { y } = binaryOutputSystem(u, e, xi);
  const part = (name: string, a: number, b: number): Experiment => ({
    name,
    N: b - a,
    nu: 1,
    ny: 1,
    u: u.slice(a, b),
    y: y.slice(a, b),
  });
  return {
    train: part('train', 0, nTrain),
    test: part('test', nTrain, N),
    full: part('full', 0, N),
  };
}

/**
 * The model used for this system in the paper (ALGORITHM.md §8): 3 states,
 * f = W₃ tanh(W₁x + W₂u + b₁) + b₂ and ŷ = sigmoid(W₅ tanh(W₄x + b₃) + b₄), 5 hidden units each.
 */
/**
 * The paper's training objective for this system (ALGORITHM.md §8): cross-entropy with ε = 1e-4,
 * ρ_θ = 0.001, ρ_x0 = 0.01, x0 trained.
 */
export const PAPER_BINARY_OUTPUT_OBJECTIVE: {
  readonly loss: LossConfig;
  readonly rhoTheta: number;
  readonly rhoX0: number;
  readonly trainX0: true;
} = { loss: { name: 'cross_entropy', epsilon: 1e-4 }, rhoTheta: 0.001, rhoX0: 0.01, trainX0: true };

export function paperBinaryOutputModel(): Model {
  return rnnModel({
    nx: 3,
    nu: 1,
    ny: 1,
    state: { hidden: [5], linear: false },
    output: { hidden: [5], linear: false, final: 'sigmoid' },
  });
}
