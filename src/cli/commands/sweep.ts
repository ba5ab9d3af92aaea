/**
 * `nails sweep SPEC`: a grid over spec settings and seeds (optionally time-series folds), run on a
 * local pool or through a Redis queue; writes every fit as a run folder and sweep.json, prints
 * progress on stderr and the table, Pareto front and best settings on stdout.
 */
import type { SweepAxis } from '../../protocol/sweep.js';
import { jobDataFiles } from '../../sweep/job-data.js';
import { defaultWorkers, localExecutor, StartedThreads } from '../../sweep/local-pool.js';
import { SweepProgress } from '../../sweep/progress.js';
import { queueExecutor } from '../../sweep/queue-executor.js';
import { prepareSweep, runPrepared } from '../../sweep/run-sweep.js';
import { SWEEP_JSON } from '../../sweep/sweep-file.js';
import { formatSweep } from '../sweep-table.js';

export interface SweepCliOptions {
  dataDirs: string[];
  axes: SweepAxis[];
  seeds: number[];
  iterations?: number;
  folds?: number;
  out?: string;
  workers?: number;
  queue?: string;
  limit?: number;
  quiet?: boolean;
}

const out = (s: string) => process.stdout.write(`${s}\n`);

export async function runSweepCommand(spec: string, o: SweepCliOptions): Promise<number> {
  const err = o.quiet ? () => undefined : (s: string) => process.stderr.write(`${s}\n`);
  const workers = o.workers ?? defaultWorkers();
  // The local pool's threads start up while the spec is checked and the grid laid out.
  const started = o.queue ? undefined : new StartedThreads(workers);
  try {
    return await sweepWith(spec, o, err, workers, started);
  } finally {
    await started?.close();
  }
}

async function sweepWith(
  spec: string,
  o: SweepCliOptions,
  err: (s: string) => void,
  workers: number,
  started: StartedThreads | undefined,
): Promise<number> {
  const prepared = await prepareSweep({
    specFile: spec,
    dataDirs: o.dataDirs,
    axes: o.axes,
    seeds: o.seeds,
    ...(o.iterations !== undefined ? { iterations: o.iterations } : {}),
    ...(o.folds !== undefined ? { folds: o.folds } : {}),
    ...(o.out !== undefined ? { out: o.out } : {}),
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
  });
  const total = prepared.order.length;
  err(
    `sweep ${prepared.dir}: ${total} fit(s), ${prepared.skipped} done before, ${prepared.pending.length} to run${o.queue ? ' on the queue' : ` on ${workers} local worker(s)`}`,
  );
  const progress = new SweepProgress(
    prepared.pending.length,
    err,
    o.queue ? 'queue' : `${workers} parallel`,
  );
  const abort = new AbortController();
  let executor;
  if (o.queue) {
    const data = jobDataFiles(prepared.analysis, spec, o.dataDirs);
    if (data.large.length)
      err(
        `data not sent with the jobs (too large): ${data.large.join(', ')}; workers find them in their --data-dir`,
      );
    executor = queueExecutor({
      url: o.queue,
      sweepKey: prepared.key,
      sweepDir: prepared.dir,
      specFile: spec,
      dataDirs: o.dataDirs,
      files: data.files,
      log: err,
    });
  } else
    executor = localExecutor(
      { specFile: spec, dataDirs: o.dataDirs, sweepDir: prepared.dir, worker: 'local' },
      workers,
      abort.signal,
      started,
    );
  // Ctrl-C: the fits in flight finish and are recorded, no more start (re-run to resume);
  // a second Ctrl-C ends at once.
  const onSigint = () => {
    process.stderr.write(
      'nails: stopping after the fits in flight (Ctrl-C again to quit now; re-run to resume)\n',
    );
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  if (!o.queue) process.once('SIGINT', onSigint);
  const file = await runPrepared(prepared, executor, {
    start: (t) => progress.started(t.id),
    row: (r) =>
      progress.ended(
        r.id,
        r.status === 'done',
        r.status === 'done'
          ? `${r.stop ?? 'done'} in ${r.wall.toFixed(1)} s${r.worker && r.worker !== 'local' ? ` on ${r.worker}` : ''}`
          : (r.error ?? 'failed'),
      ),
  });
  process.removeListener('SIGINT', onSigint);
  for (const l of formatSweep(file)) out(l);
  out(`sweep folder: ${prepared.dir} (${SWEEP_JSON}, fits/)`);
  const failed = file.rows.filter((r) => r.status === 'failed').length;
  if (failed)
    process.stderr.write(
      `nails: ${failed} of ${file.rows.length} fit(s) failed (see sweep.json)\n`,
    );
  if (abort.signal.aborted) return 130;
  return file.rows.length && failed === file.rows.length ? 1 : 0;
}
