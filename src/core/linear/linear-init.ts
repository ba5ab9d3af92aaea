/**
 * Starting a recurrent state-space net from the linear stage's model (issue #14): for
 *
 *   x⁺ = A x + B u + MLP_f(x, u)        ŷ = C x + D u + MLP_g(x[, u])
 *
 * θ₀ sets A, B, C, D to the linear estimate (same scaled units and state coordinates, so the
 * linear model's x0 of each training experiment is also the net's) and the *last layer* of each
 * MLP (weights and bias) to zero, the other layers from the model's seeded initialiser. The net's
 * initial simulation is then exactly the linear model's, and since the hidden layers are non-zero
 * the Gauss–Newton step reaches the nonlinear part from the first iteration (∂ŷ/∂W_last ≠ 0).
 *
 * `linearPoint` zeroes every MLP weight instead: the linear model itself as a point of the net's
 * parameter space, with the same objective value V as the linear model (the fallback that makes a
 * fit never end above the linear baseline).
 */
import type { Model, ModelConfig } from '../models/model.js';
import type { Random } from '../random.js';
import type { LinearStateSpace } from './state-space.js';

/**
 * Why a model cannot start from a linear model, or undefined when it can (an rnn or linear model
 * with states, a linear part in both maps, and an identity output).
 */
export function linearInitUnsupported(config: ModelConfig): string | undefined {
  if (config.kind === 'custom') return 'a custom model has no linear part to start from';
  if (config.kind === 'feedforward' || config.nx === 0) return 'the model has no states';
  if (!config.state.linear || !config.output.linear)
    return 'the model has no linear part (write `linear` in both `state { … }` and `output { … }`)';
  if (config.output.final !== 'identity')
    return `the output has a final ${config.output.final}; a linear model cannot start it`;
  return undefined;
}

/** Whether the linear stage should estimate D for this model (it has a D block). */
export function linearFeedthrough(model: Model): boolean {
  return model.layout.has('D');
}

/** Names of the MLP blocks of a state-space net, grouped by map, in layer order. */
function mlpLayers(model: Model): { prefix: string; layers: number }[] {
  const out: { prefix: string; layers: number }[] = [];
  for (const prefix of ['state', 'output']) {
    let l = 0;
    while (model.layout.has(`${prefix}.W${l + 1}`)) l++;
    if (l > 0) out.push({ prefix, layers: l });
  }
  return out;
}

function setLinearBlocks(model: Model, theta: Float64Array, lin: LinearStateSpace): void {
  const put = (name: string, v: Float64Array) => {
    if (model.layout.has(name)) model.layout.view(theta, name).set(v);
  };
  put('A', lin.A);
  put('B', lin.B);
  put('C', lin.C);
  put('D', lin.D);
}

/** θ₀: the linear blocks from `lin`, each MLP's last layer zero, other layers seeded. */
export function linearInitTheta(model: Model, lin: LinearStateSpace, rng: Random): Float64Array {
  const theta = model.init(rng);
  setLinearBlocks(model, theta, lin);
  for (const { prefix, layers } of mlpLayers(model)) {
    model.layout.view(theta, `${prefix}.W${layers}`).fill(0);
    model.layout.view(theta, `${prefix}.b${layers}`).fill(0);
  }
  return theta;
}

/** The linear model as a point of the net: linear blocks from `lin`, every MLP parameter zero. */
export function linearPoint(model: Model, lin: LinearStateSpace): Float64Array {
  const theta = new Float64Array(model.nTheta);
  setLinearBlocks(model, theta, lin);
  return theta;
}
