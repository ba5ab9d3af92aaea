/**
 * How fast the host runs one thread of plain arithmetic right now: a fixed loop (no allocation,
 * nothing to compile after its first round), in seconds. On a shared host (a virtual machine
 * whose neighbours load the same cores) it rises while they do, and the load average does not
 * show it; so each benchmark round records it beside its timings, and rounds with a slow probe
 * are the ones that ran on a busy host. About 0.4 s on the idle reference machine (BENCHMARKS.md).
 */
export function hostProbe(iterations = 2e8): number {
  const t0 = performance.now();
  let s = 0;
  for (let i = 0; i < iterations; i++) s += Math.sqrt(i) * 1.0000001;
  const seconds = (performance.now() - t0) / 1000;
  // The sum is used, so the loop cannot be dropped.
  return Number.isFinite(s) ? seconds : NaN;
}
