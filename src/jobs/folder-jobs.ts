/**
 * The extension's jobs on run folders that need the spec language or the model: evaluate (on the
 * spec's data or on a file) and export (reading them: read-jobs.ts). Each is the same code the
 * command line runs; a run folder that does not read fails with the one-line message naming the
 * file and the field.
 */
import type { JobParams, JobResult } from '../protocol/host-jobs.js';
import { evaluateOnFile } from '../run/evaluate-file.js';
import { evaluateRun } from '../run/evaluate-run.js';
import { exportRun } from '../run/export-run.js';
import { scoredPart } from './scored-part.js';

export async function evaluateJob(p: JobParams<'evaluate'>): Promise<JobResult<'evaluate'>> {
  const { parts } = await evaluateRun(p.runDir, p.dataDirs);
  return parts.map(scoredPart);
}

export const evaluateFileJob = (p: JobParams<'evaluateFile'>): JobResult<'evaluateFile'> =>
  evaluateOnFile(p.runDir, p.file, { nInit: p.nInit });

export const exportJob = (p: JobParams<'export'>): JobResult<'export'> =>
  exportRun(p.runDir, p.format);
