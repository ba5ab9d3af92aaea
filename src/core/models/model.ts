/**
 * The model contract every solver works with: a discrete-time state-space map on flat parameters
 *
 *   x[k+1] = f(x[k], u[k]; θ)      ŷ[k] = g(x[k], u[k]; θ)
 *
 * with its exact one-step derivatives. Static (feedforward) models have nx = 0.
 * Models keep scratch buffers, so one instance must not be stepped from two threads at once.
 */
import type { Random } from '../random.js';
import type { ModelConfig } from './model-config.js';
import type { ParameterLayout } from './parameter-layout.js';

export type { ModelConfig } from './model-config.js';

/** Derivatives of one step, row-major. */
export interface StepJacobians {
  /** f(x, u): nx */
  xNext: Float64Array;
  /** g(x, u): ny */
  y: Float64Array;
  /** ∂f/∂x: nx × nx */
  fx: Float64Array;
  /** ∂f/∂u: nx × nu */
  fu: Float64Array;
  /** ∂f/∂θ: nx × nθ */
  ftheta: Float64Array;
  /** ∂g/∂x: ny × nx */
  gx: Float64Array;
  /** ∂g/∂u: ny × nu */
  gu: Float64Array;
  /** ∂g/∂θ: ny × nθ */
  gtheta: Float64Array;
}

export interface Model {
  readonly kind: string;
  readonly nx: number;
  readonly nu: number;
  readonly ny: number;
  readonly layout: ParameterLayout;
  /** nθ */
  readonly nTheta: number;
  /**
   * When set: f does not depend on θ[nThetaState, nθ) (those columns of ∂f/∂θ are always zero), so
   * the state sensitivities of those columns stay zero and the sensitivity engine skips them.
   * Unset: any entry of θ may enter f.
   */
  readonly nThetaState?: number;
  readonly config: ModelConfig;

  /** A seeded initial θ. */
  init(rng: Random): Float64Array;

  /**
   * One step: xNext = f(x, u), y[yOff..yOff+ny) = g(x, u), where u = u[uOff..uOff+nu).
   * `xNext` must not alias `x`.
   */
  step(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    xNext: Float64Array,
    y: Float64Array,
    yOff: number,
  ): void;

  /** One step with all its derivatives into `out` (overwrites every array of `out`). */
  jacobians(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    out: StepJacobians,
  ): void;
}

/** The length of every array of `StepJacobians` for a model. */
export function jacobianSizes(
  m: Pick<Model, 'nx' | 'nu' | 'ny' | 'nTheta'>,
): Record<keyof StepJacobians, number> {
  const { nx, nu, ny, nTheta } = m;
  return {
    xNext: nx,
    y: ny,
    fx: nx * nx,
    fu: nx * nu,
    ftheta: nx * nTheta,
    gx: ny * nx,
    gu: ny * nu,
    gtheta: ny * nTheta,
  };
}

/**
 * The Jacobian buffers for a model; `alloc` gives each array of the length asked (default: a new
 * Float64Array; the sensitivity engine hands out views of its WebAssembly memory).
 */
export function allocJacobians(
  m: Pick<Model, 'nx' | 'nu' | 'ny' | 'nTheta'>,
  alloc: (length: number) => Float64Array = (length) => new Float64Array(length),
): StepJacobians {
  const sizes = jacobianSizes(m);
  const out = {} as StepJacobians;
  for (const key of Object.keys(sizes) as (keyof StepJacobians)[]) out[key] = alloc(sizes[key]);
  return out;
}
