/**
 * `nails worker --queue URL`: runs sweep fits from the Redis queue until SIGINT/SIGTERM; one line
 * per event on stderr (`picked <job>`, `done <job>`), never the queue's password.
 */
import { runQueueWorker } from '../../sweep/queue-worker.js';

export async function runWorkerCommand(
  url: string,
  o: { dataDirs: string[]; concurrency?: number },
): Promise<number> {
  const n = await runQueueWorker(url, {
    dataDirs: o.dataDirs,
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    log: (s) => process.stderr.write(`${s}\n`),
  });
  process.stderr.write(`worker stopped after ${n} fit(s)\n`);
  return 0;
}
