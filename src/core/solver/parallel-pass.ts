/**
 * The Gauss–Newton pass on several threads: the records are cut into pieces of consecutive
 * samples (pass-pieces.ts); this thread runs the first piece while helper threads run the others
 * (a `PieceRunner`, provided outside core: src/worker/pass-pool.ts), and the pieces' sums are
 * combined by the chain rule. Multiple shooting keeps the serial pass.
 */
import { Cancelled } from './cancellation.js';
import type { GaussNewtonSystem } from './gauss-newton-system.js';
import { accumulateGaussNewton, type GaussNewtonWorkspace } from './gauss-newton.js';
import {
  combinePieces,
  MIN_PIECE_SAMPLES,
  planPieces,
  runPiece,
  type PieceOptions,
  type PieceResult,
  type Segment,
} from './pass-pieces.js';
import { samples, type Problem } from './problem.js';

/** Runs pieces of a pass on helper threads. */
export interface PieceRunner {
  /** Helper threads (the pass has this many pieces plus one). */
  readonly helpers: number;
  /** Starts `pieces` (at most `helpers`) of problem p at z on the helpers; returns at once. */
  start(p: Problem, z: Float64Array, pieces: readonly Segment[][], o: PieceOptions): void;
  /** Blocks until the started pieces are done: their results (null for a cancelled piece). */
  collect(): (PieceResult | null)[];
  /** Asks the running pieces to stop at their next chunk (then `collect`). */
  cancel(): void;
}

/**
 * Whether the pass is split: a runner with helpers, single shooting, and at least two pieces of
 * MIN_PIECE_SAMPLES.
 */
export function canSplit(p: Problem, runner: PieceRunner | undefined): runner is PieceRunner {
  return (
    runner !== undefined &&
    runner.helpers > 0 &&
    p.shooting === undefined &&
    samples(p) >= 2 * MIN_PIECE_SAMPLES
  );
}

/**
 * The system at z with the pass split over this thread and the runner's helpers; `ws`: a
 * workspace of the pieces' shape (pieceWorkspace). Throws Cancelled like accumulateGaussNewton.
 */
export function accumulateParallel(
  p: Problem,
  z: Float64Array,
  o: PieceOptions,
  runner: PieceRunner,
  ws: GaussNewtonWorkspace,
): GaussNewtonSystem {
  const pieces = planPieces(p, runner.helpers + 1);
  if (pieces.length < 2) return accumulateGaussNewton(p, z, o); // a short record: serial
  const rest = pieces.slice(1);
  if (rest.length > 0) runner.start(p, z, rest, o);
  let mine: PieceResult;
  try {
    mine = runPiece(p, z, pieces[0] ?? [], o, ws);
  } catch (e) {
    if (rest.length > 0) {
      runner.cancel();
      runner.collect();
    }
    throw e;
  }
  const theirs = rest.length > 0 ? runner.collect() : [];
  const done = theirs.filter((r): r is PieceResult => r !== null);
  if (done.length < theirs.length) throw new Cancelled();
  return combinePieces(p, z, [mine, ...done]);
}
