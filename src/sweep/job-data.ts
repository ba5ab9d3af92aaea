/**
 * How a queued fit reaches its data: each data file the spec reads, at its path relative to the
 * spec's folder (or to the data directory holding it). Files up to `INLINE_LIMIT` are stored once
 * per sweep in Redis (keyed by their SHA-256) and the jobs name them; larger ones must be in the
 * worker's --data-dir at the same relative path. The worker recreates the spec's folder in a
 * temporary folder from the stored files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Analysis } from '../language/analysis.js';

/** Files larger than this (bytes) are not sent through Redis. */
export const INLINE_LIMIT = 4 * 1024 * 1024;

/** A data file sent through the queue: its path for the worker and its bytes. */
export interface DataFileBytes {
  path: string;
  sha256: string;
  bytes: Buffer;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The spec's data files the queue carries; `large` are those the workers must have. */
export function jobDataFiles(
  analysis: Analysis,
  specFile: string,
  dataDirs: readonly string[],
): { files: DataFileBytes[]; large: string[] } {
  const specDir = path.dirname(path.resolve(specFile));
  const abs = new Set<string>();
  for (const p of analysis.resolved?.data.parts ?? [])
    for (const s of [...p.inputSources, ...p.outputSources]) abs.add(s.file);
  const files: DataFileBytes[] = [];
  const large: string[] = [];
  for (const f of abs) {
    const rel = relativeTo(f, [specDir, ...dataDirs]);
    if (statSync(f).size > INLINE_LIMIT) large.push(rel);
    else {
      const bytes = readFileSync(f);
      files.push({ path: rel, sha256: sha256(bytes), bytes });
    }
  }
  return { files, large };
}

/** Writes the files into `specDir` (paths that would leave it are skipped). */
export function writeDataFiles(
  specDir: string,
  files: readonly { path: string; bytes: Buffer }[],
): void {
  for (const f of files) {
    const target = path.resolve(specDir, f.path);
    if (path.relative(specDir, target).startsWith('..') || path.isAbsolute(f.path)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.bytes);
  }
}

/** `file` relative to the first base folder holding it (forward slashes), else its base name. */
function relativeTo(file: string, bases: readonly string[]): string {
  for (const b of bases) {
    const r = path.relative(path.resolve(b), file);
    if (r && !r.startsWith('..') && !path.isAbsolute(r)) return r.split(path.sep).join('/');
  }
  return path.basename(file);
}
