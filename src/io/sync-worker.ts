/**
 * A synchronous call into a short-lived worker thread: the caller blocks on an Atomics flag until
 * the worker has posted its one answer on a MessagePort, takes it with receiveMessageOnPort, and
 * terminates the thread. Every reader of data files is synchronous (the compiler, the language
 * server's header cache), so this is how a read runs off the calling thread: the v7.3 MAT-file
 * reader (h5wasm only starts asynchronously, hdf5-sync.ts) and large text tables (whose parsing
 * garbage would otherwise grow the calling isolate's young generation for good, text-stream.ts).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import { NailsError } from '../core/errors.js';

/** What the worker gets as workerData: the caller's data plus where to answer. */
export interface SyncJob<T> {
  data: T;
  port: MessagePort;
  /** Int32Array(1) on a SharedArrayBuffer: the worker sets 1 and notifies after answering. */
  flag: Int32Array;
}

/** The answer a worker posts: its value, or the message of a NailsError to throw in the caller. */
export type SyncAnswer<R> = { ok: true; value: R } | { ok: false; message: string };

/** A worker script beside the bundle (dist/<name>.cjs) or its TypeScript source under tsx. */
export function siblingScript(name: string): string {
  if (typeof __dirname === 'string') return path.join(__dirname, `${name}.cjs`);
  return path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.ts`);
}

/**
 * Runs `script` with `data` and returns its answer; throws NailsError (naming `source`) when the
 * worker answers with an error, does not answer within `timeoutMs`, or stops without an answer.
 * `what` says what the worker does, for those messages (`reading the v7.3 MAT-file`).
 */
export function callWorkerSync<T, R>(
  script: string,
  data: T,
  o: { source: string; what: string; timeoutMs: number; missing: string },
): R {
  // A missing script would only fail inside the worker, after this thread has started waiting.
  if (!existsSync(script))
    throw new NailsError(
      `${o.missing} ${script} is missing; rebuild (npm run build) or reinstall`,
      o.source,
    );
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const job: SyncJob<T> = { data, port: port2, flag };
  const worker = new Worker(script, {
    workerData: job,
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  try {
    const waited = Atomics.wait(flag, 0, 0, o.timeoutMs);
    const msg = receiveMessageOnPort(port1)?.message as SyncAnswer<R> | undefined;
    if (!msg) {
      throw new NailsError(
        waited === 'timed-out'
          ? `${o.source}: ${o.what} took more than ${o.timeoutMs / 1000} s; it may be damaged`
          : `${o.source}: ${o.what} stopped without an answer`,
        o.source,
      );
    }
    if (!msg.ok) throw new NailsError(msg.message, o.source);
    return msg.value;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/**
 * Worker side: posts `answer()`'s value and wakes the caller. A NailsError's message goes back as
 * it is; any other failure as `<source>: <what> failed (<first line>)`.
 */
export async function answerSync<T, R>(
  job: SyncJob<T>,
  answer: (
    data: T,
  ) => Promise<{ value: R; transfer?: ArrayBuffer[] }> | { value: R; transfer?: ArrayBuffer[] },
  failure: { source: string; what: string },
): Promise<void> {
  try {
    const { value, transfer } = await answer(job.data);
    job.port.postMessage({ ok: true, value } satisfies SyncAnswer<R>, transfer ?? []);
  } catch (e) {
    const message =
      e instanceof NailsError
        ? e.message
        : `${failure.source}: ${failure.what} failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
    job.port.postMessage({ ok: false, message } satisfies SyncAnswer<R>);
  } finally {
    Atomics.store(job.flag, 0, 1);
    Atomics.notify(job.flag, 0);
  }
}
