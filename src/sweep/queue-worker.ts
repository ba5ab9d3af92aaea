/**
 * `nails worker --queue URL`: takes fits from the sweep queue (BullMQ on Redis), runs each in a
 * temporary copy of the spec's folder (the data files the sweep stored in Redis there, cached per
 * worker; larger ones found through --data-dir), and returns the row and the run folder's text files. A worker that dies mid-fit
 * stops renewing its job's lock; another worker's stalled-job check puts the job back within
 * about `LOCK_MS + STALLED_MS`.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import {
  DATA_KEY_PREFIX,
  type QueuedDataFile,
  type QueuedFit,
  type QueuedFitResult,
  type ReturnedFile,
} from '../protocol/sweep.js';
import type { LinearEstimates } from '../run/linear-estimates.js';
import { oneLine, runFitTask } from './fit-row.js';
import { sha256, writeDataFiles } from './job-data.js';
import { QueueErrors } from './queue-errors.js';
import {
  QUEUE_NAME,
  describeConnection,
  loadBullmq,
  parseQueueUrl,
  ioredis,
  redisClient,
  redactSecrets,
} from './queue-connection.js';

/** A job's lock lives this long unless renewed (renewed every half of it while the fit runs). */
export const LOCK_MS = 10_000;
/** How often workers look for jobs whose lock expired. */
export const STALLED_MS = 2_000;
/** A job may be put back this many times before it counts as failed. */
export const MAX_STALLED = 3;
/** Run folders larger than this (bytes) come back without their predictions. */
const RETURN_LIMIT = 32 * 1024 * 1024;

export interface WorkerOptions {
  dataDirs: string[];
  concurrency?: number;
  log: (line: string) => void;
}

/** Runs until SIGINT/SIGTERM; resolves with the number of fits run. */
export async function runQueueWorker(url: string, o: WorkerOptions): Promise<number> {
  const connection = parseQueueUrl(url);
  const where = describeConnection(connection);
  const secret = connection.password;
  const name = `${hostname()}:${process.pid}`;
  const bull = await loadBullmq();
  const client = redisClient(bull, connection);
  const data = ioredis(connection);
  const cache = new Map<string, Buffer>();
  // The linear stages of the fits this worker ran, for its later fits on the same data.
  const linearEstimates: LinearEstimates = new Map();
  const fetchData = async (files: readonly QueuedDataFile[]) => {
    return Promise.all(
      files.map(async (f) => {
        let bytes = cache.get(f.sha256);
        if (!bytes) {
          const b64 = await data.get(DATA_KEY_PREFIX + f.sha256);
          if (b64 === null)
            throw new NailsError(
              `data file ${f.path} is no longer in the queue; run the sweep again`,
            );
          bytes = Buffer.from(b64, 'base64');
          if (sha256(bytes) !== f.sha256)
            throw new NailsError(`data file ${f.path} arrived damaged (SHA-256 differs)`);
          cache.set(f.sha256, bytes);
        }
        return { path: f.path, bytes };
      }),
    );
  };
  let count = 0;
  const worker = new bull.Worker<QueuedFit, QueuedFitResult>(
    QUEUE_NAME,
    async (job) => {
      o.log(`picked ${job.id ?? job.data.id}`);
      const r = await processFit(job.data, o.dataDirs, name, fetchData, linearEstimates);
      count++;
      o.log(
        `${r.row.status} ${job.id ?? r.row.id}${r.row.error ? `: ${r.row.error}` : ''} (${r.row.wall.toFixed(1)} s)`,
      );
      return r;
    },
    {
      connection: client,
      concurrency: o.concurrency ?? 1,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_MS,
      maxStalledCount: MAX_STALLED,
      autorun: false,
    },
  );
  const errors = new QueueErrors(o.log, secret);
  worker.on('error', errors.onError);
  try {
    await errors.ready(worker.waitUntilReady(), where);
  } catch (e) {
    // ioredis reconnects forever: close every socket so that the process can end.
    client.disconnect();
    data.disconnect();
    await worker.disconnect().catch(() => undefined);
    throw e;
  }
  o.log(`worker ${name} waiting for fits on ${where} (concurrency ${o.concurrency ?? 1})`);
  const stop = new Promise<void>((resolve) => {
    const end = () => {
      o.log(`worker ${name}: stopping after the fit in progress`);
      resolve();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
  });
  worker.run().catch((e: unknown) => o.log(`queue: ${redactSecrets(oneLine(e), secret)}`));
  await stop;
  errors.mute();
  await worker.close();
  client.disconnect();
  data.disconnect();
  return count;
}

/** Runs one queued fit in a temporary folder and returns its row and run folder files. */
export async function processFit(
  job: QueuedFit,
  dataDirs: string[],
  worker: string,
  fetchData: (files: readonly QueuedDataFile[]) => Promise<{ path: string; bytes: Buffer }[]>,
  linearEstimates?: LinearEstimates,
): Promise<QueuedFitResult> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'nails-worker-'));
  try {
    const specDir = path.join(tmp, 'spec');
    mkdirSync(specDir, { recursive: true });
    try {
      writeDataFiles(specDir, await fetchData(job.files));
    } catch (e) {
      const row = {
        id: job.id,
        seed: job.seed,
        settings: job.settings,
        ...(job.fold ? { fold: job.fold } : {}),
        status: 'failed' as const,
        error: oneLine(e),
        metrics: {},
        wall: 0,
        worker,
      };
      return { row, files: [] };
    }
    const specFile = path.join(specDir, path.basename(job.specName));
    writeFileSync(specFile, job.specText);
    const sweepDir = path.join(tmp, 'sweep');
    const row = await runFitTask(job, {
      specFile,
      dataDirs,
      sweepDir,
      worker,
      ...(linearEstimates ? { linearEstimates } : {}),
    });
    const files = row.run ? readRunFiles(path.join(sweepDir, row.run)) : [];
    return { row, files };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The text files of a run folder (predictions dropped when the folder is too large). */
function readRunFiles(dir: string): ReturnedFile[] {
  const all: { path: string; size: number }[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else all.push({ path: r, size: statSync(path.join(dir, r)).size });
    }
  };
  walk('');
  const total = all.reduce((s, f) => s + f.size, 0);
  return all
    .filter((f) => total <= RETURN_LIMIT || !f.path.startsWith('predictions/'))
    .map((f) => ({ path: f.path, text: readFileSync(path.join(dir, f.path), 'utf8') }));
}
