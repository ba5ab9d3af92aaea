/**
 * One implementation for the three model families of ALGORITHM.md §1:
 *
 *   x⁺ = [A x + B u]  + MLP_f([x; u])                   (state map; absent when nx = 0)
 *   ŷ  = φ( [C x + D u] + MLP_g([x; u] or [x] or [u]) )  (output map; φ = identity or sigmoid)
 *
 * - linear state space: linear parts only (D when `feedthrough`);
 * - RNN: MLPs with hidden layers, optionally plus the linear parts;
 * - feedforward net: nx = 0, ŷ = φ(MLP_g(u) [+ D u]).
 *
 * Parameter blocks: A (nx×nx), B (nx×nu), state.W1, state.b1, …, C (ny×nx), D (ny×nu),
 * output.W1, output.b1, … (only those that exist).
 */
import { NailsError } from '../errors.js';
import type { Random } from '../random.js';
import { activation, type Activation } from './activations.js';
import { Mlp } from './mlp.js';
import type { Model, StepJacobians } from './model.js';
import type { StateSpaceNetConfig } from './model-config.js';
import { ParameterLayout, type ParameterBlock } from './parameter-layout.js';

export type { MapConfig, StateSpaceNetConfig } from './model-config.js';

const sigmoid = activation('sigmoid');

export class StateSpaceNet implements Model {
  readonly kind: string;
  readonly nx: number;
  readonly nu: number;
  readonly ny: number;
  readonly layout = new ParameterLayout();
  readonly config: StateSpaceNetConfig;
  /** The state map's blocks (A, B, state MLP) come first in θ: f reads θ[0, nThetaState) only. */
  readonly nThetaState: number;
  private readonly A?: ParameterBlock;
  private readonly B?: ParameterBlock;
  private readonly C?: ParameterBlock;
  private readonly D?: ParameterBlock;
  private readonly mlpF?: Mlp;
  private readonly mlpG?: Mlp;
  private readonly final?: Activation;
  /** MLP input scratch [x; u] (the output MLP reads its first nx, or all with feedthrough). */
  private readonly v: Float64Array;
  private readonly dvF: Float64Array;
  private readonly dvG: Float64Array;
  private readonly gPre: Float64Array;

  constructor(config: StateSpaceNetConfig) {
    validateConfig(config);
    this.config = config;
    const { nx, nu, ny, state, output } = config;
    this.kind = config.kind;
    this.nx = nx;
    this.nu = nu;
    this.ny = ny;
    const outIn = nx + (output.feedthrough ? nu : 0);
    if (nx > 0) {
      if (state.linear) {
        this.A = this.layout.add('A', nx, nx);
        if (nu > 0) this.B = this.layout.add('B', nx, nu);
      }
      if (state.hidden.length > 0)
        this.mlpF = new Mlp(
          this.layout,
          'state',
          [nx + nu, ...state.hidden, nx],
          activation(state.activation),
        );
    }
    this.nThetaState = this.layout.size;
    if (output.linear) {
      if (nx > 0) this.C = this.layout.add('C', ny, nx);
      if (output.feedthrough && nu > 0) this.D = this.layout.add('D', ny, nu);
    }
    if (output.hidden.length > 0)
      this.mlpG = new Mlp(
        this.layout,
        'output',
        [outIn, ...output.hidden, ny],
        activation(output.activation),
      );
    if (output.final === 'sigmoid') this.final = sigmoid;
    this.v = new Float64Array(nx + nu);
    this.dvF = new Float64Array(nx * (nx + nu));
    this.dvG = new Float64Array(ny * Math.max(outIn, 1));
    this.gPre = new Float64Array(ny);
  }

  get nTheta(): number {
    return this.layout.size;
  }

  init(rng: Random): Float64Array {
    const th = new Float64Array(this.nTheta);
    const { nx } = this;
    if (this.A) for (let i = 0; i < nx; i++) th[this.A.offset + i * nx + i] = 0.5;
    for (const blk of [this.B, this.C, this.D]) {
      if (blk) for (let k = 0; k < blk.size; k++) th[blk.offset + k] = 0.1 * rng.normal();
    }
    this.mlpF?.init(th, rng, this.A ? 0.1 : 1);
    this.mlpG?.init(th, rng, this.C || this.D ? 0.1 : 1);
    return th;
  }

  private loadInput(x: Float64Array, u: Float64Array, uOff: number): void {
    const { nx, nu, v } = this;
    for (let i = 0; i < nx; i++) v[i] = x[i]!;
    for (let j = 0; j < nu; j++) v[nx + j] = u[uOff + j]!;
  }

  step(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    xNext: Float64Array,
    y: Float64Array,
    yOff: number,
  ): void {
    const { nx, nu, ny } = this;
    this.loadInput(x, u, uOff);
    if (nx > 0) {
      affine(theta, this.A, this.B, x, u, uOff, nx, nu, xNext, 0);
      this.mlpF?.forwardAdd(theta, this.v, xNext, 0);
    }
    const pre = this.gPre;
    affine(theta, this.C, this.D, x, u, uOff, nx, nu, pre, 0);
    this.mlpG?.forwardAdd(theta, this.v, pre, 0);
    for (let r = 0; r < ny; r++) y[yOff + r] = this.final ? this.final.f(pre[r]!) : pre[r]!;
  }

  jacobians(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    out: StepJacobians,
  ): void {
    const { nx, nu, ny } = this;
    const nTheta = this.nTheta;
    out.ftheta.fill(0);
    out.gtheta.fill(0);
    this.loadInput(x, u, uOff);
    if (nx > 0) {
      const { fx, fu, ftheta } = out;
      affine(theta, this.A, this.B, x, u, uOff, nx, nu, out.xNext, 0);
      linearDerivatives(theta, this.A, this.B, x, u, uOff, nx, nu, fx, fu, ftheta, nTheta);
      if (this.mlpF) {
        this.mlpF.forwardAdd(theta, this.v, out.xNext, 0);
        const dv = this.dvF;
        dv.fill(0);
        this.mlpF.derivatives(theta, dv, nx + nu, 0, nx + nu, ftheta, nTheta, 0);
        splitAdd(dv, nx, nu, nx + nu, fx, fu);
      }
    }
    const { gx, gu, gtheta } = out;
    const pre = this.gPre;
    affine(theta, this.C, this.D, x, u, uOff, nx, nu, pre, 0);
    linearDerivatives(theta, this.C, this.D, x, u, uOff, ny, nu, gx, gu, gtheta, nTheta, nx);
    if (this.mlpG) {
      this.mlpG.forwardAdd(theta, this.v, pre, 0);
      const nIn = this.mlpG.nIn;
      const dv = this.dvG;
      dv.fill(0);
      this.mlpG.derivatives(theta, dv, nIn, 0, nIn, gtheta, nTheta, 0);
      splitAdd(dv, nx, nIn - nx, nIn, gx, gu);
    }
    for (let r = 0; r < ny; r++) {
      const p = pre[r]!;
      if (!this.final) {
        out.y[r] = p;
        continue;
      }
      out.y[r] = this.final.f(p);
      const d = this.final.df(p);
      for (let j = 0; j < nx; j++) gx[r * nx + j] = gx[r * nx + j]! * d;
      for (let j = 0; j < nu; j++) gu[r * nu + j] = gu[r * nu + j]! * d;
      for (let j = 0; j < nTheta; j++) gtheta[r * nTheta + j] = gtheta[r * nTheta + j]! * d;
    }
  }
}

/** out[off + i] = Σ_j P_ij x_j + Σ_j Q_ij u_j (missing blocks contribute 0). */
function affine(
  theta: Float64Array,
  P: ParameterBlock | undefined,
  Q: ParameterBlock | undefined,
  x: Float64Array,
  u: Float64Array,
  uOff: number,
  nx: number,
  nu: number,
  out: Float64Array,
  off: number,
): void {
  const rows = P?.rows ?? Q?.rows ?? out.length - off;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    if (P) for (let j = 0; j < nx; j++) s += theta[P.offset + i * nx + j]! * x[j]!;
    if (Q) for (let j = 0; j < nu; j++) s += theta[Q.offset + i * nu + j]! * u[uOff + j]!;
    out[off + i] = s;
  }
  if (!P && !Q) out.fill(0, off, off + rows);
}

/**
 * Derivatives of out = P x + Q u: ∂/∂x = P, ∂/∂u = Q, ∂out_i/∂P_ij = x_j, ∂out_i/∂Q_ij = u_j.
 * `dx` (rows × nx) and `du` (rows × nu) are overwritten; `dTheta` rows get the P, Q columns.
 */
function linearDerivatives(
  theta: Float64Array,
  P: ParameterBlock | undefined,
  Q: ParameterBlock | undefined,
  x: Float64Array,
  u: Float64Array,
  uOff: number,
  rows: number,
  nu: number,
  dx: Float64Array,
  du: Float64Array,
  dTheta: Float64Array,
  nTheta: number,
  nx = rows,
): void {
  // Copy loops, not set(theta.subarray(…)): a view per step is garbage.
  if (P) for (let i = 0; i < P.size; i++) dx[i] = theta[P.offset + i]!;
  else dx.fill(0);
  if (Q) for (let i = 0; i < Q.size; i++) du[i] = theta[Q.offset + i]!;
  else du.fill(0);
  for (let i = 0; i < rows; i++) {
    const row = i * nTheta;
    if (P) for (let j = 0; j < nx; j++) dTheta[row + P.offset + i * nx + j] = x[j]!;
    if (Q) for (let j = 0; j < nu; j++) dTheta[row + Q.offset + i * nu + j] = u[uOff + j]!;
  }
}

/** Adds the columns of dv (rows × width: first nx for x, then nuCols for u) into dx and du. */
function splitAdd(
  dv: Float64Array,
  nx: number,
  nuCols: number,
  width: number,
  dx: Float64Array,
  du: Float64Array,
): void {
  const rows = dv.length / Math.max(width, 1);
  const nu = du.length / Math.max(rows, 1);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < nx; j++) dx[r * nx + j] = dx[r * nx + j]! + dv[r * width + j]!;
    for (let j = 0; j < nuCols; j++) du[r * nu + j] = du[r * nu + j]! + dv[r * width + nx + j]!;
  }
}

function positiveInt(v: unknown, what: string, allowZero = false): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new NailsError(
      `${what} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(v)}`,
      what,
    );
  }
}

function validateConfig(c: StateSpaceNetConfig): void {
  positiveInt(c.nx, 'nx', true);
  positiveInt(c.nu, 'nu', true);
  positiveInt(c.ny, 'ny');
  for (const [name, m] of [
    ['state', c.state],
    ['output', c.output],
  ] as const) {
    m.hidden.forEach((h, i) => positiveInt(h, `${name}.hidden[${i}]`));
    activation(m.activation);
  }
  if (c.nx > 0 && !c.state.linear && c.state.hidden.length === 0) {
    throw new NailsError(
      'the state map has neither a linear part nor hidden layers; add `linear` or hidden layers',
      'state',
    );
  }
  if (!c.output.linear && c.output.hidden.length === 0) {
    throw new NailsError(
      'the output map has neither a linear part nor hidden layers; add `linear` or hidden layers',
      'output',
    );
  }
  if (c.nx === 0 && !c.output.feedthrough) {
    throw new NailsError(
      'a model without states (feedforward) must read its input: set feedthrough',
      'output.feedthrough',
    );
  }
  if (c.output.final !== 'identity' && c.output.final !== 'sigmoid') {
    throw new NailsError(
      `output final activation must be identity or sigmoid, got '${String(c.output.final)}'`,
      'output.final',
    );
  }
}
