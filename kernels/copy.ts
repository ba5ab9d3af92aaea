// AssemblyScript (compiled into the Gauss–Newton module; see gauss-newton.ts): short copies and
// fills of f64 runs, two entries per SIMD load and store — loops, because memory.copy and
// memory.fill are calls into the engine, slow for a few entries.

/** n f64 from src to dst (addresses in bytes). */
@inline
export function copy(dst: usize, src: usize, n: i32): void {
  const n2 = n & ~1;
  for (let j = 0; j < n2; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(dst + o, v128.load(src + o));
  }
  if (n & 1) {
    const o = (<usize>n2) << 3;
    store<f64>(dst + o, load<f64>(src + o));
  }
}

/** n f64 at dst set to 0. */
@inline
export function zero(dst: usize, n: i32): void {
  const n2 = n & ~1;
  for (let j = 0; j < n2; j += 2) v128.store(dst + ((<usize>j) << 3), f64x2.splat(0));
  if (n & 1) store<f64>(dst + ((<usize>n2) << 3), 0.0);
}
