/**
 * The extension's Train job: the shared run service (src/run/train-spec.ts) on a spec file, with
 * log lines and convergence points sent to the host and cancel stopping the solvers (the best
 * parameters so far are kept and the run folder written).
 */
import type { JobParams, JobResult, ScoredPart } from '../protocol/host-jobs.js';
import type { ConvergencePoint } from '../protocol/webview-messages.js';
import type { IterationRecord } from '../core/solver/types.js';
import { trainSpec } from '../run/train-spec.js';
import { toConvergencePoint } from '../run/run-view.js';
import { logTo, type JobContext } from './job-context.js';
import { scoredPart } from './scored-part.js';

export async function trainJob(
  p: JobParams<'train'>,
  ctx: JobContext,
): Promise<JobResult<'train'>> {
  const log = logTo(ctx);
  const handle = trainSpec(
    p.spec,
    { dataDirs: p.dataDirs },
    {
      log: (line) => log(line),
      progress: (r: IterationRecord, start) => {
        const point: ConvergencePoint = toConvergencePoint(r);
        ctx.post({ type: 'trainProgress', start, point });
      },
    },
  );
  ctx.onCancel(() => handle.cancel());
  const outcome = await handle.outcome;
  if (!outcome.result || !outcome.runDir) {
    const first = outcome.check.problems.find((x) => x.severity === 'error');
    return { specError: first ? first.text : 'the spec did not check' };
  }
  const parts: ScoredPart[] = (outcome.parts ?? []).map(scoredPart);
  return {
    result: outcome.result,
    parts,
    runDir: outcome.runDir,
    ...(outcome.report?.scoringError ? { scoringError: outcome.report.scoringError } : {}),
  };
}
