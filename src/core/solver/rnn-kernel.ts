/**
 * The state-space net's step derivatives in WebAssembly (kernels/rnn-model.ts, rnn-pass.ts):
 * the description table the kernels read (dimensions, θ offsets of every block, activation codes
 * and the addresses of every buffer), written once per workspace into the kernel's memory, and
 * the calls of one block of the Gauss–Newton pass. `StateSpaceNet.jacobians` (TypeScript) is the
 * oracle and stays selectable: `derivatives: 'typescript'` or `NAILS_DERIVATIVES=typescript`.
 * Custom (equation) models always take the TypeScript path.
 */
import type { ActivationName } from '../models/activations.js';
import type { Model, StepJacobians } from '../models/model.js';
import { StateSpaceNet } from '../models/state-space-net.js';
import type { RnnKernels } from '../linalg/syrk-wasm.js';

/** Who computes the model's step derivatives in the Gauss–Newton pass. */
export type DerivativeEngine = 'wasm' | 'typescript';

/**
 * The default engine: WebAssembly, unless the environment variable NAILS_DERIVATIVES is
 * `typescript` (benchmarks and tests compare the two through it, also across a CLI run).
 */
export function defaultDerivativeEngine(): DerivativeEngine {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  return env?.['NAILS_DERIVATIVES'] === 'typescript' ? 'typescript' : 'wasm';
}

/** Whether the WebAssembly derivatives can serve this model (the state-space net family). */
export function rnnKernelApplies(model: Model): model is StateSpaceNet {
  return model instanceof StateSpaceNet;
}

const ACTIVATION_CODE: Record<ActivationName, number> = {
  tanh: 0,
  atan: 1,
  sigmoid: 2,
  softplus: 3,
  swish: 4,
  elu: 5,
  sin: 6,
  identity: 7,
};
/** Header entries of the table (see kernels/rnn-model.ts) and entries per MLP layer. */
const HEADER = 22;
const PER_LAYER = 8;

interface MlpShape {
  prefix: 'state' | 'output';
  sizes: number[];
  activation: ActivationName;
}

/** The MLPs of a model with their layer sizes (n_0 … n_L). */
function mlpShapes(m: StateSpaceNet): MlpShape[] {
  const { nx, nu, ny, state, output } = m.config;
  const out: MlpShape[] = [];
  if (nx > 0 && state.hidden.length > 0)
    out.push({
      prefix: 'state',
      sizes: [nx + nu, ...state.hidden, nx],
      activation: state.activation,
    });
  if (output.hidden.length > 0) {
    const nIn = nx + (output.feedthrough ? nu : 0);
    out.push({
      prefix: 'output',
      sizes: [nIn, ...output.hidden, ny],
      activation: output.activation,
    });
  }
  return out;
}

/** f64 scratch of the kernels for a model: [x; u], the output before φ, the MLPs' layers. */
function scratchLength(m: StateSpaceNet): number {
  let n = m.nx + m.nu + m.ny;
  for (const { sizes } of mlpShapes(m)) {
    const L = sizes.length - 1;
    const nOut = sizes[L]!;
    for (let l = 1; l <= L; l++) n += (l < L ? 3 : 1) * sizes[l]! + nOut * sizes[l]!;
  }
  return n;
}

function tableLength(m: StateSpaceNet): number {
  return HEADER + mlpShapes(m).reduce((s, { sizes }) => s + 3 + PER_LAYER * (sizes.length - 1), 0);
}

/**
 * Lengths of the f64 arrays an `RnnKernel` needs in the kernel's memory, for blocks of up to
 * `block` samples: table, scratch, θ, u, the states, ŷ, the loss derivatives ∇ and diag ∇², x.
 */
export function rnnBufferLengths(m: StateSpaceNet, block: number): number[] {
  const { nx, nu, ny, nTheta } = m;
  return [
    Math.ceil(tableLength(m) / 2),
    scratchLength(m),
    nTheta,
    block * nu,
    (block + 1) * nx,
    block * ny,
    block * ny,
    block * ny,
    nx,
  ];
}

/**
 * One state-space net in one kernel instance: the arrays of `rnnBufferLengths` (views in the
 * kernel's memory, in that order) and the Jacobians `jac` (also in its memory), which the kernels
 * write and the sensitivity step reads.
 */
export class RnnKernel {
  readonly theta: Float64Array;
  /** u of the block (block × nu), the states x_0 … x_n ((block + 1) × nx), ŷ (block × ny). */
  readonly u: Float64Array;
  readonly xs: Float64Array;
  readonly yhat: Float64Array;
  /** ∇_ŷ ℓ and diag ∇²_ŷ ℓ per sample of the block (block × ny), and per-sample views of them. */
  readonly lg: Float64Array;
  readonly lh: Float64Array;
  readonly lgRows: Float64Array[];
  readonly lhRows: Float64Array[];
  /** The state: x_0 of the block on entry to `simulate`, the last state reached on return. */
  readonly x: Float64Array;
  private readonly table: number;

  constructor(
    readonly model: StateSpaceNet,
    private readonly k: RnnKernels,
    arrays: readonly Float64Array[],
    readonly jac: StepJacobians,
  ) {
    const [table, scratch, theta, u, xs, yhat, lg, lh, x] = arrays as [
      Float64Array,
      Float64Array,
      ...Float64Array[],
    ];
    this.theta = theta!;
    this.u = u!;
    this.xs = xs!;
    this.yhat = yhat!;
    this.lg = lg!;
    this.lh = lh!;
    this.x = x!;
    const ny = model.ny;
    const block = this.lg.length / Math.max(ny, 1);
    this.lgRows = Array.from({ length: block }, (_, i) => this.lg.subarray(i * ny, (i + 1) * ny));
    this.lhRows = Array.from({ length: block }, (_, i) => this.lh.subarray(i * ny, (i + 1) * ny));
    this.table = table.byteOffset;
    writeTable(
      model,
      new Int32Array(table.buffer, table.byteOffset, table.length * 2),
      scratch,
      jac,
    );
  }

  /** Simulates n samples of u from x; returns n, or the first k whose x_{k+1} is not finite. */
  simulate(n: number): number {
    // Called through `call`: optimized callers then call whichever instance's function they get
    // instead of assuming the first one the engine saw. Each model has its own instance (the
    // linear stage's, then the fit's), and a thread's second one deoptimized simulateLossKernel
    // ("wrong call target"; test/core/engine-shapes.test.ts).
    return this.k.rnnSimulate.call(
      undefined,
      this.table,
      this.theta.byteOffset,
      this.u.byteOffset,
      n,
      this.x.byteOffset,
      this.xs.byteOffset,
      this.yhat.byteOffset,
    );
  }

  /**
   * A block of n samples of u from x (kernels/rnn-pass.ts's rnnBlock): ŷ into `yhat`, the rows
   * of J (unscaled; row-major, nl columns) into Jr from row `row0` on, S advanced by n samples
   * (Snext: scratch), x the last state. Returns n, or the first k whose x_{k+1} is not finite.
   */
  block(
    n: number,
    S: Float64Array,
    Snext: Float64Array,
    Jr: Float64Array,
    nl: number,
    row0: number,
    nf: number,
    ns: number,
  ): number {
    return this.k.rnnBlock(
      this.table,
      this.theta.byteOffset,
      this.u.byteOffset,
      n,
      this.x.byteOffset,
      this.yhat.byteOffset,
      S.byteOffset,
      Snext.byteOffset,
      Jr.byteOffset,
      nl,
      row0,
      nf,
      ns,
    );
  }

  /**
   * `Model.jacobians` by the kernel (for tests against the TypeScript model): one step at θ, x,
   * u[uOff..] with every derivative copied into `out`.
   */
  jacobians(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    out: StepJacobians,
  ): void {
    const { nx, nu } = this.model;
    this.theta.set(theta);
    this.xs.set(x.subarray(0, nx));
    this.u.set(u.subarray(uOff, uOff + nu));
    this.jac.ftheta.fill(0);
    this.jac.gtheta.fill(0);
    this.k.rnnJacobians(this.table, this.theta.byteOffset, this.xs.byteOffset, this.u.byteOffset);
    for (const key of Object.keys(out) as (keyof StepJacobians)[]) out[key].set(this.jac[key]);
  }
}

/** The description table (layout in kernels/rnn-model.ts); scratch and Jacobians by address. */
function writeTable(
  m: StateSpaceNet,
  t: Int32Array,
  scratch: Float64Array,
  jac: StepJacobians,
): void {
  const { nx, nu, ny, nTheta, layout } = m;
  const off = (name: string): number => (layout.has(name) ? layout.get(name).offset : -1);
  let next = scratch.byteOffset;
  const take = (len: number): number => {
    const at = next;
    next += len * 8;
    return at;
  };
  t.fill(0);
  t.set([nx, nu, ny, nTheta, Math.min(m.nThetaState, nTheta)], 0);
  t.set([off('A'), off('B'), off('C'), off('D')], 5);
  t[9] = m.config.output.final === 'sigmoid' ? 1 : 0;
  t[10] = -1;
  t[11] = -1;
  const v = take(nx + nu);
  t[12] = v;
  t[13] = take(ny);
  t.set(
    [jac.xNext, jac.y, jac.fx, jac.fu, jac.ftheta, jac.gx, jac.gu, jac.gtheta].map(
      (a) => a.byteOffset,
    ),
    14,
  );
  let at = HEADER;
  for (const { prefix, sizes, activation } of mlpShapes(m)) {
    t[prefix === 'state' ? 10 : 11] = at;
    const L = sizes.length - 1;
    const nOut = sizes[L]!;
    t.set([L, ACTIVATION_CODE[activation], nOut], at);
    let input = v; // a_0 = [x; u] (the output MLP without feedthrough reads its first nx)
    for (let l = 1; l <= L; l++) {
      const n = sizes[l]!;
      const z = take(n);
      const a = l < L ? take(n) : 0;
      const dz = l < L ? take(n) : 0;
      const delta = take(nOut * n);
      t.set(
        [sizes[l - 1]!, n, off(`${prefix}.W${l}`), off(`${prefix}.b${l}`), input, z, dz, delta],
        at + 3 + (l - 1) * PER_LAYER,
      );
      input = a;
    }
    at += 3 + PER_LAYER * L;
  }
  if (next > scratch.byteOffset + scratch.length * 8)
    throw new Error('rnn kernel scratch too small');
}
