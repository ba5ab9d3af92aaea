/**
 * The extension's jobs that read run folders: the results panel's view and zoomed ranges, the
 * Runs view's summaries. They need neither the spec language nor the solver, so the job thread
 * runs them without loading those (job-thread.ts): opening a results panel waits for no more than
 * this. A run folder that does not read fails with the one-line message naming the file and the
 * field.
 */
import type { JobParams, JobResult } from '../protocol/host-jobs.js';
import { runSummary } from '../run/run-summary.js';
import { readRunRange, readRunView } from '../run/run-view.js';

export const readRunsJob = (p: JobParams<'readRuns'>): JobResult<'readRuns'> =>
  p.runDirs.map((d) => readRunView(d));

export const readRangeJob = (p: JobParams<'readRange'>): JobResult<'readRange'> =>
  readRunRange(p.runDir, p.part, p.from, p.to, p.pixels);

export const runSummariesJob = (p: JobParams<'runSummaries'>): JobResult<'runSummaries'> =>
  p.runDirs.map((d) => runSummary(d));
