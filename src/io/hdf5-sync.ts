/**
 * Reads a MATLAB v7.3 (HDF5) MAT-file synchronously. h5wasm only starts asynchronously (its
 * Emscripten factory is an async function; there is no synchronous path), and every caller of
 * readSignalTable — the compiler, the language server's header cache — is synchronous. So the
 * read runs in a short-lived worker thread (src/io/hdf5-worker.ts, bundled as
 * dist/hdf5-worker.cjs) while this thread waits (sync-worker.ts). Costs one wasm start-up per
 * v7.3 file read (~0.8 s on the 2-core CI machine).
 */
import type { MatValue } from '../core/data/mat-file.js';
import { callWorkerSync, siblingScript } from './sync-worker.js';

/** The worker script: beside the bundle (dist/hdf5-worker.cjs) or the TypeScript source under tsx. */
export const hdf5WorkerPath = () => siblingScript('hdf5-worker');

/** What the worker reads. */
export interface Mat73Job {
  bytes: Uint8Array;
  source: string;
}

/** Parses the bytes of a v7.3 MAT-file; throws NailsError with the reader's message. */
export function readMat73Sync(
  bytes: Uint8Array,
  source: string,
  timeoutMs = 60_000,
): Map<string, MatValue> {
  return callWorkerSync<Mat73Job, Map<string, MatValue>>(
    hdf5WorkerPath(),
    { bytes, source },
    {
      source,
      what: 'reading the v7.3 MAT-file',
      timeoutMs,
      missing: `${source} is a MATLAB v7.3 MAT-file, but its reader`,
    },
  );
}
