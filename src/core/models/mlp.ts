/**
 * A multilayer perceptron  m(v) = W_L σ(… σ(W_1 v + b_1) …) + b_L  on parameters stored in θ,
 * with exact derivatives with respect to its input and its parameters.
 *
 * Layer sizes n_0 (input) … n_L (output); hidden layers use activation σ, the last layer is affine.
 * Blocks `${prefix}.W{l}` (n_l × n_{l−1}) and `${prefix}.b{l}` (n_l) are added to the layout.
 *
 * Derivatives by reverse accumulation, all outputs at once:
 *   Δ_L = I (n_L × n_L),  Δ_{l−1} = Δ_l W_l diag(σ'(z_{l−1}))
 *   ∂m/∂v = Δ_1 W_1,   ∂m_r/∂(W_l)_{ij} = (Δ_l)_{ri} a_{l−1,j},   ∂m_r/∂(b_l)_i = (Δ_l)_{ri}
 * where z_l = W_l a_{l−1} + b_l and a_l = σ(z_l), a_0 = v.
 */
import type { Random } from '../random.js';
import type { Activation } from './activations.js';
import type { ParameterBlock, ParameterLayout } from './parameter-layout.js';

export class Mlp {
  readonly sizes: number[];
  private readonly W: ParameterBlock[] = [];
  private readonly b: ParameterBlock[] = [];
  /** a_l for l = 0..L−1 (a_0 = input), z_l for l = 1..L (index l−1). */
  private readonly a: Float64Array[];
  private readonly z: Float64Array[];
  /** Δ_l, n_L × n_l, for l = 1..L (index l−1). */
  private readonly delta: Float64Array[];

  constructor(
    layout: ParameterLayout,
    prefix: string,
    sizes: number[],
    private readonly act: Activation,
  ) {
    this.sizes = sizes;
    const L = sizes.length - 1;
    for (let l = 1; l <= L; l++) {
      this.W.push(layout.add(`${prefix}.W${l}`, sizes[l]!, sizes[l - 1]!));
      this.b.push(layout.add(`${prefix}.b${l}`, sizes[l]!, 1));
    }
    this.a = sizes.slice(0, L).map((n) => new Float64Array(n));
    this.z = sizes.slice(1).map((n) => new Float64Array(n));
    const nOut = sizes[L]!;
    this.delta = sizes.slice(1).map((n) => new Float64Array(nOut * n));
  }

  get nIn(): number {
    return this.sizes[0]!;
  }
  get nOut(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /**
   * Seeded initialisation: W_l ~ N(0, 1/n_{l−1}) (LeCun), b_l = 0; the last layer scaled by
   * `lastScale` (small when a linear part carries the initial model).
   */
  init(theta: Float64Array, rng: Random, lastScale: number): void {
    this.W.forEach((blk, i) => {
      const scale = (i === this.W.length - 1 ? lastScale : 1) / Math.sqrt(blk.cols);
      for (let k = 0; k < blk.size; k++) theta[blk.offset + k] = scale * rng.normal();
    });
    for (const blk of this.b) theta.fill(0, blk.offset, blk.offset + blk.size);
  }

  /**
   * out[outOff + r] += m(v)_r, with v = input (n_0 values). Keeps the activations for the
   * derivative calls that follow with the same θ and input.
   */
  forwardAdd(theta: Float64Array, input: Float64Array, out: Float64Array, outOff: number): void {
    const L = this.W.length;
    // A copy loop, not set(input.subarray(…)): the view would be garbage at every step.
    const a0 = this.a[0]!;
    for (let j = 0; j < a0.length; j++) a0[j] = input[j]!;
    for (let l = 0; l < L; l++) {
      const W = this.W[l]!;
      const bo = this.b[l]!.offset;
      const src = this.a[l]!;
      const zl = this.z[l]!;
      const rows = W.rows;
      const cols = W.cols;
      for (let i = 0; i < rows; i++) {
        let s = theta[bo + i]!;
        const ro = W.offset + i * cols;
        for (let j = 0; j < cols; j++) s += theta[ro + j]! * src[j]!;
        zl[i] = s;
      }
      if (l < L - 1) {
        const next = this.a[l + 1]!;
        for (let i = 0; i < rows; i++) next[i] = this.act.f(zl[i]!);
      }
    }
    const zL = this.z[L - 1]!;
    for (let r = 0; r < zL.length; r++) out[outOff + r] = out[outOff + r]! + zL[r]!;
  }

  /** Runs the backward recursion for Δ_l (after forwardAdd). */
  private backward(theta: Float64Array): void {
    const L = this.W.length;
    const nOut = this.nOut;
    const dL = this.delta[L - 1]!;
    dL.fill(0);
    for (let r = 0; r < nOut; r++) dL[r * nOut + r] = 1;
    for (let l = L - 1; l >= 1; l--) {
      // Δ_{l} (index l−1) = Δ_{l+1} (index l) · W_{l+1} · diag(σ'(z_l))
      const W = this.W[l]!;
      const dn = this.delta[l]!;
      const dp = this.delta[l - 1]!;
      const zp = this.z[l - 1]!;
      const rows = W.rows;
      const cols = W.cols;
      for (let r = 0; r < nOut; r++) {
        for (let j = 0; j < cols; j++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += dn[r * rows + i]! * theta[W.offset + i * cols + j]!;
          dp[r * cols + j] = s * this.act.df(zp[j]!);
        }
      }
    }
  }

  /**
   * Adds the derivatives (after forwardAdd with the same θ and input):
   *   dIn[(rowOff + r) * inStride + inCol + j] += ∂m_r/∂v_j          (n_L × n_0)
   *   dTheta[(rowOff + r) * nTheta + blockOffset + …] = ∂m_r/∂θ      (n_L × nθ, this MLP's blocks)
   */
  derivatives(
    theta: Float64Array,
    dIn: Float64Array,
    inStride: number,
    inCol: number,
    inCount: number,
    dTheta: Float64Array,
    nTheta: number,
    rowOff: number,
  ): void {
    this.backward(theta);
    const nOut = this.nOut;
    const W1 = this.W[0]!;
    const d1 = this.delta[0]!;
    for (let r = 0; r < nOut; r++) {
      for (let j = 0; j < inCount; j++) {
        let s = 0;
        for (let i = 0; i < W1.rows; i++)
          s += d1[r * W1.rows + i]! * theta[W1.offset + i * W1.cols + j]!;
        const at = (rowOff + r) * inStride + inCol + j;
        dIn[at] = dIn[at]! + s;
      }
    }
    for (let l = 0; l < this.W.length; l++) {
      const W = this.W[l]!;
      const bo = this.b[l]!.offset;
      const dl = this.delta[l]!;
      const al = this.a[l]!;
      for (let r = 0; r < nOut; r++) {
        const row = (rowOff + r) * nTheta;
        for (let i = 0; i < W.rows; i++) {
          const di = dl[r * W.rows + i]!;
          const base = row + W.offset + i * W.cols;
          for (let j = 0; j < W.cols; j++) dTheta[base + j] = di * al[j]!;
          dTheta[row + bo + i] = di;
        }
      }
    }
  }
}
