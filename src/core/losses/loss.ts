/**
 * The loss contract of ALGORITHM.md §2: ℓ(y, ŷ) for one sample, summed over the ny channels,
 * convex and twice differentiable in ŷ. All built-in losses are separable across channels, so
 * the Hessian ∇²_ŷ ℓ is diagonal and is returned as its diagonal.
 */
export interface Loss {
  readonly name: string;
  /**
   * ℓ(y[yOff..yOff+ny), ŷ[hOff..hOff+ny)). When given, writes ∇_ŷ ℓ into grad[0..ny) and the
   * diagonal of ∇²_ŷ ℓ into hess[0..ny).
   */
  evaluate(
    y: Float64Array,
    yOff: number,
    yhat: Float64Array,
    hOff: number,
    ny: number,
    grad?: Float64Array,
    hess?: Float64Array,
  ): number;
}
