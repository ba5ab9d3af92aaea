/**
 * Reads data files from disk into the core's format-independent signal tables. The only place
 * (with the command line) that touches the file system for data; core parses bytes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { readCsv } from '../core/data/csv-file.js';
import { datasetProtocol, type DatasetProtocol } from '../core/data/datasets.js';
import type { Experiment } from '../core/data/experiment.js';
import { readMatFile } from '../core/data/mat-file.js';
import { tableFromCsv, tableFromMat, type SignalTable } from '../core/data/signal-table.js';
import { NailsError } from '../core/errors.js';

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

/** Reads a .mat or .csv file into a signal table. */
export function readSignalTable(file: string, dataDir = '.'): SignalTable {
  const full = resolveDataFile(file, dataDir);
  const ext = path.extname(full).toLowerCase();
  if (ext === '.mat') return tableFromMat(readMatFile(readFileSync(full), full), full);
  if (ext === '.csv' || ext === '.txt')
    return tableFromCsv(readCsv(readFileSync(full, 'utf8'), full), full);
  throw new NailsError(
    `data file '${file}' has extension '${ext}'; NAILS reads .mat (MATLAB v5–v7) and .csv files`,
    file,
  );
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
