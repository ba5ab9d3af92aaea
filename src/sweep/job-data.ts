/**
 * How a queued fit reaches its data: each data file the spec reads, at its path relative to the
 * spec's folder (or to the data directory holding it). Files up to `INLINE_LIMIT` travel inside
 * the job; larger ones must be in the worker's --data-dir at the same relative path. The worker
 * recreates the spec's folder in a temporary folder from the inline files.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Analysis } from '../language/analysis.js';
import type { InlineDataFile } from '../protocol/sweep.js';

/** Files larger than this (bytes) are not sent with the job. */
export const INLINE_LIMIT = 4 * 1024 * 1024;

/** The spec's data files as jobs carry them; `large` are those the workers must have. */
export function jobDataFiles(
  analysis: Analysis,
  specFile: string,
  dataDirs: readonly string[],
): { files: InlineDataFile[]; large: string[] } {
  const specDir = path.dirname(path.resolve(specFile));
  const abs = new Set<string>();
  for (const p of analysis.resolved?.data.parts ?? [])
    for (const s of [...p.inputSources, ...p.outputSources]) abs.add(s.file);
  const files: InlineDataFile[] = [];
  const large: string[] = [];
  for (const f of abs) {
    const rel = relativeTo(f, [specDir, ...dataDirs]);
    if (statSync(f).size > INLINE_LIMIT) large.push(rel);
    else files.push({ path: rel, base64: readFileSync(f).toString('base64') });
  }
  return { files, large };
}

/** Writes the inline files into `specDir` (paths that would leave it are skipped). */
export function writeInlineFiles(specDir: string, files: readonly InlineDataFile[]): void {
  for (const f of files) {
    const target = path.resolve(specDir, f.path);
    if (path.relative(specDir, target).startsWith('..') || path.isAbsolute(f.path)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, Buffer.from(f.base64, 'base64'));
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
