/**
 * The phases a run may chain before its result: screening of seeded starts, multiple shooting
 * then single-shooting refinement, and their joining into one result.
 */
import { NailsError } from '../errors.js';
import { nailm } from '../solver/nailm.js';
import { nails } from '../solver/nails.js';
import { evaluateV, unpackZ, type Problem } from '../solver/problem.js';
import { solveWithRecovery } from '../solver/recovery.js';
import {
  shootingProblem,
  shootingStart,
  shootingWindows,
  singleFromShooting,
} from '../solver/shooting.js';
import type { IterationRecord, SolverOptions, SolverResult } from '../solver/types.js';
import type {
  ShootingSpec,
  FitSpec,
  LinearStageSummary,
  ScreenSpec,
  ScreenSummary,
  ShootingSummary,
} from './types.js';
import { prepareFit } from './prepare.js';

/** NAILS or NAILM for a feature that needs a Gauss–Newton method; otherwise a clear error. */
function gaussNewtonMethod(spec: FitSpec, what: string, target: string): typeof nails {
  if (spec.method === 'nails') return nails;
  if (spec.method === 'nailm') return nailm;
  throw new NailsError(`${what} needs method nails or nailm, not ${spec.method}`, target);
}

/**
 * The shooting phase, then the single-shooting refinement (with recovery) from its θ and first
 * states; one history (shooting rows flagged `shooting`), the refinement's stop reason.
 */
export function runShooting(
  problem: Problem,
  z0: Float64Array,
  spec: FitSpec,
  sh: ShootingSpec,
  options: SolverOptions,
): { result: SolverResult; summary: ShootingSummary } {
  const gn = gaussNewtonMethod(spec, 'multiple shooting', 'shooting');
  const w = shootingWindows(problem.experiments, sh.window);
  const ps = shootingProblem(problem, w, sh.weight ?? 1);
  const zw = shootingStart(problem, w, ps, z0);
  const onIteration = options.onIteration;
  const first = gn(ps, zw, {
    ...spec.options,
    ...options,
    ...(onIteration
      ? {
          onIteration: (r: IterationRecord, z: Float64Array) =>
            onIteration({ ...r, shooting: true }, singleFromShooting(problem, w, ps, z)),
        }
      : {}),
  });
  const history = first.history.map((r) => ({ ...r, shooting: true as const }));
  const zs = singleFromShooting(problem, w, ps, first.z);
  const summary = (singleValue: number): ShootingSummary => ({
    windows: w.experiments.length,
    window: sh.window,
    weight: ps.shooting!.weight,
    iterations: first.iterations,
    status: first.status,
    value: first.value,
    singleValue,
  });
  const windows = `multiple shooting over ${w.experiments.length} windows of about ${sh.window} samples (${first.iterations} iterations, ${first.status})`;
  if (first.status === 'cancelled') {
    const { theta, x0s } = unpackZ(problem, zs);
    const value = evaluateV(problem, zs);
    return {
      // The shooting start has the single-shooting V of z0 (states on the trajectory).
      result: {
        ...first,
        z: zs,
        theta,
        x0s,
        value,
        history,
        message: `${first.message} (${windows})`,
      },
      summary: summary(value),
    };
  }
  const refine = sh.refine ?? Math.max(10, Math.round((spec.options.maxIterations ?? 100) / 4));
  const maxSeconds = (options.maxSeconds ?? spec.options.maxSeconds ?? Infinity) - first.elapsed;
  const n0 = first.iterations;
  const second = solveWithRecovery(
    problem,
    zs,
    (z, o) => gn(problem, z, { ...spec.options, ...o }),
    {
      ...options,
      maxIterations: refine,
      maxSeconds: Math.max(maxSeconds, 0),
      ...(onIteration
        ? {
            onIteration: (r: IterationRecord, z: Float64Array) =>
              onIteration(
                { ...r, iteration: n0 + r.iteration, elapsed: first.elapsed + r.elapsed },
                z,
              ),
          }
        : {}),
    },
  );
  return {
    result: {
      ...chainResults({ ...first, history }, second),
      message: `${second.message} (after ${windows})`,
    },
    // The refinement starts at the shooting point: its initial value is that point's free-run V.
    summary: summary(second.initialValue),
  };
}

/**
 * Runs `screen.iterations` iterations from each of `screen.starts` seeded starts (the first is
 * `z0`; the others reuse this run's linear estimate) and returns the lowest-V one.
 */
export function screenStarts(
  spec: FitSpec,
  screen: ScreenSpec,
  seed: number,
  problem: Problem,
  z0: Float64Array,
  linear: LinearStageSummary | undefined,
  hooks: { shouldStop?: () => boolean },
): { result: SolverResult; summary: ScreenSummary } {
  const gn = gaussNewtonMethod(spec, 'screening', 'screen');
  const seeds: number[] = [];
  const values: number[] = [];
  let best: SolverResult | undefined;
  let chosen = seed;
  let elapsed = 0;
  for (let i = 0; i < screen.starts; i++) {
    const s = seed + i;
    const zi =
      i === 0
        ? z0
        : prepareFit(
            {
              ...spec,
              init: { seed: s },
              ...(spec.linear
                ? {
                    linear: {
                      ...spec.linear,
                      ...(linear?.estimate ? { estimate: linear.estimate } : {}),
                    },
                  }
                : {}),
            },
            hooks.shouldStop,
          ).z0;
    const r = gn(problem, zi, {
      ...spec.options,
      maxIterations: screen.iterations,
      ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    });
    elapsed += r.elapsed;
    seeds.push(s);
    values.push(r.value);
    if (r.status === 'cancelled')
      return { result: r, summary: { seeds, values, chosen, iterations: 0 } };
    if (!best || r.value < best.value) {
      best = r;
      chosen = s;
    }
  }
  return {
    result: { ...best!, elapsed },
    summary: { seeds, values, chosen, iterations: best!.iterations },
  };
}

/**
 * Two phases of one run as one result (the screened start then its continuation; the shooting
 * phase then the refinement): one history numbered on, one count, the second phase's stop.
 */
export function chainResults(first: SolverResult, second: SolverResult): SolverResult {
  const n0 = first.iterations;
  return {
    ...second,
    initialValue: first.initialValue,
    iterations: n0 + second.iterations,
    history: [
      ...first.history,
      ...second.history.map((r) => ({
        ...r,
        iteration: n0 + r.iteration,
        elapsed: first.elapsed + r.elapsed,
      })),
    ],
    simulations: first.simulations + second.simulations,
    sensitivities: first.sensitivities + second.sensitivities,
    elapsed: first.elapsed + second.elapsed,
  };
}
