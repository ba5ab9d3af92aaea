/**
 * `nails train spec.nails`: checks the spec, trains in solver worker threads (several starts on a
 * pool when the spec asks), prints progress, scores every part, and writes the run folder.
 * Ctrl-C is a cancel: the best parameters so far are scored and written like any other run.
 * With --quiet only the final line and the run folder are printed.
 */
import type { IterationRecord } from '../../core/solver/types.js';
import { trainSpec, type TrainOptions } from '../../run/train-spec.js';
import { formatParts } from '../parts-table.js';

const log = (s: string) => process.stdout.write(`${s}\n`);

/** Stop reasons that mean the run produced no model worth scoring. */
const FAILED: ReadonlySet<string> = new Set(['diverged']);

/** The run's loss as every line shows it (the same number as history.csv and report.json). */
export const formatLoss = (v: number) => v.toExponential(4);

export function progressLine(r: IterationRecord, prefix = ''): string {
  const extra =
    r.primal !== undefined
      ? `  primal ${r.primal.toExponential(2)}  dual ${(r.dual ?? NaN).toExponential(2)}`
      : r.lambda !== undefined
        ? `  λ ${r.lambda.toExponential(1)}`
        : r.alpha !== undefined
          ? `  α ${r.alpha.toExponential(1)}`
          : '';
  return `${prefix}iteration ${String(r.iteration).padStart(4)}  loss ${formatLoss(r.value)}${extra}  ${r.elapsed.toFixed(2)} s`;
}

export async function runTrain(
  file: string,
  o: TrainOptions & { quiet?: boolean },
): Promise<number> {
  const verbose = o.quiet ? () => undefined : log;
  let shown: IterationRecord | undefined;
  const handle = trainSpec(file, o, {
    log: verbose,
    progress: (r, start) => {
      shown = r;
      verbose(progressLine(r, start > 0 || o.starts ? `  start ${start + 1}: ` : '  '));
    },
  });
  const onSigint = () => {
    process.stderr.write('nails: cancelling (Ctrl-C again to abort without a run folder)\n');
    handle.cancel();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  const out = await handle.outcome;
  process.removeListener('SIGINT', onSigint);
  for (const p of out.check.problems) process.stderr.write(`${p.text}\n`);
  if (!out.result || !out.parts || !out.report) {
    process.stderr.write(
      `nails: ${file} has ${out.check.errors} error(s); fix them and train again\n`,
    );
    return 1;
  }
  const r = out.result;
  const failed = FAILED.has(r.status) || !Number.isFinite(r.value);
  if (failed) {
    process.stderr.write(
      `nails: ${/^failed\b/.test(r.message) ? `training ${r.message}` : `training failed: ${r.message}`}\n`,
    );
    log(`run folder: ${out.runDir}`);
    return 1;
  }
  // Progress is throttled: end it on the returned point (e.g. the polished row after ADMM).
  const last = r.history.at(-1);
  if (out.all?.length === 1 && last && last.iteration !== shown?.iteration)
    verbose(progressLine(last, '  '));
  for (const line of r.recovery) verbose(`recovery: ${line}`);
  log(
    `${r.message}; start loss ${formatLoss(r.initialValue)}, iterations ${r.iterations}${r.admm?.polishedValue !== undefined && last ? ` + ${last.iteration - r.iterations} polishing` : ''}, loss ${formatLoss(r.value)}, wall ${(out.report.wallSeconds ?? 0).toFixed(2)} s${out.report.kernel ? `, kernel ${out.report.kernel}` : ''}`,
  );
  if (!o.quiet) {
    if (r.admm)
      log(
        `ADMM: ${r.admm.message}; non-zeros ${r.admm.report.nonZeros} / ${r.admm.report.parameters}${r.admm.report.removableStates.length ? `; removable states ${r.admm.report.removableStates.join(', ')}` : ''}`,
      );
    for (const l of formatParts(out.parts, out.report.classification ?? false)) log(l);
  }
  log(`run folder: ${out.runDir}`);
  return r.status === 'cancelled' ? 130 : 0;
}
