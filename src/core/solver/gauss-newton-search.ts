/**
 * What NAILS and NAILM share as searches of the iteration driver (driver.ts): the current point z,
 * the Gauss–Newton system (M, ∇V, V) at it, the workspace of the sensitivity passes, the trial and
 * step buffers, and the counters. A pass reads `at` and moves nothing: the caller sets z only once
 * the pass is complete, so a cancel mid-pass keeps a consistent point.
 */
import type { Search, StepOutcome } from './driver.js';
import {
  accumulateGaussNewton,
  GaussNewtonWorkspace,
  gradientVector,
  parkWorkspace,
  takeWorkspace,
  type GaussNewtonSystem,
} from './gauss-newton.js';
import { accumulateParallel, canSplit } from './parallel-pass.js';
import { pieceWorkspace } from './pass-pieces.js';
import { evaluateV, zSize, type Problem } from './problem.js';
import { normInf, type ResolvedOptions } from './types.js';

export abstract class GaussNewtonSearch implements Search {
  abstract readonly method: string;
  readonly z: Float64Array;
  simulations = 0;
  sensitivities = 0;
  /** The system at z (set by `start`, then after every accepted step). */
  protected sys?: GaussNewtonSystem;
  protected readonly ws: GaussNewtonWorkspace;
  /** The workspace of this thread's piece when the pass is split over threads. */
  private pieceWs?: GaussNewtonWorkspace;
  /** z + Δ (n_z) and Δ (n_z). */
  protected readonly trial: Float64Array;
  protected readonly delta: Float64Array;

  constructor(
    protected readonly p: Problem,
    z0: Float64Array,
    protected readonly o: ResolvedOptions,
  ) {
    this.z = Float64Array.from(z0);
    this.ws = takeWorkspace(p, o.chunk, o.derivatives);
    this.trial = new Float64Array(zSize(p));
    this.delta = new Float64Array(zSize(p));
  }

  /** The Gauss–Newton system at `at` (throws Cancelled when asked to stop mid-pass). */
  protected accumulate(at: Float64Array): GaussNewtonSystem {
    this.sensitivities++;
    const runner = this.o.parallel;
    if (canSplit(this.p, runner)) {
      const o = {
        chunk: this.o.chunk,
        derivatives: this.ws.derivatives,
        ...(this.o.shouldStop ? { shouldStop: this.o.shouldStop } : {}),
      };
      this.pieceWs ??= pieceWorkspace(this.p, o);
      return accumulateParallel(this.p, at, o, runner, this.pieceWs);
    }
    return accumulateGaussNewton(
      this.p,
      at,
      {
        chunk: this.o.chunk,
        derivatives: this.ws.derivatives,
        ...(this.o.shouldStop ? { shouldStop: this.o.shouldStop } : {}),
      },
      this.ws,
    );
  }

  /**
   * V at a trial point, simulated on this search's kernel (the workspace's: WebAssembly, or the
   * TypeScript model when the search's derivatives are TypeScript's).
   */
  protected valueAt(at: Float64Array): number {
    return evaluateV(this.p, at, this.o.shouldStop, this.ws.rnn);
  }

  start(): { value: number; gradNorm: number } {
    const sys = (this.sys = this.accumulate(this.z));
    if (!sys.finite) return { value: Infinity, gradNorm: NaN };
    return { value: sys.value, gradNorm: normInf(gradientVector(sys)) };
  }

  abstract step(): StepOutcome;

  /**
   * Hands the workspaces back to this thread (after the drive): the search's own is parked for the
   * next search (takeWorkspace), the piece's kernel memory released.
   */
  release(): void {
    parkWorkspace(this.ws);
    this.pieceWs?.release();
  }
}

/**
 * Drives `search` to its end and then releases its workspaces, also when the drive throws: what
 * the result holds (z, the history) lives outside the kernel's memory.
 */
export function driveReleasing<S extends GaussNewtonSearch, R>(search: S, run: (s: S) => R): R {
  try {
    return run(search);
  } finally {
    search.release();
  }
}
