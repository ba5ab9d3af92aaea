/**
 * Decimation by an integer factor K: an anti-alias low-pass filter, then every K-th sample.
 *
 * The filter is a linear-phase FIR designed by the window method (as MATLAB's
 * `decimate(x, K, 'fir')` and `fir1`): L = 20 K + 1 taps of a Hamming-windowed ideal low-pass with
 * cutoff f_c = 1/(2K) cycles per sample (the new Nyquist frequency), normalised to unit DC gain,
 *
 *   h[j] = w[j] · 2 f_c · sinc(2 f_c (j − 10K)) / Σ,   w[j] = 0.54 − 0.46 cos(2π j / (L − 1)),
 *
 * applied centred (zero phase: no delay between input and output channels). Near the ends of the
 * part the signal is extended by odd reflection about its end sample (x[−j] = 2 x[0] − x[j], as
 * `filtfilt` pads), which keeps a constant or a ramp unchanged there.
 *
 * `filter none` skips the filter (plain down-sampling, e.g. when the data are already band-limited).
 */
import { NailsError } from '../errors.js';

export type DecimationFilter = 'fir' | 'none';
export const DECIMATION_FILTERS: readonly DecimationFilter[] = ['fir', 'none'];

/** The anti-alias filter's taps for factor K (length 20 K + 1, symmetric, unit DC gain). */
export function antiAliasTaps(K: number): Float64Array {
  const half = 10 * K;
  const L = 2 * half + 1;
  const fc = 1 / (2 * K);
  const h = new Float64Array(L);
  let sum = 0;
  for (let j = 0; j < L; j++) {
    const t = j - half;
    const sinc = t === 0 ? 1 : Math.sin(2 * Math.PI * fc * t) / (2 * Math.PI * fc * t);
    const w = 0.54 + 0.46 * Math.cos((Math.PI * t) / half); // = 0.54 − 0.46 cos(2π j/(L − 1)), symmetric in t
    h[j] = w * 2 * fc * sinc;
    sum += h[j]!;
  }
  for (let j = 0; j < L; j++) h[j]! /= sum;
  return h;
}

/** x filtered by the centred FIR h (odd length), with odd reflection at both ends. */
export function filterCentred(x: Float64Array, h: Float64Array): Float64Array {
  const N = x.length;
  const half = (h.length - 1) / 2;
  const at = (k: number): number => {
    if (k < 0) return 2 * x[0]! - x[Math.min(-k, N - 1)]!;
    if (k >= N) return 2 * x[N - 1]! - x[Math.max(2 * (N - 1) - k, 0)]!;
    return x[k]!;
  };
  const y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    const lo = n - half;
    if (lo >= 0 && n + half < N) for (let j = 0; j < h.length; j++) s += h[j]! * x[lo + j]!;
    else for (let j = 0; j < h.length; j++) s += h[j]! * at(lo + j);
    y[n] = s;
  }
  return y;
}

/**
 * Samples start, start + K, … < end of x after the anti-alias filter, applied to x[start, end)
 * only (samples outside the part, which may hold NaN or another experiment, never leak in). `x`
 * is one channel [N]; the result has ⌈(end − start)/K⌉ samples.
 */
export function decimate(
  x: Float64Array,
  K: number,
  filter: DecimationFilter = 'fir',
  start = 0,
  end = x.length,
): Float64Array {
  if (!Number.isInteger(K) || K < 1)
    throw new NailsError(`decimate ${K}: the factor must be a whole number ≥ 1`, 'decimate');
  const seg = x.subarray(start, end);
  const src =
    K > 1 && filter === 'fir' && seg.length > 1 ? filterCentred(seg, antiAliasTaps(K)) : seg;
  const n = Math.ceil(seg.length / K);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i * K]!;
  return out;
}
