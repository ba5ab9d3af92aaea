/**
 * The scaled (model-unit) signals of several experiments, computed once per distinct raw signal:
 * parts that select the same samples of a file (a test part on the training record, a validation
 * share cut from it) share one scaled array, or views of it, instead of a copy each. The scaled
 * arrays live in SharedArrayBuffers, so that solver worker threads receive them without a copy
 * (postMessage shares a SharedArrayBuffer; an ordinary buffer is cloned whole, even for a view).
 */
import type { Experiment } from './experiment.js';
import { affine, type Scaling } from './scaling.js';

/** Each experiment in scaled units (same order); arrays are shared where the raw samples are. */
export function scaleExperiments(raws: readonly Experiment[], s: Scaling): Experiment[] {
  const cache = new ScaledSignals();
  // Longest first, so that a shorter view of the same samples reuses the longer one's array.
  const order = raws.map((_, i) => i).sort((a, b) => raws[b]!.N - raws[a]!.N);
  const out: Experiment[] = new Array<Experiment>(raws.length);
  for (const i of order) {
    const e = raws[i]!;
    out[i] = {
      ...e,
      u: cache.scaled(e.u, e.nu, s.uMean, s.uStd),
      y: cache.scaled(e.y, e.ny, s.yMean, s.yStd),
    };
  }
  return out;
}

/** One scaled array per (raw buffer, samples, channels, scaling): later requests get views. */
class ScaledSignals {
  private readonly byBuffer = new Map<
    ArrayBufferLike,
    {
      start: number;
      end: number;
      n: number;
      mean: readonly number[];
      std: readonly number[];
      scaled: Float64Array;
    }[]
  >();

  /** `raw` (N × n, row-major) scaled per channel by (mean, std). */
  scaled(
    raw: Float64Array,
    n: number,
    mean: readonly number[],
    std: readonly number[],
  ): Float64Array {
    const start = raw.byteOffset / Float64Array.BYTES_PER_ELEMENT;
    const end = start + raw.length;
    let held = this.byBuffer.get(raw.buffer);
    for (const h of held ?? []) {
      const inside = h.start <= start && end <= h.end && (start - h.start) % Math.max(n, 1) === 0;
      if (inside && h.n === n && h.mean === mean && h.std === std)
        return h.scaled.subarray(start - h.start, end - h.start);
    }
    const scaled = affine(
      raw,
      n,
      mean,
      std,
      true,
      new Float64Array(new SharedArrayBuffer(raw.length * Float64Array.BYTES_PER_ELEMENT)),
    );
    if (!held) this.byBuffer.set(raw.buffer, (held = []));
    held.push({ start, end, n, mean, std, scaled });
    return scaled;
  }
}
