/**
 * Worker side of src/io/hdf5-sync.ts: starts h5wasm (asynchronous), parses one v7.3 MAT-file
 * with the core reader and answers with the variables (or the error message). The HDF5 library's
 * own diagnostics (printed through console.error) are silenced: our error message says what went
 * wrong.
 */
import { workerData } from 'node:worker_threads';
import { readMat73File } from '../core/data/mat73-file.js';
import type { Mat73Job } from './hdf5-sync.js';
import { answerSync, type SyncJob } from './sync-worker.js';

const job = workerData as SyncJob<Mat73Job>;
void answerSync(
  job,
  async ({ bytes, source }) => {
    console.error = () => undefined; // before h5wasm binds it
    const h5 = await import('h5wasm');
    const module = await h5.default.ready;
    return { value: readMat73File(bytes, { File: h5.default.File, FS: module.FS }, source) };
  },
  { source: job.data.source, what: 'the HDF5 reader' },
);
