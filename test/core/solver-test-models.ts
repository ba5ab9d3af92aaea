/**
 * Small models with closed-form answers for the solver's mutation tests (not a test file):
 *
 * - `Residuals`: a static "model" whose one output sample is a residual vector r(θ), so that
 *   V = (1/ny)·Σ r_i² with the mse loss on y = 0 (Moré–Garbow–Hillstrom style test functions);
 * - `Affine`: the static model ŷ_k = a·u_k + b (θ = (a, b)), a linear least-squares problem.
 */
import { makeExperiment } from '../../src/core/data/experiment.js';
import { makeLoss, type LossConfig } from '../../src/core/losses/index.js';
import type { Model, StepJacobians } from '../../src/core/models/model.js';
import { ParameterLayout } from '../../src/core/models/parameter-layout.js';
import type { Problem } from '../../src/core/solver/problem.js';

export class Residuals implements Model {
  readonly kind = 'residuals';
  readonly nx = 0;
  readonly nu = 1;
  readonly layout = new ParameterLayout();
  readonly config = { kind: 'residuals' } as unknown as Model['config'];
  constructor(
    readonly ny: number,
    n: number,
    private readonly r: (t: Float64Array, out: Float64Array, jac?: Float64Array) => void,
  ) {
    this.layout.add('theta', n, 1);
  }
  get nTheta(): number {
    return this.layout.size;
  }
  init(): Float64Array {
    return new Float64Array(this.nTheta);
  }
  step(
    theta: Float64Array,
    _x: Float64Array,
    _u: Float64Array,
    _uOff: number,
    _xn: Float64Array,
    y: Float64Array,
    yOff: number,
  ): void {
    const out = new Float64Array(this.ny);
    this.r(theta, out);
    y.set(out, yOff);
  }
  jacobians(
    theta: Float64Array,
    _x: Float64Array,
    _u: Float64Array,
    _uOff: number,
    out: StepJacobians,
  ): void {
    out.gtheta.fill(0);
    this.r(theta, out.y, out.gtheta);
  }
}

/** The one-sample problem of a residual model: y = 0, mse. */
export function residualProblem(m: Model): Problem {
  return {
    model: m,
    experiments: [makeExperiment({ u: [0], y: new Float64Array(m.ny), nu: 1, ny: m.ny })],
    loss: makeLoss({ name: 'mse' }),
    rhoTheta: 0,
    rhoX0: 0,
    trainX0: false,
  };
}

/** ŷ_k[c] = a_c·u_k + b_c for c < ny (θ = (a_0, b_0, a_1, b_1, …)). */
export class Affine implements Model {
  readonly kind = 'affine';
  readonly nx = 0;
  readonly nu = 1;
  readonly nTheta: number;
  readonly layout = new ParameterLayout();
  readonly config = { kind: 'affine' } as unknown as Model['config'];
  constructor(readonly ny = 1) {
    this.layout.add('theta', 2 * ny, 1);
    this.nTheta = 2 * ny;
  }
  init(): Float64Array {
    return new Float64Array(this.nTheta);
  }
  step(
    theta: Float64Array,
    _x: Float64Array,
    u: Float64Array,
    uOff: number,
    _xn: Float64Array,
    y: Float64Array,
    yOff: number,
  ): void {
    for (let c = 0; c < this.ny; c++) y[yOff + c] = theta[2 * c]! * u[uOff]! + theta[2 * c + 1]!;
  }
  jacobians(
    theta: Float64Array,
    _x: Float64Array,
    u: Float64Array,
    uOff: number,
    out: StepJacobians,
  ): void {
    out.gtheta.fill(0);
    for (let c = 0; c < this.ny; c++) {
      out.y[c] = theta[2 * c]! * u[uOff]! + theta[2 * c + 1]!;
      out.gtheta[c * this.nTheta + 2 * c] = u[uOff]!;
      out.gtheta[c * this.nTheta + 2 * c + 1] = 1;
      out.gu[c] = theta[2 * c]!;
    }
  }
}

/** The affine model on one record (u: N, y: N × ny row-major), no ρ terms. */
export function affineProblem(
  u: number[],
  y: number[],
  loss: LossConfig = { name: 'mse' },
  ny = 1,
): Problem {
  return {
    model: new Affine(ny),
    experiments: [makeExperiment({ u, y, nu: 1, ny })],
    loss: makeLoss(loss),
    rhoTheta: 0,
    rhoX0: 0,
    trainX0: false,
  };
}
