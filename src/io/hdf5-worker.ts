/**
 * Worker side of src/io/hdf5-sync.ts: starts h5wasm (asynchronous), parses one v7.3 MAT-file
 * with the core reader, posts the variables (or the error message) on the given port and wakes
 * the waiting thread. The HDF5 library's own diagnostics (printed through console.error) are
 * silenced: our error message says what went wrong.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { readMat73File } from '../core/data/mat73-file.js';
import { NailsError } from '../core/errors.js';

interface Job {
  bytes: Uint8Array;
  source: string;
  port: MessagePort;
  flag: Int32Array;
}

async function main(job: Job): Promise<void> {
  try {
    console.error = () => undefined; // before h5wasm binds it
    const h5 = await import('h5wasm');
    const module = await h5.default.ready;
    const vars = readMat73File(job.bytes, { File: h5.default.File, FS: module.FS }, job.source);
    job.port.postMessage({ ok: true, vars });
  } catch (e) {
    job.port.postMessage({
      ok: false,
      message:
        e instanceof NailsError
          ? e.message
          : `${job.source}: the HDF5 reader failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
    });
  } finally {
    Atomics.store(job.flag, 0, 1);
    Atomics.notify(job.flag, 0);
  }
}

void main(workerData as Job);
