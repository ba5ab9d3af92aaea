/**
 * kernels/tile-shapes.ts compiled and driven from TypeScript: one instance, a matrix A (rows × n)
 * packed into both panel widths, and each register tile's M += AᵀA (upper triangle) into the
 * instance's memory. Used by bench/tile-shapes.ts and its test.
 */
import { compileProbe } from './wasm-probe';

export type TileShape = 'tile44' | 'tile63' | 'tile46';

interface Exports {
  memory: WebAssembly.Memory;
  tile44: (rows: number, n: number, m: number, pk4: number) => void;
  tile63: (rows: number, n: number, m: number, pk6: number) => void;
  tile46: (rows: number, n: number, m: number, pk4: number, pk6: number) => void;
  chains8: (iters: number) => number;
  chains12: (iters: number) => number;
}

/** Compiles the probe with asc (relaxed SIMD); throws when asc is unavailable. */
export const compileTileShapes = () => compileProbe('kernels/tile-shapes.ts');

/** A (rows × n, row-major) in the probe's memory, packed 4 and 6 columns per panel. */
export class TileProbe {
  private readonly x: Exports;
  readonly m: number;
  private readonly pk4: number;
  private readonly pk6: number;

  constructor(
    module: WebAssembly.Module,
    readonly rows: number,
    readonly n: number,
    A: Float64Array,
  ) {
    this.x = new WebAssembly.Instance(module, { env: { abort: () => undefined } })
      .exports as unknown as Exports;
    const np4 = Math.ceil(n / 4);
    const np6 = Math.ceil(n / 6);
    // Bytes: M, then the two packings (each 8-byte aligned, past the module's own data).
    this.m = 1 << 16;
    this.pk4 = this.m + n * n * 8;
    this.pk6 = this.pk4 + np4 * 4 * rows * 8;
    const end = this.pk6 + np6 * 6 * rows * 8;
    const have = this.x.memory.buffer.byteLength;
    if (end > have) this.x.memory.grow(Math.ceil((end - have) / 65536));
    const mem = new Float64Array(this.x.memory.buffer);
    for (const [base, w, np] of [
      [this.pk4, 4, np4],
      [this.pk6, 6, np6],
    ] as const)
      for (let c = 0; c < np * w; c++)
        for (let r = 0; r < rows; r++)
          mem[base / 8 + Math.floor(c / w) * rows * w + r * w + (c % w)] =
            c < n ? A[r * n + c]! : 0;
  }

  /** M = 0, then one accumulation with `shape`; returns a copy of M (n × n, upper triangle). */
  product(shape: TileShape): Float64Array {
    const mem = new Float64Array(this.x.memory.buffer);
    mem.fill(0, this.m / 8, this.m / 8 + this.n * this.n);
    this.run(shape);
    return mem.slice(this.m / 8, this.m / 8 + this.n * this.n);
  }

  /** One accumulation M += AᵀA with `shape`. */
  run(shape: TileShape): void {
    const { rows, n, m } = this;
    if (shape === 'tile44') this.x.tile44(rows, n, m, this.pk4);
    else if (shape === 'tile63') this.x.tile63(rows, n, m, this.pk6);
    else this.x.tile46(rows, n, m, this.pk4, this.pk6);
  }

  /** GFLOP/s of `chains` independent multiply-add chains with no loads (4 flops per f64x2 step). */
  chainRate(chains: 8 | 12, iters = 1e8): number {
    const f = chains === 8 ? this.x.chains8 : this.x.chains12;
    f(1e6);
    let best = 0;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      f(iters);
      best = Math.max(best, (iters * chains * 4) / ((performance.now() - t0) * 1e6));
    }
    return best;
  }
}
