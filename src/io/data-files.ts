/**
 * Reads data files from disk into the core's format-independent signal tables. The only place
 * (with the command line) that touches the file system for data; core parses bytes.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DATA_EXTENSIONS, detectFormat, FORMAT_NAMES } from '../core/data/data-format.js';
import { summarizeTable, type DataSummary } from '../core/data/data-summary.js';
import { datasetProtocol, type DatasetProtocol } from '../core/data/datasets.js';
import type { Experiment } from '../core/data/experiment.js';
import { readMatFile } from '../core/data/mat-file.js';
import { readMat4File } from '../core/data/mat4-file.js';
import { readNpy, readNpz } from '../core/data/npy-file.js';
import { readTextTable, type TextDialect } from '../core/data/text-file.js';
import type { CsvTable } from '../core/data/csv-file.js';
import { tableFromCsv, tableFromMat, type SignalTable } from '../core/data/signal-table.js';
import { NailsError } from '../core/errors.js';
import { readMat73Sync } from './hdf5-sync.js';
import { loadTextTable } from './text-table-offthread.js';

/** Resolves `file` against the data directory and checks it exists; the error says where it looked. */
export function resolveDataFile(file: string, dataDir: string): string {
  const full = path.resolve(dataDir, file);
  if (!existsSync(full)) {
    throw new NailsError(
      `cannot find data file '${file}': looked at ${full} (data directory ${path.resolve(dataDir)}); check the name or pass the right data directory`,
      file,
    );
  }
  if (!statSync(full).isFile())
    throw new NailsError(`data file '${file}' (${full}) is a directory, not a file`, file);
  return full;
}

/**
 * Reads a data file into a signal table, whatever its format (see core/data/data-format.ts):
 * MAT v4, v5–v7, v7.3 (HDF5, through a worker: see hdf5-sync.ts), NumPy .npy/.npz, and text
 * tables (CSV, semicolon CSV, TSV, whitespace-separated .dat/.txt/.asc). A lone .npy array is one
 * variable named after the file stem. Text tables are streamed (io/text-stream.ts: never the whole
 * file as bytes or one string), large ones in a worker thread (io/text-table-offthread.ts); the
 * binary formats are read whole.
 */
export function readSignalTable(file: string, dataDir = '.'): SignalTable {
  const full = resolveDataFile(file, dataDir);
  const ext = path.extname(full).toLowerCase();
  if (!DATA_EXTENSIONS.includes(ext)) {
    throw new NailsError(
      `data file '${file}' has extension '${ext || '(none)'}'; NAILS reads ${SUPPORTED}`,
      file,
    );
  }
  if (detectFormat(fileHead(full), ext) === 'text') return textTable(loadTextTable(full), full);
  return tableFromBytes(readFileSync(full), full, ext);
}

/** Bytes that decide the format (detectFormat looks at most at the first 4 kB). */
const HEAD_BYTES = 8192;

/** The first HEAD_BYTES of a file (fewer when it is shorter). */
function fileHead(full: string): Uint8Array {
  const fd = openSync(full, 'r');
  try {
    const head = new Uint8Array(HEAD_BYTES);
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** The signal table of a parsed text table, its format named with the dialect. */
function textTable(t: CsvTable & { dialect: TextDialect }, full: string): SignalTable {
  return {
    ...tableFromCsv(t, full),
    format: `${FORMAT_NAMES.text} (${DIALECT_NAMES[t.dialect]})`,
  };
}

const SUPPORTED =
  '.mat (MATLAB v4, v5–v7, v7.3), .npy/.npz (NumPy), and text tables .csv/.tsv/.txt/.dat/.asc (comma, semicolon, tab or space separated)';

/** The signal table of a file's bytes; `full` names it in messages, `ext` is its lower-case extension. */
export function tableFromBytes(bytes: Uint8Array, full: string, ext: string): SignalTable {
  const format = detectFormat(bytes, ext);
  const named = (t: SignalTable, what: string): SignalTable => ({ ...t, format: what });
  switch (format) {
    case 'mat4':
      return named(tableFromMat(readMat4File(bytes, full), full), FORMAT_NAMES.mat4);
    case 'mat5':
      return named(tableFromMat(readMatFile(bytes, full), full), FORMAT_NAMES.mat5);
    case 'mat73':
      return named(tableFromMat(readMat73Sync(bytes, full), full), FORMAT_NAMES.mat73);
    case 'npy': {
      const stem = path.basename(full, path.extname(full));
      const t = tableFromMat(new Map([[stem, readNpy(bytes, stem, full)]]), full);
      return {
        ...t,
        format: FORMAT_NAMES.npy,
        namingHint: `a .npy file holds one array, named after the file: '${stem}'`,
      };
    }
    case 'npz':
      return named(tableFromMat(readNpz(bytes, full), full), FORMAT_NAMES.npz);
    case 'text':
      return textTable(readTextTable(new TextDecoder('utf-8').decode(bytes), full), full);
    default:
      if (ext === '.npy') readNpy(bytes, path.basename(full, ext), full); // throws: its message
      if (ext === '.npz') readNpz(bytes, full);
      if (bytes.length === 0) throw new NailsError(`${full}: the file is empty`, full);
      throw new NailsError(
        ext === '.mat'
          ? `${full}: not a MAT-file (no MATLAB v4, v5–v7 or v7.3 header); re-save it with save('file.mat', '-v7') or export to CSV`
          : `${full}: binary content that is not a format NAILS reads (${SUPPORTED})`,
        full,
      );
  }
}

const DIALECT_NAMES: Record<TextDialect, string> = {
  csv: 'comma-separated',
  semicolon: 'semicolon-separated',
  tsv: 'tab-separated',
  whitespace: 'whitespace-separated',
};

/** The summary of any data file (`nails data FILE`): see core/data/data-summary.ts. */
export function summarizeDataFile(file: string, dataDir = '.'): DataSummary {
  return summarizeTable(readSignalTable(file, dataDir));
}

export interface LoadedDataset {
  protocol: DatasetProtocol;
  train: Experiment[];
  tests: Record<string, Experiment>;
}

/** Loads a benchmark dataset with its official split from a data directory (e.g. ../shared/data). */
export function loadDataset(id: string, dataDir: string): LoadedDataset {
  const protocol = datasetProtocol(id);
  const table = readSignalTable(protocol.file, dataDir);
  return { protocol, ...protocol.build(table) };
}
