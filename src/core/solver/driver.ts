/**
 * The one iteration driver every solver runs in (optimistix's init → step → terminate):
 *
 *   s₀ = search.start()                     V₀ and ‖∇V₀‖∞ at the starting point
 *   repeat: budget? cancel? → search.step() → record → stop test
 *   terminate: the stop reason, the degeneracy check, the result
 *
 * A search (NAILS's line search, NAILM's trust region, L-BFGS, Adam) only proposes and accepts
 * steps; the budgets, cancellation, the history, the convergence tests and the one place that
 * decides why the run stopped live here, so every method stops for the same reasons:
 *
 *   converged   m = ‖∇V‖∞ / max(|V|, 1e-8·|V₀|) ≤ gtol after an accepted step (or when the
 *               search cannot go on and m ≤ gtol)
 *   stalled     V_{k−W} − V_k ≤ ftol·|V_k| (W = stallWindow), or ‖Δz‖ ≤ xtol·(‖z‖ + xtol), or the
 *               search cannot go on (damping cap, line search), with m > gtol
 *   budget      maxIterations or maxSeconds
 *   diverged    V₀ not finite
 *   cancelled   shouldStop() (checked between iterations and inside the sensitivity passes)
 *   degenerate  instead of converged or stalled, when the model's output is constant or no
 *               better than a constant predictor (degenerate.ts)
 */
import { Cancelled } from './cancellation.js';
import { degeneracy } from './degenerate.js';
import { evaluateV, unpackZ, type Problem } from './problem.js';
import {
  firstOrderMeasure,
  norm2,
  type IterationRecord,
  type ResolvedOptions,
  type SolverResult,
  type StopReason,
  type StopTest,
} from './types.js';

/** What one step of a search did. */
export interface StepOutcome {
  accepted: boolean;
  /** V at the search's current point after the step (unchanged when rejected). */
  value: number;
  /** ‖∇V‖∞ at the current point after an accepted step (NaN when not known). */
  gradNorm: number;
  /** ‖Δz‖₂ of the step (the trial's when rejected). */
  stepNorm: number;
  lambda?: number;
  alpha?: number;
  /** The search cannot make progress from its current point. */
  cannot?: Extract<StopTest, 'damping-cap' | 'line-search'>;
  /** The search's own optimality test passed (ADMM's residuals). */
  converged?: Extract<StopTest, 'admm-residuals'>;
}

/** A search: proposes and accepts steps from its current point `z` (its own buffer). */
export interface Search {
  readonly method: string;
  /** The current point: the last accepted one (the best one for Adam). */
  readonly z: Float64Array;
  /** Evaluates the starting point: V₀ (Infinity when not finite) and ‖∇V₀‖∞. */
  start(): { value: number; gradNorm: number };
  step(): StepOutcome;
  /** Simulations (value only) and sensitivity or gradient passes so far. */
  readonly simulations: number;
  readonly sensitivities: number;
}

export interface DriveOptions {
  /** Check the returned point for degeneracy (default true; ADMM's inner solves skip it). */
  checkDegenerate?: boolean;
}

/** Runs `search` on problem `p` until a stop test fires. */
export function drive(
  p: Problem,
  search: Search,
  o: ResolvedOptions,
  d: DriveOptions = {},
): SolverResult {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const history: IterationRecord[] = [];
  const values: number[] = [];
  let iterations = 0;
  let value = NaN;
  let initialValue = NaN;
  let gradNorm = NaN;
  let stop: { reason: StopReason; test: StopTest } | undefined;
  const measure = () => firstOrderMeasure(gradNorm, value, initialValue);
  try {
    const s0 = search.start();
    initialValue = value = s0.value;
    gradNorm = s0.gradNorm;
    values.push(value);
    if (!Number.isFinite(value)) stop = { reason: 'diverged', test: 'start-not-finite' };
    else if (measure() <= o.gtol) stop = { reason: 'converged', test: 'gradient' };
    while (!stop) {
      if (iterations >= o.maxIterations) stop = { reason: 'budget', test: 'iterations' };
      else if (elapsed() >= o.maxSeconds) stop = { reason: 'budget', test: 'seconds' };
      else if (o.shouldStop?.()) stop = { reason: 'cancelled', test: 'cancel' };
      if (stop) break;
      const tIter = performance.now();
      iterations++;
      const s = search.step();
      value = s.value;
      if (s.accepted) gradNorm = s.gradNorm;
      values.push(value);
      const now = performance.now();
      const rec: IterationRecord = {
        iteration: iterations,
        value,
        gradNorm: s.accepted ? s.gradNorm : NaN,
        stepNorm: s.stepNorm,
        accepted: s.accepted,
        elapsed: (now - t0) / 1000,
        seconds: (now - tIter) / 1000,
        ...(s.lambda !== undefined ? { lambda: s.lambda } : {}),
        ...(s.alpha !== undefined ? { alpha: s.alpha } : {}),
      };
      history.push(rec);
      o.onIteration?.(rec, search.z);
      const small = measure() <= o.gtol;
      if (s.converged) stop = { reason: 'converged', test: s.converged };
      else if (s.accepted && small) stop = { reason: 'converged', test: 'gradient' };
      else if (s.cannot)
        stop = small
          ? { reason: 'converged', test: 'gradient' }
          : { reason: 'stalled', test: s.cannot };
      else if (s.accepted && o.xtol > 0 && s.stepNorm <= o.xtol * (norm2(search.z) + o.xtol))
        stop = { reason: 'stalled', test: 'small-step' };
      else if (
        o.ftol > 0 &&
        // Stryker disable next-line ConditionalExpression: before the window is full, values[iterations − W] is undefined and the test below compares NaN (false) anyway
        iterations >= o.stallWindow &&
        values[iterations - o.stallWindow]! - value <= o.ftol * Math.abs(value)
      )
        stop = { reason: 'stalled', test: 'no-decrease' };
    }
  } catch (e) {
    if (!(e instanceof Cancelled)) throw e;
    stop = { reason: 'cancelled', test: 'cancel' };
    // Cancelled before the start was evaluated: report V there.
    if (!Number.isFinite(value))
      value = evaluateV(p, search.z, undefined, o.derivatives === 'typescript' ? null : undefined);
    if (!Number.isFinite(initialValue)) initialValue = value;
  }
  let figures = '';
  if ((d.checkDegenerate ?? true) && (stop.reason === 'converged' || stop.reason === 'stalled')) {
    const deg = degeneracy(p, search.z, o.derivatives === 'typescript' ? null : undefined);
    if (deg) {
      stop = { reason: 'degenerate', test: deg.test };
      figures =
        deg.test === 'constant-output'
          ? ` (output spread ${deg.outputSpread.toExponential(1)} of the data's)`
          : ` (data loss ${deg.loss.toExponential(4)}, best constant ${deg.constantLoss.toExponential(4)})`;
    }
  }
  const { theta, x0s } = unpackZ(p, search.z);
  const fo = measure();
  return {
    method: search.method,
    z: search.z,
    theta,
    x0s,
    value,
    initialValue,
    status: stop.reason,
    stopTest: stop.test,
    message:
      stopMessage(stop, {
        firstOrder: fo,
        gtol: o.gtol,
        ftol: o.ftol,
        window: o.stallWindow,
        iterations: o.maxIterations,
        seconds: o.maxSeconds,
      }) + figures,
    firstOrder: fo,
    recovery: [],
    iterations,
    history,
    simulations: search.simulations,
    sensitivities: search.sensitivities,
    elapsed: elapsed(),
  };
}

/** The one-line message of a stop, with the figures that decided it. */
export function stopMessage(
  s: { reason: StopReason; test: StopTest },
  f: {
    firstOrder?: number;
    gtol?: number;
    ftol?: number;
    window?: number;
    iterations?: number;
    seconds?: number;
  } = {},
): string {
  const m = Number.isFinite(f.firstOrder) ? f.firstOrder!.toExponential(1) : '?';
  const notMin = `; first-order measure ${m} > gtol ${f.gtol ?? '?'}: not a verified minimum`;
  switch (s.test) {
    case 'gradient':
      return `converged: first-order measure ‖∇V‖∞/|V| = ${m} ≤ gtol ${f.gtol ?? '?'}`;
    case 'admm-residuals':
      return 'converged: ADMM primal and dual residuals below tolerance';
    case 'no-decrease':
      return `stalled: the loss fell by less than ftol ${f.ftol ?? '?'} (relative) over ${f.window ?? '?'} iterations${notMin}`;
    case 'small-step':
      return `stalled: the step fell below xtol${notMin}`;
    case 'damping-cap':
      return `stalled: the damping reached its cap without an acceptable step${notMin}`;
    case 'line-search':
      return `stalled: the line search found no decrease along the search direction${notMin}`;
    case 'iterations':
      return `budget: the iteration budget${f.iterations !== undefined ? ` (${f.iterations})` : ''} was used`;
    case 'seconds':
      return `budget: the time budget${f.seconds !== undefined ? ` (${f.seconds} s)` : ''} was used`;
    case 'start-not-finite':
      return 'diverged: the initial parameters simulate to non-finite values; start from a stable model';
    case 'cancel':
      return 'cancelled: best parameters so far returned';
    case 'constant-output':
      return "degenerate: the model's output is constant over the training record";
    case 'no-better-than-constant':
      return 'degenerate: the model is no better than a constant output (within 3 % of its loss)';
  }
}
