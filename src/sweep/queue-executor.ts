/**
 * The distributed executor: one BullMQ job per fit on Redis, its id the sweep's key and the fit's
 * id (so a fit is queued once, and re-running the sweep picks up jobs already done), waited for
 * through QueueEvents. Each result's run folder files are written under the sweep's `fits/`, with
 * model.json pointed at this machine's spec folder and data directories.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runRelative } from '../io/run-folder.js';
import {
  DATA_KEY_PREFIX,
  type FitTask,
  type QueuedFit,
  type QueuedFitResult,
  type SweepRow,
} from '../protocol/sweep.js';
import { oneLine } from './fit-row.js';
import { fitFolder } from './grid.js';
import type { DataFileBytes } from './job-data.js';
import type { Executor } from './local-pool.js';
import {
  QUEUE_NAME,
  describeConnection,
  loadBullmq,
  parseQueueUrl,
  ioredis,
  redisClient,
  redactSecrets,
} from './queue-connection.js';
import { QueueErrors } from './queue-errors.js';

export interface QueueContext {
  url: string;
  /** Prefix of the job ids: the sweep folder's name (one per spec text and options). */
  sweepKey: string;
  sweepDir: string;
  specFile: string;
  dataDirs: string[];
  files: DataFileBytes[];
  log: (line: string) => void;
}

/** The job id of a fit (BullMQ refuses ':' and integer ids). */
export const jobId = (sweepKey: string, fit: string) =>
  `${sweepKey}/${fitFolder(fit)}`.replace(/:/g, '_');

export function queueExecutor(q: QueueContext): Executor {
  return {
    async run(tasks, onStart, onRow) {
      const connection = parseQueueUrl(q.url);
      const where = describeConnection(connection);
      const secret = connection.password;
      const bull = await loadBullmq();
      const { Queue, QueueEvents, Job } = bull;
      const clients = [redisClient(bull, connection), redisClient(bull, connection)];
      const queue = new Queue<QueuedFit, QueuedFitResult>(QUEUE_NAME, { connection: clients[0]! });
      const events = new QueueEvents(QUEUE_NAME, { connection: clients[1]! });
      const errors = new QueueErrors(q.log, secret);
      queue.on('error', errors.onError);
      events.on('error', errors.onError);
      try {
        await errors.ready(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), where);
        await storeDataFiles(connection, q.files);
        const files = q.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
        const byJob = new Map(tasks.map((t) => [jobId(q.sweepKey, t.id), t]));
        const active = new Set<string>();
        events.on('active', ({ jobId: id }) => {
          const t = byJob.get(id);
          if (t && !active.has(id)) {
            active.add(id);
            onStart(t);
          }
        });
        q.log(
          `queued ${tasks.length} fit(s) on ${where}; start workers with \`nails worker --queue …\``,
        );
        await Promise.all(
          tasks.map(async (t) => {
            const id = jobId(q.sweepKey, t.id);
            try {
              let job = await Job.fromId<QueuedFit, QueuedFitResult>(queue, id);
              if (job && (await job.isFailed())) await job.retry();
              job ??= await queue.add(
                'fit',
                { ...t, files },
                // Results stay a day for a sweep that re-connects; sweep.json keeps them after.
                { jobId: id, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } },
              );
              const result = await job.waitUntilFinished(events);
              onRow(collect(q, t, result));
            } catch (e) {
              onRow(failedRow(t, redactSecrets(oneLine(e), secret)));
            }
          }),
        );
      } finally {
        // After a failed connection close() rejects ("Connection is closed"): the first error
        // is the one to report, and every socket must end so that the process can.
        errors.mute();
        await Promise.allSettled([events.close(), queue.close()]);
        for (const c of clients) c.disconnect();
      }
    },
  };
}

/** Data files live in Redis for a week after the last sweep that stored them. */
const DATA_TTL_SECONDS = 7 * 86_400;

/** Stores each data file once (its key is its SHA-256), refreshing the expiry of those there. */
async function storeDataFiles(
  connection: ReturnType<typeof parseQueueUrl>,
  files: readonly DataFileBytes[],
): Promise<void> {
  if (!files.length) return;
  const c = ioredis(connection);
  try {
    for (const f of files)
      await c.set(DATA_KEY_PREFIX + f.sha256, f.bytes.toString('base64'), 'EX', DATA_TTL_SECONDS);
  } finally {
    c.disconnect();
  }
}

/** Writes a returned run folder under the sweep and gives the row back. */
function collect(q: QueueContext, t: FitTask, r: QueuedFitResult): SweepRow {
  if (!r.row.run) return r.row;
  const dir = path.join(q.sweepDir, r.row.run);
  for (const f of r.files) {
    const target = path.resolve(dir, f.path);
    if (path.relative(dir, target).startsWith('..')) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.path === 'model.json' ? localModel(f.text, dir, q) : f.text);
  }
  return { ...r.row, id: t.id };
}

/** model.json with its spec folder and data directories those of this machine. */
function localModel(text: string, runDir: string, q: QueueContext): string {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    m.specDir = runRelative(runDir, path.dirname(path.resolve(q.specFile)));
    m.dataDirs = q.dataDirs.map((d) => runRelative(runDir, d));
    return `${JSON.stringify(m, null, 1)}\n`;
  } catch {
    return text;
  }
}

function failedRow(t: FitTask, error: string): SweepRow {
  return {
    id: t.id,
    seed: t.seed,
    settings: t.settings,
    ...(t.fold ? { fold: t.fold } : {}),
    status: 'failed',
    error,
    metrics: {},
    wall: 0,
  };
}
