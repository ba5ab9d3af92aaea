/**
 * Adam (Kingma & Ba 2015) on the full-batch objective V(z), the first-order baseline and the
 * first-order phase of the recovery from degenerate points (recovery.ts), run by the iteration
 * driver (driver.ts):
 *
 *   m ← β₁ m + (1−β₁) ∇V,  v ← β₂ v + (1−β₂) ∇V²,  z ← z − η m̂ / (√v̂ + ε)
 *
 * with bias-corrected m̂, v̂. An epoch is accepted when it improves the best V; the search's
 * point is the best iterate seen. A non-finite V at an iterate goes back to the best point.
 * The stall window defaults to 100 epochs (Adam's V is not monotone).
 */
import { NailsError } from '../errors.js';
import { valueAndGradient } from './adjoint-gradient.js';
import { drive, type Search, type StepOutcome } from './driver.js';
import { checkProblem, type Problem } from './problem.js';
import {
  normInf,
  resolveOptions,
  type ResolvedOptions,
  type SolverOptions,
  type SolverResult,
} from './types.js';

export interface AdamOptions extends SolverOptions {
  /** Learning rate η (default 1e-3). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

class AdamSearch implements Search {
  readonly method = 'Adam';
  /** The best iterate so far. */
  readonly z: Float64Array;
  readonly simulations = 0;
  sensitivities = 0;
  private readonly x: Float64Array;
  private readonly g: Float64Array;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private best = Infinity;
  private t = 0;

  constructor(
    private readonly p: Problem,
    z0: Float64Array,
    private readonly o: ResolvedOptions,
    private readonly lr: number,
    private readonly b1: number,
    private readonly b2: number,
    private readonly eps: number,
  ) {
    const n = z0.length;
    this.z = Float64Array.from(z0);
    this.x = Float64Array.from(z0);
    this.g = new Float64Array(n);
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  private evaluate(): number {
    this.sensitivities++;
    return valueAndGradient(this.p, this.x, this.g, this.o.shouldStop);
  }

  start() {
    this.best = this.evaluate();
    return { value: this.best, gradNorm: normInf(this.g) };
  }

  step(): StepOutcome {
    const { x, g, m, v, b1, b2 } = this;
    this.t++;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    // Stryker disable next-line EqualityOperator: `<=` only adds a write past the end of a typed array, which is ignored
    for (let i = 0; i < x.length; i++) {
      const gi = g[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      x[i] = x[i]! - (this.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + this.eps);
    }
    let value = this.evaluate();
    if (!Number.isFinite(value)) {
      // No line search to shorten the step: go back to the best point.
      x.set(this.z);
      value = this.evaluate();
    }
    if (value < this.best) {
      this.best = value;
      this.z.set(x);
      return { accepted: true, value, gradNorm: normInf(g), stepNorm: NaN, alpha: this.lr };
    }
    return { accepted: false, value: this.best, gradNorm: NaN, stepNorm: NaN, alpha: this.lr };
  }
}

export function adam(p: Problem, z0: Float64Array, options: AdamOptions = {}): SolverResult {
  checkProblem(p);
  if (p.quadratic || p.fixed)
    throw new NailsError(
      'the first-order baselines take the smooth objective only (no ADMM term, no fixed entries)',
      'method',
    );
  const o = resolveOptions({ ...options, stallWindow: options.stallWindow ?? 100 }, p);
  const search = new AdamSearch(
    p,
    z0,
    o,
    options.learningRate ?? 1e-3,
    options.beta1 ?? 0.9,
    options.beta2 ?? 0.999,
    options.epsilon ?? 1e-8,
  );
  return drive(p, search, o);
}
