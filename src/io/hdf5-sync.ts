/**
 * Reads a MATLAB v7.3 (HDF5) MAT-file synchronously. h5wasm only starts asynchronously (its
 * Emscripten factory is an async function; there is no synchronous path), and every caller of
 * readSignalTable — the compiler, the language server's header cache — is synchronous. So the
 * read runs in a short-lived worker thread (src/io/hdf5-worker.ts, bundled as
 * dist/hdf5-worker.cjs) while this thread waits on an Atomics flag, then takes the result with
 * receiveMessageOnPort. Costs one wasm start-up per v7.3 file read (~0.8 s on the 2-core CI machine).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MatValue } from '../core/data/mat-file.js';
import { NailsError } from '../core/errors.js';

/** The worker script: beside the bundle (dist/hdf5-worker.cjs) or the TypeScript source under tsx. */
export function hdf5WorkerPath(): string {
  if (typeof __dirname === 'string') return path.join(__dirname, 'hdf5-worker.cjs');
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'hdf5-worker.ts');
}

/** Parses the bytes of a v7.3 MAT-file; throws NailsError with the reader's message. */
export function readMat73Sync(
  bytes: Uint8Array,
  source: string,
  timeoutMs = 60_000,
): Map<string, MatValue> {
  const script = hdf5WorkerPath();
  // A missing script would only fail inside the worker, after this thread has started waiting.
  if (!existsSync(script)) {
    throw new NailsError(
      `${source} is a MATLAB v7.3 MAT-file, but its reader ${script} is missing; rebuild (npm run build) or reinstall`,
      source,
    );
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script, {
    workerData: { bytes, source, port: port2, flag },
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  try {
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    const msg = receiveMessageOnPort(port1)?.message as
      { ok: true; vars: Map<string, MatValue> } | { ok: false; message: string } | undefined;
    if (!msg) {
      throw new NailsError(
        waited === 'timed-out'
          ? `${source}: reading the v7.3 MAT-file took more than ${timeoutMs / 1000} s; it may be damaged`
          : `${source}: the v7.3 MAT-file reader stopped without an answer`,
        source,
      );
    }
    if (!msg.ok) throw new NailsError(msg.message, source);
    return msg.vars;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
