/**
 * Gives back the memory the calling thread's start-up left behind before a long fit. Reading the
 * spec and the data allocates enough short-lived objects that V8 grows this thread's young
 * generation (to 16 MB semi-spaces), and it keeps it at that size while the thread only waits
 * for the solver — ~15–30 MB of a 1e6-sample fit's peak. A last-resort collection shrinks it.
 * V8's collector is reachable from JavaScript only through its `gc` extension, which is exposed
 * by a V8 flag and then taken from a new context (the flag is set once, in this process only).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Training samples from which a fit starts with releaseMemory (below, the gain is a few MB). */
export const RELEASE_MEMORY_SAMPLES = 100_000;

type Gc = (o?: { type?: 'major'; execution?: 'sync'; flavor?: 'last-resort' }) => void;
let gc: Gc | null | undefined;

/** A memory-reducing full collection on this thread; does nothing where V8 refuses. */
export function releaseMemory(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as Gc;
    } catch {
      gc = null;
    }
  }
  try {
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    gc = null;
  }
}
