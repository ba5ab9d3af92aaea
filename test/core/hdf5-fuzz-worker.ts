/**
 * Test helper for data-fuzz.test.ts: parses fuzzed v7.3 MAT-files with the core reader in a
 * worker thread, so a case on which the HDF5 library loops forever can be stopped (the main
 * thread terminates this worker), as src/io/hdf5-sync.ts does in production.
 */
import { parentPort } from 'node:worker_threads';
import { readMat73File } from '../../src/core/data/mat73-file';
import { tableFromMat } from '../../src/core/data/signal-table';
import { NailsError } from '../../src/core/errors';

console.error = () => undefined; // the HDF5 library's error stack; our message says enough
const h5 = await import('h5wasm');
const module = await h5.default.ready;
const lib = { File: h5.default.File, FS: module.FS };
parentPort!.on('message', (bytes: Uint8Array) => {
  try {
    tableFromMat(readMat73File(bytes, lib, 'f.mat'), 'f.mat');
    parentPort!.postMessage({ kind: 'value' });
  } catch (e) {
    parentPort!.postMessage(
      e instanceof NailsError
        ? { kind: 'nails', message: e.message }
        : { kind: 'other', message: `${(e as Error)?.constructor?.name}: ${String(e)}` },
    );
  }
});
parentPort!.postMessage({ kind: 'ready' });
