/**
 * Multiple shooting (Bock & Plitt 1984; for recurrent models e.g. Ribeiro, Tiels, Aguirre & Schön,
 * "On the smoothness of nonlinear system identification", Automatica 2020): each training record is
 * cut into windows of about `window` samples; window j ≥ 2 of a record starts from its own free
 * state s_j, tied to the end of window j − 1 by the continuity penalty ρ_c ‖x_{j−1}[N] − s_j‖²
 * (problem.ts). Short simulations keep the objective smooth on long records and slow or integrating
 * systems, the Gauss–Newton system stays block-sparse (block-arrow.ts), and the final model is
 * refined and scored by free-run simulation of the whole records (fit-job.ts).
 *
 *   record (N samples) → windows [b_0, b_1), [b_1, b_2), …, b_i = round(i·N / n), n = max(1, round(N / window))
 */
import { NailsError } from '../errors.js';
import type { Experiment } from '../data/experiment.js';
import { simulate } from '../simulate.js';
import { makeProblem, packZ, unpackZ, type Problem } from './problem.js';

export interface Windows {
  /** The windows, record by record (views into the records' arrays). */
  experiments: Experiment[];
  /** E_w flags: 1 when window i continues window i − 1 of the same record. */
  continues: Uint8Array;
  /** For each window: its record and first sample in that record. */
  record: Int32Array;
  start: Int32Array;
}

/** Cuts every record into windows of about `window` samples (at least 2 samples each). */
export function shootingWindows(records: readonly Experiment[], window: number): Windows {
  if (!Number.isInteger(window) || window < 2)
    throw new NailsError(
      `shooting needs a window of at least 2 samples, got ${window}`,
      'shooting',
    );
  const experiments: Experiment[] = [];
  const continues: number[] = [];
  const record: number[] = [];
  const start: number[] = [];
  records.forEach((e, r) => {
    const n = Math.max(1, Math.min(Math.round(e.N / window), Math.floor(e.N / 2)));
    for (let i = 0; i < n; i++) {
      const a = Math.round((i * e.N) / n);
      const b = Math.round(((i + 1) * e.N) / n);
      experiments.push({
        name: n === 1 ? e.name : `${e.name}[${a}:${b}]`,
        N: b - a,
        nu: e.nu,
        ny: e.ny,
        u: e.u.subarray(a * e.nu, b * e.nu),
        y: e.y.subarray(a * e.ny, b * e.ny),
      });
      continues.push(i > 0 ? 1 : 0);
      record.push(r);
      start.push(a);
    }
  });
  return {
    experiments,
    continues: Uint8Array.from(continues),
    record: Int32Array.from(record),
    start: Int32Array.from(start),
  };
}

/** The multiple-shooting problem of a single-shooting problem `p` (which must train x0). */
export function shootingProblem(p: Problem, w: Windows, weight: number): Problem {
  if (!p.trainX0)
    throw new NailsError('multiple shooting needs trained initial states', 'shooting');
  return makeProblem(p, {
    experiments: w.experiments,
    shooting: { continues: w.continues, weight },
  });
}

/**
 * The shooting point of a single-shooting point z: the same θ and first states, and every other
 * window's state s_j set to the simulated state at its first sample, so that all continuity
 * defects are 0 and V_shooting(z_w) = V_single(z).
 */
export function shootingStart(p: Problem, w: Windows, ps: Problem, z: Float64Array): Float64Array {
  const { theta, x0s } = unpackZ(p, z);
  const nx = p.model.nx;
  const states = p.experiments.map(
    (e, r) => simulate(p.model, theta, e.u, e.N, x0s.subarray(r * nx, (r + 1) * nx), true).x!,
  );
  const xw = new Float64Array(w.experiments.length * nx);
  for (let i = 0; i < w.experiments.length; i++) {
    const s = states[w.record[i]!]!;
    const a = w.start[i]!;
    for (let m = 0; m < nx; m++) {
      const v = s[a * nx + m]!;
      // A start that diverged is still a start: zero states rather than NaN.
      xw[i * nx + m] = Number.isFinite(v) ? v : 0;
    }
  }
  return packZ(ps, theta, xw);
}

/** The single-shooting point of a shooting point: θ and each record's first window state. */
export function singleFromShooting(
  p: Problem,
  w: Windows,
  ps: Problem,
  zw: Float64Array,
): Float64Array {
  const { theta, x0s } = unpackZ(ps, zw);
  const nx = p.model.nx;
  const out = new Float64Array(p.experiments.length * nx);
  for (let i = 0; i < w.experiments.length; i++)
    if (!w.continues[i]) out.set(x0s.subarray(i * nx, (i + 1) * nx), w.record[i]! * nx);
  return packZ(p, theta, out);
}
