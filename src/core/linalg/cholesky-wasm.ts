/**
 * The damped step's dense factor-and-solve, S Δ = r with S (n × n, symmetric positive definite,
 * row-major, lower triangle used) and r (n), in WebAssembly (kernels/cholesky.ts: the Crout order
 * of cholesky.ts with the inner products in f64x2): about ten times the TypeScript loops at the
 * sizes of our models (nθ ≈ 100–400), and no JIT warm-up for a new solver thread.
 *
 * One instance per thread (a module singleton, created on first use, its memory grown to the
 * largest n seen and kept). The caller fills the views `S` and `r` of `CholeskySolver.begin(n)`
 * in place — no copies — then calls `solve()`: r becomes Δ. The views are valid until the next
 * `begin` (a larger n grows the memory and detaches the old ones). Where WebAssembly SIMD is
 * missing, the same interface runs the TypeScript oracle on ordinary arrays.
 */
import { choleskyInPlace, choleskySolveInPlace } from './cholesky.js';
import { choleskyInstance, KERNEL_BASE, type CholeskyKernels } from './syrk-wasm.js';

const PAGE = 65536;

export class CholeskySolver {
  /** S (n × n, row-major): overwritten by L on `solve`. */
  S: Float64Array = new Float64Array(0);
  /** The right-hand side (n): Δ after a successful `solve`. */
  r: Float64Array = new Float64Array(0);
  private n = 0;

  /** @param kernel the WebAssembly kernels, or null for the TypeScript oracle. */
  constructor(private readonly kernel: CholeskyKernels | null) {}

  /** Whether this solver runs in WebAssembly. */
  get wasm(): boolean {
    return this.kernel !== null;
  }

  /** Views for an n × n system (contents unspecified: the caller writes every entry it uses). */
  begin(n: number): void {
    this.n = n;
    const k = this.kernel;
    if (!k) {
      if (this.S.length !== n * n) this.S = new Float64Array(n * n);
      if (this.r.length !== n) this.r = new Float64Array(n);
      return;
    }
    const need = KERNEL_BASE + (n * n + n) * 8;
    const have = k.memory.buffer.byteLength;
    if (need > have) k.memory.grow(Math.ceil((need - have) / PAGE));
    const buf = k.memory.buffer;
    if (this.S.buffer !== buf || this.S.length !== n * n) {
      this.S = new Float64Array(buf, KERNEL_BASE, n * n);
      this.r = new Float64Array(buf, KERNEL_BASE + n * n * 8, n);
    }
  }

  /**
   * Factorises S = L Lᵀ in place and solves L Lᵀ x = r into r; false when S is not numerically
   * positive definite (a pivot ≤ 0 or not finite; S and r are then garbage).
   */
  solve(): boolean {
    const { n, kernel: k } = this;
    if (!k) {
      if (!choleskyInPlace(this.S, n)) return false;
      choleskySolveInPlace(this.S, n, this.r);
      return true;
    }
    if (k.cholesky(KERNEL_BASE, n) === 0) return false;
    k.choleskySolve(KERNEL_BASE, n, KERNEL_BASE + n * n * 8);
    return true;
  }
}

let shared: CholeskySolver | undefined;

/** This thread's solver: WebAssembly where the engine has SIMD, else the TypeScript oracle. */
export function choleskySolver(): CholeskySolver {
  shared ??= new CholeskySolver(choleskyInstance());
  return shared;
}
