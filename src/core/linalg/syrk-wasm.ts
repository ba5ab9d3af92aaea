/**
 * The symmetric rank-k update of syrk.ts, M (n × n, upper) += AᵀA, in WebAssembly with 128-bit
 * SIMD (kernels/syrk.ts, compiled by scripts/build-kernels.mjs): packed panels and register tiles
 * (6 × 3 with fused multiply-add where the engine has relaxed SIMD, 4 × 4 without). Same result as
 * `syrkUpper` up to rounding (tested against the reference). Where WebAssembly SIMD is
 * unavailable, the TypeScript kernel serves.
 *
 * `SyrkAccumulator` keeps the chunk and M inside the module's memory across chunks: the caller
 * writes the rows of A straight into `At`, so nothing is copied per chunk. The same module exports
 * one sample of the sensitivity recursion (`step`, kernels/sensitivity.ts) that writes those rows;
 * its arrays are `extra` views in the same memory.
 */
import { SYRK_WASM, SYRK_WASM_RELAXED } from './generated/syrk-wasm.js';
import { syrkUpper } from './syrk.js';

/**
 * One sample of the sensitivity recursion in the kernel's memory (kernels/sensitivity.ts): every
 * array argument is the byte address of a view from `SyrkAccumulator.extra` or its `At`.
 */
export type SensitivityStep = (
  ftheta: number,
  fx: number,
  gtheta: number,
  gx: number,
  S: number,
  Snext: number,
  J: number,
  lg: number,
  lh: number,
  At: number,
  g: number,
  ld: number,
  row: number,
  nx: number,
  ny: number,
  nTheta: number,
  nf: number,
  ns: number,
  nl: number,
) => void;

/**
 * The state-space net's kernels (kernels/rnn-model.ts, kernels/rnn-pass.ts), driven by
 * src/core/solver/rnn-kernel.ts; `d` is the address of the model's description table.
 */
export interface RnnKernels {
  rnnStep: (d: number, theta: number, x: number, u: number, y: number) => void;
  rnnJacobians: (d: number, theta: number, x: number, u: number) => void;
  rnnSimulate: (
    d: number,
    theta: number,
    u: number,
    n: number,
    x: number,
    xs: number,
    y: number,
  ) => number;
  rnnBlock: (
    d: number,
    theta: number,
    u: number,
    n: number,
    x: number,
    y: number,
    S: number,
    Snext: number,
    Jr: number,
    nl: number,
    row0: number,
    nf: number,
    ns: number,
  ) => number;
}

interface KernelExports extends RnnKernels {
  memory: WebAssembly.Memory;
  syrk: (at: number, ld: number, rows: number, n: number, m: number, pk: number) => void;
  syrkScaled: (
    jr: number,
    rows: number,
    n: number,
    m: number,
    pk: number,
    gr: number,
    h: number,
    g: number,
  ) => void;
  step: SensitivityStep;
  cholesky: (a: number, n: number) => number;
  choleskySolve: (l: number, n: number, b: number) => void;
}

/** The dense Cholesky kernels (kernels/cholesky.ts) of one instance, with its memory. */
export type CholeskyKernels = Pick<KernelExports, 'memory' | 'cholesky' | 'choleskySolve'>;

/** Which kernel does the accumulation on this engine. */
export type KernelVariant = 'wasm-relaxed-simd' | 'wasm-simd' | 'typescript';

/** Static data of the module stay below this offset; the buffers start here. */
const BASE = 65536;
const PAGE = 65536;
const BUILDS: [KernelVariant, string][] = [
  ['wasm-relaxed-simd', SYRK_WASM_RELAXED],
  ['wasm-simd', SYRK_WASM],
];
const modules = new Map<KernelVariant, WebAssembly.Module | null>();

/**
 * The bytes of a base64 string: Node's decoder where there is one — about 0.1 ms for a build
 * against 9 ms for `atob` and a copy per character, which every new thread (solver, pass helper)
 * would otherwise run and compile — else `atob`.
 */
export function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, encoding: 'base64'): Uint8Array } }).Buffer;
  if (B) return new Uint8Array(B.from(b64, 'base64'));
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** The compiled module of one build, or null where this engine lacks its features. */
function compile(variant: KernelVariant): WebAssembly.Module | null {
  let m = modules.get(variant);
  if (m !== undefined) return m;
  m = null;
  const b64 = BUILDS.find(([v]) => v === variant)?.[1];
  if (b64 !== undefined) {
    try {
      m = new WebAssembly.Module(base64Bytes(b64));
    } catch {
      // Relaxed SIMD before V8 11.4, or no SIMD at all: the next build serves.
    }
  }
  modules.set(variant, m);
  return m;
}

let best: KernelVariant | undefined;

function instantiate(variant: KernelVariant): KernelExports | null {
  const module = compile(variant);
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, { env: { abort: () => undefined } });
  const e = instance.exports as unknown as KernelExports;
  // A plain object of one shape for every instance: on V8 12 (Node 22) each instance's own exports
  // object has a map of its own (V8 11, Node 20, shares one), which made the loads `kernel.syrk`,
  // `k.rnnSimulate` polymorphic and deoptimized the code holding them whenever a thread used a
  // further instance (its pooled workspaces' and each model's simulation kernel).
  return {
    memory: e.memory,
    syrk: e.syrk,
    syrkScaled: e.syrkScaled,
    step: e.step,
    rnnStep: e.rnnStep,
    rnnJacobians: e.rnnJacobians,
    rnnSimulate: e.rnnSimulate,
    rnnBlock: e.rnnBlock,
    cholesky: e.cholesky,
    choleskySolve: e.choleskySolve,
  };
}

/**
 * Released instances of this thread, per build, for the next accumulator. A workspace that is not
 * parked for the next search (gauss-newton.ts's takeWorkspace: one of another model, a parallel
 * pass's piece, a workspace made by hand) releases its instance here. A fresh instance's memory is
 * new pages that the first pass faults in one by one (about 1 MB per workspace at n_z = 93), so
 * reusing them takes most page faults and the system time out of a sweep of small fits.
 */
const idle = new Map<KernelVariant, KernelExports[]>();
/** Released instances kept per build and thread; more are left to the garbage collector. */
export const IDLE_KERNELS = 4;

/**
 * A released instance of `variant` if one is idle, its memory from BASE on zeroed as in a new
 * instance; else a new one (null: no such build).
 */
function takeKernel(variant: KernelVariant): KernelExports | null {
  const kernel = idle.get(variant)?.pop();
  if (!kernel) return instantiate(variant);
  const buf = kernel.memory.buffer;
  if (buf.byteLength > BASE) new Uint8Array(buf, BASE).fill(0);
  return kernel;
}

/** How many released instances of `variant` this thread holds (tests). */
export function idleKernels(variant: KernelVariant = kernelVariant()): number {
  return idle.get(variant)?.length ?? 0;
}

/** The kernel the accumulation uses on this engine. */
export function kernelVariant(): KernelVariant {
  best ??= BUILDS.find(([v]) => compile(v) !== null)?.[0] ?? 'typescript';
  return best;
}

/**
 * A new instance of this engine's kernel build for the dense Cholesky kernels (its own memory;
 * buffers from `KERNEL_BASE` on), or null where the TypeScript kernels serve.
 */
export function choleskyInstance(variant = kernelVariant()): CholeskyKernels | null {
  return variant === 'typescript' ? null : instantiate(variant);
}

/** Byte offset where an instance's free memory starts (its static data lie below). */
export const KERNEL_BASE = BASE;

/**
 * Grows `memory` to at least `bytes`; false when it cannot (past the 4 GiB of a 32-bit
 * WebAssembly memory), the memory then unchanged.
 */
export function growMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE));
    return true;
  } catch {
    return false;
  }
}

/** Whether a WebAssembly kernel is in use (false: the TypeScript kernel serves). */
export function wasmKernelAvailable(): boolean {
  return kernelVariant() !== 'typescript';
}

/**
 * The accumulators of this thread that handed their instance back. Kept beside them, not in a
 * field: the first release would otherwise change a field every pass reads, which V8 had compiled
 * as constant, and deoptimize those functions on each solver thread.
 */
const released = new WeakSet<SyrkAccumulator>();

/**
 * M (n × n, upper triangle) accumulated over chunks A_c (rows_c × n, column-major in `At`,
 * leading dimension ld): M = Σ_c A_cᵀ A_c. One WebAssembly instance (own memory) per accumulator.
 */
export class SyrkAccumulator {
  /** The chunk, column-major: A[r, i] = At[i·ld + r] (n × ld). Write rows here, then `add`. */
  readonly At: Float64Array;
  private readonly kernel: KernelExports | null;
  private readonly M: Float64Array;
  private readonly atAddr = BASE;
  private readonly mAddr: number;
  private readonly pkAddr: number;
  /**
   * Further f64 arrays of the requested lengths, in the kernel's memory when it is WebAssembly
   * (so `byteOffset` is their address for `step`), plain arrays otherwise.
   */
  readonly extra: Float64Array[];
  /** The kernel's sensitivity step (null on the TypeScript path). */
  readonly step: SensitivityStep | null;
  /** The state-space net's kernels in the same memory (null on the TypeScript path). */
  readonly rnn: RnnKernels | null;

  /**
   * `variant` forces one build (tests, benchmarks); by default the best this engine runs.
   * `pooled: false` takes a new instance instead of a released one (for an accumulator that is
   * never released: a released instance may have grown to a large workspace's memory).
   */
  constructor(
    readonly n: number,
    readonly ld: number,
    readonly variant: KernelVariant = kernelVariant(),
    extra: readonly number[] = [],
    pooled = true,
  ) {
    this.mAddr = BASE + n * ld * 8;
    this.pkAddr = this.mAddr + n * n * 8;
    let kernel =
      variant === 'typescript' ? null : pooled ? takeKernel(variant) : instantiate(variant);
    // Extra arrays after the packing scratch, each on a 16-byte boundary.
    const extraAddr: number[] = [];
    // Panels of 6 columns (relaxed-SIMD build) or 4 (plain SIMD): room for either.
    let end = this.pkAddr + Math.max(6 * Math.ceil(n / 6), 4 * Math.ceil(n / 4)) * ld * 8;
    for (const len of extra) {
      extraAddr.push(end);
      end += Math.ceil(len / 2) * 16;
    }
    // Past the 4 GiB of a 32-bit WebAssembly memory: the TypeScript kernel serves.
    if (kernel && !growMemory(kernel.memory, end)) kernel = null;
    this.kernel = kernel;
    if (!kernel) this.variant = 'typescript';
    if (kernel) {
      const buf = kernel.memory.buffer;
      this.At = new Float64Array(buf, this.atAddr, n * ld);
      this.M = new Float64Array(buf, this.mAddr, n * n);
      this.extra = extra.map((len, i) => new Float64Array(buf, extraAddr[i], len));
    } else {
      this.At = new Float64Array(n * ld);
      this.M = new Float64Array(n * n);
      this.extra = extra.map((len) => new Float64Array(len));
    }
    this.step = kernel ? kernel.step : null;
    this.rnn = kernel;
  }

  /** M = 0. */
  reset(): void {
    this.checkLive();
    this.M.fill(0);
  }

  /**
   * Hands the WebAssembly instance back to this thread's idle list for the next accumulator: call
   * it when nothing will read `At`, `extra` or M again (their memory gets a new owner). Further
   * use throws. Idempotent; a no-op on the TypeScript path.
   */
  release(): void {
    if (released.has(this)) return;
    released.add(this);
    const kernel = this.kernel;
    if (!kernel) return;
    const list = idle.get(this.variant) ?? [];
    idle.set(this.variant, list);
    if (list.length < IDLE_KERNELS) list.push(kernel);
  }

  /** Throws once the instance was handed back (its memory belongs to another accumulator). */
  private checkLive(): void {
    if (released.has(this)) throw new Error('SyrkAccumulator: used after release()');
  }

  /** M += AᵀA for the first `rows` rows of the chunk in `At`. */
  add(rows: number): void {
    this.checkLive();
    if (rows <= 0) return;
    if (this.kernel) this.kernel.syrk(this.atAddr, this.ld, rows, this.n, this.mAddr, this.pkAddr);
    else syrkUpper(this.At, this.ld, rows, this.n, this.M);
  }

  /**
   * M += AᵀA for A = diag(√h) J, and g += Jᵀ gr, where J (`rows` × n, not yet scaled) is stored
   * row-major at the start of `At`'s memory (row stride n; rows ≤ ld, so it fits) — WebAssembly
   * only; gr, h, g: arrays in the kernel's memory, of `rows`, `rows` and n entries. h is
   * overwritten with √h.
   */
  addScaled(rows: number, gr: Float64Array, h: Float64Array, g: Float64Array): void {
    this.checkLive();
    if (rows <= 0) return;
    if (!this.kernel) throw new Error('addScaled needs the WebAssembly kernel');
    this.kernel.syrkScaled(
      this.atAddr,
      rows,
      this.n,
      this.mAddr,
      this.pkAddr,
      gr.byteOffset,
      h.byteOffset,
      g.byteOffset,
    );
  }

  /** Copies M (upper triangle valid; n × n row-major) into `out`. */
  read(out: Float64Array): void {
    this.checkLive();
    out.set(this.M);
  }

  /** M itself (upper triangle valid; n × n row-major), to read until the next `add` or `reset`. */
  upper(): Float64Array {
    this.checkLive();
    return this.M;
  }
}

/**
 * One-shot form with the arguments of `syrkUpper` (M += AᵀA, At column-major n × ld): copies the
 * chunk into a new accumulator and adds its M. For tests; the solver writes into a
 * `SyrkAccumulator` directly.
 */
export function syrkUpperWasm(
  At: Float64Array,
  ld: number,
  rows: number,
  n: number,
  M: Float64Array,
  variant: KernelVariant = kernelVariant(),
): void {
  const acc = new SyrkAccumulator(n, ld, variant);
  acc.At.set(At.subarray(0, n * ld));
  acc.add(rows);
  const up = new Float64Array(n * n);
  acc.read(up);
  for (let a = 0; a < n * n; a++) M[a] = M[a]! + up[a]!;
}
