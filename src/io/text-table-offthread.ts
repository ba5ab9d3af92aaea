/**
 * Large text tables are parsed in a short-lived worker thread (text-table-worker.ts) and only the
 * columns come back (their buffers transferred, not copied). Parsing a text table allocates a
 * string per chunk and per line; in a long-lived thread that garbage grows V8's young generation
 * (to 16 MB semi-spaces for a 1e6-row CSV), and V8 keeps it grown for the rest of the process —
 * about 35 MB of the peak of `nails train` on such a file, while the solver runs. In the worker,
 * that memory goes when the thread ends. Small files are parsed in place (a worker costs
 * ~30–50 ms to start).
 */
import { statSync } from 'node:fs';
import type { CsvTable } from '../core/data/csv-file.js';
import type { TextDialect } from '../core/data/text-file.js';
import { callWorkerSync, siblingScript } from './sync-worker.js';
import { readTextTableFile } from './text-stream.js';

/** Files from this size (bytes) are parsed in a worker thread. */
export const OFF_THREAD_BYTES = 4 << 20;

export type TextTable = CsvTable & { dialect: TextDialect };

/** What the worker reads. */
export interface TextTableJob {
  file: string;
  source: string;
}

/** The worker script: beside the bundle (dist/text-table-worker.cjs) or the source under tsx. */
export const textTableWorkerPath = () => siblingScript('text-table-worker');

/**
 * readTextTableFile's table, parsed in a worker when the file has at least `threshold` bytes;
 * the same columns, names and messages either way.
 */
export function loadTextTable(
  file: string,
  source = file,
  threshold = OFF_THREAD_BYTES,
): TextTable {
  if (statSync(file).size < threshold) return readTextTableFile(file, source);
  return callWorkerSync<TextTableJob, TextTable>(
    textTableWorkerPath(),
    { file, source },
    {
      source,
      what: 'reading the text table',
      timeoutMs: 10 * 60_000,
      missing: `the text table reader`,
    },
  );
}
