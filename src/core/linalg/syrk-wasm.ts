/**
 * The symmetric rank-k update M (n × n, upper) += Aᵀ A of syrk.ts, in WebAssembly with 128-bit
 * SIMD (kernels/syrk.ts, compiled by scripts/build-kernels.mjs). Same arguments and result as
 * `syrkUpper` (tested against the reference); the chunk and M are copied into the module's memory
 * and back — O(n·rows + n²) against the O(n²·rows) of the product. Falls back to the TypeScript
 * kernel where WebAssembly SIMD is unavailable.
 */
import { SYRK_WASM } from './generated/syrk-wasm.js';
import { syrkUpper } from './syrk.js';

interface Kernel {
  memory: WebAssembly.Memory;
  syrk: (at: number, ld: number, rows: number, n: number, m: number) => void;
}

/** Static data of the module stay below this offset; the buffers start here. */
const BASE = 65536;
let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(SYRK_WASM), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { abort: () => undefined },
    });
    kernel = instance.exports as unknown as Kernel;
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Whether the WebAssembly kernel is in use (false: the TypeScript kernel serves). */
export function wasmKernelAvailable(): boolean {
  return load() !== null;
}

/** M (upper triangle) += AᵀA with At column-major (n × ld, `rows` used). */
export function syrkUpperWasm(
  At: Float64Array,
  ld: number,
  rows: number,
  n: number,
  M: Float64Array,
): void {
  const k = load();
  if (!k) {
    syrkUpper(At, ld, rows, n, M);
    return;
  }
  const atBytes = n * ld * 8;
  const need = BASE + atBytes + n * n * 8;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float64Array(k.memory.buffer);
  heap.set(At.subarray(0, n * ld), BASE / 8);
  const mOff = (BASE + atBytes) / 8;
  heap.set(M.subarray(0, n * n), mOff);
  k.syrk(BASE, ld, rows, n, BASE + atBytes);
  M.set(heap.subarray(mOff, mOff + n * n));
}
