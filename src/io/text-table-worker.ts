/**
 * Worker side of src/io/text-table-offthread.ts: parses one text table file and answers with its
 * table, the columns' buffers transferred (a column may be a view of a shared allocation: each
 * buffer is listed once).
 */
import { workerData } from 'node:worker_threads';
import type { TextTableJob } from './text-table-offthread.js';
import { answerSync, type SyncJob } from './sync-worker.js';
import { readTextTableFile } from './text-stream.js';

const job = workerData as SyncJob<TextTableJob>;
void answerSync(
  job,
  ({ file, source }) => {
    const value = readTextTableFile(file, source);
    const buffers = new Set<ArrayBuffer>();
    for (const c of value.columns.values()) buffers.add(c.buffer as ArrayBuffer);
    return { value, transfer: [...buffers] };
  },
  { source: job.data.source, what: 'reading the text table' },
);
