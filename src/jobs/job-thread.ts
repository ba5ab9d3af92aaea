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
import type { JobContext } from './job-context.js';
import { readRangeJob, readRunsJob, runSummariesJob } from './read-jobs.js';

type Handler<K extends JobKind> = (
  params: JobParams<K>,
  ctx: JobContext,
) => JobResult<K> | Promise<JobResult<K>>;

/**
 * Every job kind and the function that runs it. The jobs that need the spec language or the solver
 * load their modules on first use (the bundle initialises them then): a new thread answers the
 * read jobs, the first thing opening a results panel asks for, without first setting up the
 * language and the solver (bench/results-panel.ts).
 */
const HANDLERS: { [K in JobKind]: Handler<K> } = {
  train: async (p, ctx) => (await import('./train-job.js')).trainJob(p, ctx),
  evaluate: async (p) => (await import('./folder-jobs.js')).evaluateJob(p),
  evaluateFile: async (p) => (await import('./folder-jobs.js')).evaluateFileJob(p),
  export: async (p) => (await import('./folder-jobs.js')).exportJob(p),
  readRuns: readRunsJob,
  readRange: readRangeJob,
  runSummaries: runSummariesJob,
  checkSweepInput: async (p) => (await import('./sweep-job.js')).checkSweepInputJob(p),
  sweep: async (p, ctx) => (await import('./sweep-job.js')).sweepJob(p, ctx),
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
