// AssemblyScript, compiled by bench/kernel-rate.ts at run time (a benchmark probe, not shipped): the engine's peak
// 128-bit fused multiply-add rate — 12 independent f64x2 accumulator chains, no memory traffic,
// 4 flops per f64x2.relaxed_madd. The ceiling any WebAssembly SIMD kernel can reach here.
export function peak(iters: i32): f64 {
  const a = f64x2.splat(1.0000001);
  const b = f64x2.splat(1e-9);
  let s0 = f64x2.splat(0.0), s1 = f64x2.splat(0.1), s2 = f64x2.splat(0.2), s3 = f64x2.splat(0.3);
  let s4 = f64x2.splat(0.4), s5 = f64x2.splat(0.5), s6 = f64x2.splat(0.6), s7 = f64x2.splat(0.7);
  let s8 = f64x2.splat(0.8), s9 = f64x2.splat(0.9), s10 = f64x2.splat(1.0), s11 = f64x2.splat(1.1);
  for (let i = 0; i < iters; i++) {
    s0 = f64x2.relaxed_madd(s0, a, b);
    s1 = f64x2.relaxed_madd(s1, a, b);
    s2 = f64x2.relaxed_madd(s2, a, b);
    s3 = f64x2.relaxed_madd(s3, a, b);
    s4 = f64x2.relaxed_madd(s4, a, b);
    s5 = f64x2.relaxed_madd(s5, a, b);
    s6 = f64x2.relaxed_madd(s6, a, b);
    s7 = f64x2.relaxed_madd(s7, a, b);
    s8 = f64x2.relaxed_madd(s8, a, b);
    s9 = f64x2.relaxed_madd(s9, a, b);
    s10 = f64x2.relaxed_madd(s10, a, b);
    s11 = f64x2.relaxed_madd(s11, a, b);
  }
  const t = f64x2.add(f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3)), f64x2.add(f64x2.add(s4, s5), f64x2.add(s6, s7)));
  return f64x2.extract_lane(f64x2.add(t, f64x2.add(f64x2.add(s8, s9), f64x2.add(s10, s11))), 0);
}
