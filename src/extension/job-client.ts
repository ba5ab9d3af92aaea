/**
 * The extension host's side of the job thread (src/protocol/host-jobs.ts): every job that needs
 * the solver, the language analysis or the run-folder code runs in dist/host-jobs.cjs, in a
 * worker thread, so none of that is in the extension's bundle. A long job (training, a sweep,
 * evaluation, export) gets its own thread, terminated when the job ends; cancel asks the job to
 * stop and terminates the thread when it does not answer within the grace period. Short jobs
 * (reading run folders, checking prompt text) share one thread that stays up.
 */
import { Worker } from 'node:worker_threads';
import type { JobEvent, JobKind, JobParams, JobResult, JobToHost } from '../protocol/host-jobs.js';

/** A job that failed: `userError` for bad input (show the message), else an internal failure. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly userError: boolean,
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** A job terminated because it did not answer a cancel within the grace period. */
export class JobCancelledError extends JobError {}

export interface JobHandle<K extends JobKind> {
  /** The job's result; rejects with a JobError when it failed or had to be terminated. */
  result: Promise<JobResult<K>>;
  /** Asks the job to stop; its thread is terminated when it answers, or after the grace period. */
  cancel(): void;
}

interface Pending {
  resolve: (r: never) => void;
  reject: (e: Error) => void;
}

/** Default grace period after a cancel (the run service gives its solvers 5 s, then writes the run). */
export const JOB_CANCEL_GRACE_MS = 15_000;

export class JobClient {
  private next = 0;
  private service: { worker: Worker; pending: Map<number, Pending> } | undefined;

  /** `script`: the bundled job thread (dist/host-jobs.cjs). */
  constructor(
    private readonly script: string,
    private readonly graceMs = JOB_CANCEL_GRACE_MS,
  ) {}

  /** Runs a long job on a thread of its own. */
  start<K extends JobKind>(
    kind: K,
    params: JobParams<K>,
    onEvent?: (e: JobEvent) => void,
  ): JobHandle<K> {
    const id = ++this.next;
    const worker = new Worker(this.script);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let resolveFn!: (r: JobResult<K>) => void;
    let rejectFn!: (e: Error) => void;
    const result = new Promise<JobResult<K>>((resolve, reject) => {
      resolveFn = resolve;
      rejectFn = reject;
    });
    const end = (f: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      void worker.terminate();
      f();
    };
    worker.on('message', (m: JobToHost) => {
      if (m.id !== id) return;
      if (m.type === 'done') end(() => resolveFn(m.result));
      else if (m.type === 'failed')
        end(() => rejectFn(new JobError(m.message, m.userError, m.stack)));
      else onEvent?.(m);
    });
    worker.on('error', (e) =>
      end(() => rejectFn(new JobError(`the ${kind} job thread crashed: ${e.message}`, false))),
    );
    worker.on('exit', (code) =>
      end(() =>
        rejectFn(new JobError(`the ${kind} job thread exited unexpectedly (code ${code})`, false)),
      ),
    );
    worker.postMessage({ type: 'job', id, kind, params });
    return {
      result,
      cancel: () => {
        if (settled || timer) return;
        worker.postMessage({ type: 'cancel', id });
        timer = setTimeout(
          () =>
            end(() =>
              rejectFn(
                new JobCancelledError(
                  `cancelled: the ${kind} job did not answer within ${this.graceMs} ms and was terminated`,
                  true,
                ),
              ),
            ),
          this.graceMs,
        );
      },
    };
  }

  /** Runs a short job on the shared thread (started on first use). */
  request<K extends JobKind>(kind: K, params: JobParams<K>): Promise<JobResult<K>> {
    const s = this.serviceThread();
    const id = ++this.next;
    // Held (ref) while a request is pending, so that a waiting caller keeps Node running.
    s.worker.ref();
    return new Promise<JobResult<K>>((resolve, reject) => {
      s.pending.set(id, { resolve: resolve, reject });
      s.worker.postMessage({ type: 'job', id, kind, params });
    });
  }

  /** Terminates the shared thread (long jobs end with their own threads). */
  dispose(): void {
    const s = this.service;
    this.service = undefined;
    if (s) void s.worker.terminate();
  }

  private serviceThread(): { worker: Worker; pending: Map<number, Pending> } {
    if (this.service) return this.service;
    const worker = new Worker(this.script);
    const pending = new Map<number, Pending>();
    const s = { worker, pending };
    const failAll = (why: string) => {
      if (this.service === s) this.service = undefined;
      for (const p of pending.values()) p.reject(new JobError(why, false));
      pending.clear();
    };
    worker.on('message', (m: JobToHost) => {
      const p = pending.get(m.id);
      if (!p || (m.type !== 'done' && m.type !== 'failed')) return;
      pending.delete(m.id);
      if (pending.size === 0) worker.unref();
      if (m.type === 'done') p.resolve(m.result as never);
      else p.reject(new JobError(m.message, m.userError, m.stack));
    });
    worker.on('error', (e) => failAll(`the job thread crashed: ${e.message}`));
    worker.on('exit', (code) => failAll(`the job thread exited (code ${code})`));
    this.service = s;
    return s;
  }
}
