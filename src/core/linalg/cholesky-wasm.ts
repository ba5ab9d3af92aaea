/**
 * The damped step's dense factor-and-solve, S Δ = r with S (n × n, symmetric positive definite,
 * row-major, lower triangle used) and r (n), in WebAssembly (kernels/cholesky.ts: the Crout order
 * of cholesky.ts with the inner products in f64x2): in a CPU profile of 8 Cascaded-tanks fits
 * (nθ = 91) 592 ms in the TypeScript solve became 157 ms (BENCHMARKS.md, session 11), and a new
 * solver thread has no JIT warm-up for it. A system past WebAssembly's 4 GiB of memory
 * (nθ ≳ 23,000) is solved by the oracle, as where WebAssembly SIMD is missing.
 *
 * One instance per thread (a module singleton, created on first use, its memory grown to the
 * largest n seen and kept). The caller fills the views `S` and `r` of `CholeskySolver.begin(n)`
 * in place — no copies — then calls `solve()`: r becomes Δ. The views are valid until the next
 * `begin` (a larger n grows the memory and detaches the old ones). Where WebAssembly SIMD is
 * missing, the same interface runs the TypeScript oracle on ordinary arrays.
 */
import { choleskyInPlace, choleskySolveInPlace } from './cholesky.js';
import { choleskyInstance, growMemory, KERNEL_BASE, type CholeskyKernels } from './syrk-wasm.js';

export class CholeskySolver {
  /** S (n × n, row-major): overwritten by L on `solve`. */
  S: Float64Array = new Float64Array(0);
  /** The right-hand side (n): Δ after a successful `solve`. */
  r: Float64Array = new Float64Array(0);
  private n = 0;
  /** The kernel when it serves this system; null: the oracle (no kernel, or no memory for n). */
  private live: CholeskyKernels | null = null;

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
    this.live = k && growMemory(k.memory, KERNEL_BASE + (n * n + n) * 8) ? k : null;
    if (this.live) {
      const buf = this.live.memory.buffer;
      if (this.S.buffer !== buf || this.S.length !== n * n) {
        this.S = new Float64Array(buf, KERNEL_BASE, n * n);
        this.r = new Float64Array(buf, KERNEL_BASE + n * n * 8, n);
      }
      return;
    }
    if (this.S.length !== n * n || this.S.buffer === k?.memory.buffer)
      this.S = new Float64Array(n * n);
    if (this.r.length !== n || this.r.buffer === k?.memory.buffer) this.r = new Float64Array(n);
  }

  /**
   * Factorises S = L Lᵀ in place and solves L Lᵀ x = r into r; false when S is not numerically
   * positive definite (a pivot ≤ 0 or not finite; S and r are then garbage).
   */
  solve(): boolean {
    const { n, live: k } = this;
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
