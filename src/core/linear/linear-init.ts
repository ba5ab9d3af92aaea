/**
 * Starting a recurrent state-space net from the linear stage's model (issue #14): for
 *
 *   x⁺ = A x + B u + MLP_f(x, u)        ŷ = C x + D u + MLP_g(x[, u])
 *
 * θ₀ sets A, B, C, D to the linear estimate (same scaled units and state coordinates, so the
 * linear model's x0 of each training experiment is also the net's), the hidden layers from the
 * model's seeded initialiser, and the *last layer* of each MLP to a small multiple of its seeded
 * values (bias zero):
 *
 *   output MLP:  W_last ← f · W_last            f = LAST_LAYER_FACTOR = 0.1
 *   state MLP:   W_last ← f (1 − ρ(A)) · W_last
 *
 * (the model's initialiser already scales W_last by 0.1 when a linear part is present). A state
 * perturbation is integrated by x⁺ = A x + …, with a gain of about 1/(1 − ρ(A)), so the state
 * MLP's share is scaled by 1 − ρ(A): the net's first simulation stays within a few per cent of the
 * linear model's even for slow systems (cascaded tanks, ρ(A) = 0.977: start loss 7.6e-2 against
 * the linear model's 6.1e-2; 1.14 without the 1 − ρ(A)).
 *
 * Why not exactly zero: with NAILM's Marquardt scaling D = diag(M), a hidden weight whose
 * Jacobian column is zero (as it is when the last layer is zero) sees only the ρ_θ term, and the
 * first step is Newton's step on ρ_θ‖θ‖², which shrinks the hidden layer toward the all-zero
 * saddle. Measured on seeds 1–8 of the cascaded-tanks, two-tank and MR-damper examples (test
 * RMSE mean / worst): this start 0.370 / 0.492, 0.00712 / 0.00812, 4.08 / 4.22; zero last layers
 * 0.367 / 0.492, 0.00737 / 0.0109, 4.08 / 4.38; the seeded (random) start 0.369 / 0.545,
 * 0.0331 / 0.121, 5.40 / 10.5.
 *
 * `linearPoint` zeroes every MLP parameter instead: the linear model itself as a point of the
 * net's parameter space, with the same objective value V as the linear model (the fallback that
 * makes a fit never end above the linear baseline, fit-job.ts).
 */
import type { Model, ModelConfig } from '../models/model.js';
import type { Random } from '../random.js';
import { spectralRadius } from './spectral-radius.js';
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

/** The factor on the seeded last layer of each MLP (see above). */
export const LAST_LAYER_FACTOR = 0.1;

/** θ₀: the linear blocks from `lin`, each MLP's last layer small (see above), others seeded. */
export function linearInitTheta(
  model: Model,
  lin: LinearStateSpace,
  rng: Random,
  lastLayer = LAST_LAYER_FACTOR,
): Float64Array {
  const theta = model.init(rng);
  setLinearBlocks(model, theta, lin);
  const rho = spectralRadius(lin.A, lin.nx);
  for (const { prefix, layers } of mlpLayers(model)) {
    const f = prefix === 'state' ? lastLayer * Math.max(0, 1 - rho) : lastLayer;
    const w = model.layout.view(theta, `${prefix}.W${layers}`);
    for (let k = 0; k < w.length; k++) w[k] = w[k]! * f;
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
