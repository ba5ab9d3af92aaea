/**
 * The extension's jobs on run folders: evaluate (on the spec's data or on a file), export, and
 * read (the results panel's view, the Runs view's summaries). Each is the same code the command
 * line runs; a run folder that does not read fails with the one-line message naming the file and
 * the field.
 */
import type { JobParams, JobResult } from '../protocol/host-jobs.js';
import { evaluateOnFile } from '../run/evaluate-file.js';
import { evaluateRun } from '../run/evaluate-run.js';
import { exportRun } from '../run/export-run.js';
import { runSummary } from '../run/run-summary.js';
import { readRunRange, readRunView } from '../run/run-view.js';
import { scoredPart } from './scored-part.js';

export async function evaluateJob(p: JobParams<'evaluate'>): Promise<JobResult<'evaluate'>> {
  const { parts } = await evaluateRun(p.runDir, p.dataDirs);
  return parts.map(scoredPart);
}

export const evaluateFileJob = (p: JobParams<'evaluateFile'>): JobResult<'evaluateFile'> =>
  evaluateOnFile(p.runDir, p.file, { nInit: p.nInit });

export const exportJob = (p: JobParams<'export'>): JobResult<'export'> =>
  exportRun(p.runDir, p.format);

export const readRunsJob = (p: JobParams<'readRuns'>): JobResult<'readRuns'> =>
  p.runDirs.map((d) => readRunView(d));

export const readRangeJob = (p: JobParams<'readRange'>): JobResult<'readRange'> =>
  readRunRange(p.runDir, p.part, p.from, p.to, p.pixels);

export const runSummariesJob = (p: JobParams<'runSummaries'>): JobResult<'runSummaries'> =>
  p.runDirs.map((d) => runSummary(d));
