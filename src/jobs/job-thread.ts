/**
 * The extension's job thread (bundled as dist/host-jobs.cjs): runs the jobs of
 * src/protocol/host-jobs.ts for the extension host, which carries none of this code. A thread may
 * run several short jobs (reading run folders) or one long one (training, a sweep), which the
 * host terminates when it ends or is cancelled.
 */
import { parentPort } from 'node:worker_threads';
import { NailsError } from '../core/errors.js';
import type {
  HostToJob,
  JobDone,
  JobKind,
  JobParams,
  JobRequest,
  JobResult,
  JobToHost,
} from '../protocol/host-jobs.js';
import {
  evaluateFileJob,
  evaluateJob,
  exportJob,
  readRangeJob,
  readRunsJob,
  runSummariesJob,
} from './folder-jobs.js';
import type { JobContext } from './job-context.js';
import { checkSweepInputJob, sweepJob } from './sweep-job.js';
import { trainJob } from './train-job.js';

type Handler<K extends JobKind> = (
  params: JobParams<K>,
  ctx: JobContext,
) => JobResult<K> | Promise<JobResult<K>>;

/** Every job kind and the function that runs it. */
const HANDLERS: { [K in JobKind]: Handler<K> } = {
  train: trainJob,
  evaluate: evaluateJob,
  evaluateFile: evaluateFileJob,
  export: exportJob,
  readRuns: readRunsJob,
  readRange: readRangeJob,
  runSummaries: runSummariesJob,
  checkSweepInput: checkSweepInputJob,
  sweep: sweepJob,
};

const port = parentPort;
if (!port) throw new Error('job-thread must run in a worker thread');
const post = (m: JobToHost) => port.postMessage(m);

/** What a cancel request does, per running job; jobs cancelled before they registered one. */
const cancels = new Map<number, () => void>();
const cancelled = new Set<number>();

async function run(request: JobRequest): Promise<void> {
  const { id } = request;
  const ctx: JobContext = {
    post: (event) => post({ ...event, id }),
    onCancel: (stop) => {
      if (cancelled.has(id)) stop();
      else cancels.set(id, stop);
    },
  };
  try {
    const handler = HANDLERS[request.kind] as Handler<typeof request.kind>;
    const result = await handler(request.params, ctx);
    post({ type: 'done', id, kind: request.kind, result } as JobDone);
  } catch (e) {
    post({
      type: 'failed',
      id,
      message: e instanceof Error ? e.message : String(e),
      userError: e instanceof NailsError,
      ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
    });
  } finally {
    cancels.delete(id);
    cancelled.delete(id);
  }
}

port.on('message', (m: HostToJob) => {
  if (m.type === 'job') void run(m);
  else {
    cancelled.add(m.id);
    cancels.get(m.id)?.();
  }
});
