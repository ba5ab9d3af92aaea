/**
 * `nails train spec.nails`: checks the spec, trains in solver worker threads (several starts on a
 * pool when the spec asks), prints progress, scores every part, and writes the run folder.
 */
import type { IterationRecord } from '../../core/solver/types.js';
import type { PartResult } from '../../language/evaluate.js';
import { trainSpec, type TrainOptions } from '../../run/train-spec.js';

const log = (s: string) => process.stdout.write(`${s}\n`);

function progressLine(r: IterationRecord, prefix = ''): string {
  const extra =
    r.primal !== undefined
      ? `  primal ${r.primal.toExponential(2)}  dual ${(r.dual ?? NaN).toExponential(2)}`
      : r.lambda !== undefined
        ? `  λ ${r.lambda.toExponential(1)}`
        : r.alpha !== undefined
          ? `  α ${r.alpha.toExponential(1)}`
          : '';
  return `${prefix}iteration ${String(r.iteration).padStart(4)}  loss ${r.value.toExponential(4)}${extra}  ${r.elapsed.toFixed(2)} s`;
}

export function formatParts(parts: PartResult[]): string[] {
  const out = [
    'part                          N   n_init   channel       RMSE      NRMSE     fit %   accuracy %',
  ];
  for (const p of parts) {
    p.channels.forEach((m, c) => {
      out.push(
        `${`${p.kind} ${p.kind === p.name ? '' : p.name}`.padEnd(26)} ${String(p.N).padStart(7)} ${String(p.nInit).padStart(8)}   y${c + 1}`.padEnd(
          56,
        ) +
          `${m.rmse.toPrecision(5).padStart(10)} ${m.nrmse.toPrecision(4).padStart(10)} ${m.fit.toFixed(2).padStart(9)} ${m.accuracy.toFixed(1).padStart(12)}`,
      );
    });
  }
  return out;
}

export async function runTrain(
  file: string,
  o: TrainOptions & { quiet?: boolean },
): Promise<number> {
  const handle = trainSpec(file, o, {
    log,
    progress: (r, start) => {
      if (!o.quiet) log(progressLine(r, start > 0 || o.starts ? `  start ${start + 1}: ` : '  '));
    },
  });
  const onSigint = () => handle.cancel();
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
  for (const line of r.recovery ?? []) log(`recovery: ${line}`);
  log(
    `${r.message}; start loss ${r.initialValue.toExponential(4)}, iterations ${r.iterations}, loss ${r.value.toExponential(4)}, wall ${(out.report.wallSeconds ?? 0).toFixed(2)} s${out.report.kernel ? `, kernel ${out.report.kernel}` : ''}`,
  );
  if (r.admm)
    log(
      `ADMM: ${r.admm.message}; non-zeros ${r.admm.report.nonZeros} / ${r.admm.report.parameters}${r.admm.report.removableStates.length ? `; removable states ${r.admm.report.removableStates.join(', ')}` : ''}`,
    );
  for (const l of formatParts(out.parts)) log(l);
  log(`run folder: ${out.runDir}`);
  return r.status === 'diverged' ? 1 : 0;
}
