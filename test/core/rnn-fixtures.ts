/**
 * Shared by the WebAssembly-kernel tests (rnn-kernel.test.ts, rnn-simulate-outputs.test.ts):
 * random records, a problem around them, and a counter of the TypeScript model's steps.
 */
import { makeExperiment, type Experiment } from '../../src/core/data/experiment';
import { makeLoss, type LossConfig } from '../../src/core/losses';
import { CustomModel } from '../../src/core/models/custom-model';
import type { Model } from '../../src/core/models/model';
import { rnnModel } from '../../src/core/models/model-factory';
import type { Random } from '../../src/core/random';
import type { Problem } from '../../src/core/solver/problem';

/** Records of the given lengths: normal inputs, normal outputs (0/1 ones when `binary`). */
export function experiments(
  rng: Random,
  lengths: number[],
  nu: number,
  ny: number,
  binary = false,
): Experiment[] {
  return lengths.map((N, j): Experiment =>
    makeExperiment({
      name: `e${j}`,
      u: rng.fillNormal(new Float64Array(N * nu)),
      nu,
      y: Float64Array.from({ length: N * ny }, () =>
        binary ? (rng.uniform() < 0.5 ? 0 : 1) : rng.normal(),
      ),
      ny,
    }),
  );
}

export function problem(model: Model, ex: Experiment[], loss: LossConfig, trainX0 = true): Problem {
  return { model, experiments: ex, loss: makeLoss(loss), rhoTheta: 1e-3, rhoX0: 1e-2, trainX0 };
}

/** Counts the TypeScript model's steps from now on (the count so far, when called). */
export function countSteps(model: Model): () => number {
  let steps = 0;
  const step = model.step.bind(model);
  model.step = (...a: Parameters<typeof model.step>) => {
    steps++;
    step(...a);
  };
  return () => steps;
}

/**
 * x⁺ = A x + B u + MLP(x, u), ŷ = C x + MLP(x) with one state and identity activations: no
 * transcendental function, so the WebAssembly and TypeScript simulations agree to the bit.
 */
export function identityRnn(): Model {
  return rnnModel({
    nx: 1,
    nu: 1,
    ny: 1,
    state: { hidden: [2], activation: 'identity' },
    output: { hidden: [2], activation: 'identity' },
  });
}

/** x⁺ = a·x + u, ŷ = x: a custom (equation) model, which has no WebAssembly kernel. */
export function customModel(): CustomModel {
  return new CustomModel({
    kind: 'custom',
    nx: 1,
    nu: 1,
    ny: 1,
    parameters: [{ name: 'a', init: 0.5 }],
    state: [
      {
        k: 'add',
        a: { k: 'mul', a: { k: 'p', i: 0 }, b: { k: 'x', i: 0 } },
        b: { k: 'u', i: 0 },
      },
    ],
    output: [{ k: 'x', i: 0 }],
  });
}
