/**
 * Experiments: one input/output record each, `u: N × nu` and `y: N × ny`, row-major in flat
 * `Float64Array`s (sample k, channel c at `k * nu + c`). Several experiments may have different
 * lengths; each gets its own initial state `x0_j` in training.
 */
import { NailsError, requireFinite } from '../errors.js';

export interface Experiment {
  name: string;
  /** Number of samples. */
  N: number;
  nu: number;
  ny: number;
  /** u: N × nu, row-major. */
  u: Float64Array;
  /** y: N × ny, row-major. */
  y: Float64Array;
}

/** A signal given as a flat row-major array with its channel count, or as rows. */
export type SignalInput = Float64Array | number[] | number[][];

/**
 * Channels [N] each → one flat row-major N × channels array (sample k, channel c at k·C + c).
 * One channel is returned as it is (no copy: callers must not write to the result). Channels of
 * different lengths are an error naming `what` (a part or a file) and the lengths.
 */
export function interleaveChannels(cols: readonly Float64Array[], what: string): Float64Array {
  const N = cols[0]?.length ?? 0;
  if (cols.some((c) => c.length !== N))
    throw new NailsError(
      `${what}: the selected signals have different lengths (${cols.map((c) => c.length).join(', ')}); select a common range`,
      what,
    );
  const C = cols.length;
  if (C === 1) return cols[0]!;
  const out = new Float64Array(N * C);
  for (let k = 0; k < N; k++) for (let c = 0; c < C; c++) out[k * C + c] = cols[c]![k]!;
  return out;
}

/**
 * Builds a checked experiment. `u` and `y` are flat row-major arrays with `nu` / `ny` channels,
 * or arrays of rows. Errors name the argument: wrong shapes, different lengths, non-finite values.
 */
export function makeExperiment(args: {
  name?: string;
  u: SignalInput;
  y: SignalInput;
  nu?: number;
  ny?: number;
}): Experiment {
  const name = args.name ?? 'experiment';
  const [u, nu] = toFlat(args.u, args.nu, `${name}.u`);
  const [y, ny] = toFlat(args.y, args.ny, `${name}.y`);
  const Nu = nu === 0 ? y.length / Math.max(ny, 1) : u.length / nu;
  const Ny = y.length / ny;
  if (Nu !== Ny) {
    throw new NailsError(
      `${name}: u has ${Nu} samples but y has ${Ny}; an experiment needs one input row per output row (trim the longer signal)`,
      `${name}.u`,
    );
  }
  if (Ny < 1)
    throw new NailsError(
      `${name}: y is empty; an experiment needs at least one sample`,
      `${name}.y`,
    );
  requireFinite(u, `${name}.u`, nu);
  requireFinite(y, `${name}.y`, ny);
  return { name, N: Ny, nu, ny, u, y };
}

function toFlat(
  s: SignalInput,
  channels: number | undefined,
  what: string,
): [Float64Array, number] {
  if (Array.isArray(s) && s.length > 0 && Array.isArray(s[0])) {
    const rows = s as number[][];
    const width = rows[0]!.length;
    if (channels !== undefined && channels !== width) {
      throw new NailsError(
        `${what}: rows have ${width} columns but ${channels} channels were declared`,
        what,
      );
    }
    const out = new Float64Array(rows.length * width);
    rows.forEach((r, k) => {
      if (r.length !== width) {
        throw new NailsError(
          `${what}: row ${k} has ${r.length} columns but row 0 has ${width}; every row needs the same number of channels`,
          what,
        );
      }
      out.set(r, k * width);
    });
    return [out, width];
  }
  const flat = s instanceof Float64Array ? s : Float64Array.from(s as number[]);
  const c = channels ?? 1;
  if (!Number.isInteger(c) || c < 0)
    throw new NailsError(`${what}: channel count ${c} must be a non-negative integer`, what);
  if (c > 0 && flat.length % c !== 0) {
    throw new NailsError(
      `${what}: ${flat.length} values are not a whole number of samples of ${c} channels (N × ${c})`,
      what,
    );
  }
  if (c === 0 && flat.length > 0)
    throw new NailsError(`${what}: 0 channels declared but ${flat.length} values given`, what);
  return [flat, c];
}

/** Checks that a list of experiments is non-empty and shares nu and ny. */
export function checkExperiments(
  experiments: readonly Experiment[],
  what = 'experiments',
): { nu: number; ny: number } {
  const first = experiments[0];
  if (!first) throw new NailsError(`${what} is empty; give at least one experiment`, what);
  experiments.forEach((e, j) => {
    if (e.nu !== first.nu || e.ny !== first.ny) {
      throw new NailsError(
        `${what}[${j}] (${e.name}) has nu=${e.nu}, ny=${e.ny} but ${what}[0] has nu=${first.nu}, ny=${first.ny}; all experiments need the same channels`,
        `${what}[${j}]`,
      );
    }
  });
  return { nu: first.nu, ny: first.ny };
}

/** A copy of samples [start, end) of an experiment. */
export function sliceExperiment(
  e: Experiment,
  start: number,
  end: number,
  name = e.name,
): Experiment {
  const v = experimentView(e, start, end, name);
  return { ...v, u: v.u.slice(), y: v.y.slice() };
}

/** Samples [start, end) of an experiment as views of its arrays (no copy). */
export function experimentView(
  e: Experiment,
  start: number,
  end: number,
  name = e.name,
): Experiment {
  checkRange(e.N, start, end, name);
  return {
    name,
    N: end - start,
    nu: e.nu,
    ny: e.ny,
    u: e.u.subarray(start * e.nu, end * e.nu),
    y: e.y.subarray(start * e.ny, end * e.ny),
  };
}

/** A range [start, end) of a record of N samples: integers, non-empty, inside the record. */
function checkRange(N: number, start: number, end: number, name: string): void {
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= N))
    throw new NailsError(
      `${name}: range [${start}, ${end}) is outside the record of ${N} samples`,
      name,
    );
}

/** Total number of samples N = Σ N_j. */
export function totalSamples(experiments: readonly Experiment[]): number {
  return experiments.reduce((s, e) => s + e.N, 0);
}
