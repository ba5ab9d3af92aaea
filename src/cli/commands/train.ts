/**
 * `nails train spec.nails`: checks the spec, trains in solver worker threads (several starts on a
 * pool when the spec asks), prints progress, scores every part, and writes the run folder.
 */
import * as path from 'node:path';
import { createModel } from '../../core/models/model-factory.js';
import type { IterationRecord } from '../../core/solver/types.js';
import {
  newRunFolder,
  writeRun,
  MODEL_FORMAT,
  type SavedModel,
  type RunReport,
} from '../../io/run-folder.js';
import { NailsError } from '../../core/errors.js';
import { METHODS, type Method } from '../../core/fit-job.js';
import { compileSpec } from '../../language/compiler.js';
import { evaluateParts, type PartResult } from '../../language/evaluate.js';
import { checkSpecFile } from '../../language/load-spec.js';
import type { SerializedResult } from '../../protocol/worker-messages.js';
import { startFit, startMultiStart } from '../../worker/solver-host.js';

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
  o: {
    dataDirs: string[];
    out?: string;
    quiet?: boolean;
    method?: string;
    iterations?: number;
    starts?: number;
  },
): Promise<number> {
  const check = await checkSpecFile(file, o.dataDirs);
  for (const p of check.problems) process.stderr.write(`${p.text}\n`);
  if (check.errors > 0 || !check.analysis.resolved) {
    process.stderr.write(`nails: ${file} has ${check.errors} error(s); fix them and train again\n`);
    return 1;
  }
  const compiled = compileSpec(check.analysis.resolved);
  if (o.method !== undefined) {
    if (!(METHODS as readonly string[]).includes(o.method))
      throw new NailsError(
        `--method must be one of ${METHODS.join(', ')}, got '${o.method}'`,
        'method',
      );
    if (compiled.fit.regularize && (o.method === 'adam' || o.method === 'lbfgs'))
      throw new NailsError(
        `--method ${o.method} cannot run the spec's ADMM terms; use nails or nailm`,
        'method',
      );
    compiled.fit.method = o.method as Method;
  }
  if (o.iterations !== undefined) compiled.fit.options.maxIterations = o.iterations;
  if (o.starts !== undefined) compiled.starts = o.starts;
  const name = compiled.resolved.name;
  const fit = compiled.fit;
  log(
    `${name}: ${fit.method.toUpperCase()}${fit.regularize ? ' + ADMM' : ''}, ${compiled.starts} start(s), model ${fit.model.kind} nx = ${fit.model.nx}; training samples ${fit.train.reduce((s, e) => s + e.N, 0)}`,
  );
  const t0 = performance.now();
  let result: SerializedResult;
  let all: SerializedResult[];
  let best = 0;
  const onSigint = () => handle.cancel();
  let handle: { cancel(): void };
  if (compiled.starts === 1) {
    const h = startFit(fit, {
      progressIntervalMs: 250,
      onProgress: (r) => !o.quiet && log(progressLine(r, '  ')),
    });
    handle = h;
    process.once('SIGINT', onSigint);
    result = await h.result;
    all = [result];
  } else {
    const h = startMultiStart(fit, {
      starts: compiled.starts,
      seed: compiled.seed,
      select: compiled.select,
      progressIntervalMs: 500,
      onStartProgress: (i, r) => !o.quiet && log(progressLine(r, `  start ${i + 1}: `)),
      onStartDone: (i, r) =>
        log(
          `  start ${i + 1} (seed ${r.seed ?? '?'}) ${r.status}: loss ${r.value.toExponential(4)}${r.validationLoss !== undefined ? `, validation ${r.validationLoss.toExponential(4)}` : ''}`,
        ),
    });
    handle = h;
    process.once('SIGINT', onSigint);
    const m = await h.result;
    result = m.best;
    all = m.all;
    best = m.bestIndex;
  }
  process.removeListener('SIGINT', onSigint);
  const model = createModel(fit.model);
  if (result.nTheta < 0) {
    process.stderr.write(`nails: ${result.message}\n`);
    return 1;
  }
  const theta = result.z.slice(0, result.nTheta);
  const x0s = result.z.slice(result.nTheta);
  const parts = evaluateParts(compiled, model, theta, x0s);
  log(
    `${result.message} (${result.status}); iterations ${result.iterations}, loss ${result.value.toExponential(4)}, wall ${((performance.now() - t0) / 1000).toFixed(2)} s`,
  );
  if (result.admm)
    log(
      `ADMM: ${result.admm.message}; non-zeros ${result.admm.report.nonZeros} / ${result.admm.report.parameters}${result.admm.report.removableStates.length ? `; removable states ${result.admm.report.removableStates.join(', ')}` : ''}`,
    );
  for (const l of formatParts(parts)) log(l);
  const runsDir = o.out ?? path.join(path.dirname(path.resolve(file)), 'runs');
  const dir = newRunFolder(runsDir, name);
  const saved: SavedModel = {
    format: MODEL_FORMAT,
    experiment: name,
    model: fit.model,
    layout: model.layout.toJSON(),
    theta: [...theta],
    x0s: [...x0s],
    scaling: compiled.scaling,
    loss: compiled.resolved.loss,
    specDir: path.dirname(path.resolve(file)),
    dataDirs: o.dataDirs.map((d) => path.resolve(d)),
    created: new Date().toISOString(),
  };
  const report: RunReport = {
    experiment: name,
    method: result.method,
    status: result.status,
    message: result.message,
    value: result.value,
    iterations: result.iterations,
    elapsed: result.elapsed,
    starts: all.map((r) => ({
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      value: r.value,
      status: r.status,
      ...(r.validationLoss !== undefined ? { validationLoss: r.validationLoss } : {}),
    })),
    bestStart: best,
    parts: parts.map((p) => ({
      kind: p.kind,
      name: p.name,
      N: p.N,
      nInit: p.nInit,
      x0Method: p.x0Method,
      metrics: p.channels.map((c) => ({ ...c })),
    })),
    ...(result.admm ? { admm: result.admm } : {}),
    history: result.history,
    wallSeconds: (performance.now() - t0) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  writeRun(
    dir,
    file,
    saved,
    report,
    parts.map((p, i) => ({
      name: `${p.kind}-${p.name}`.replace(/[^\w.-]/g, '_'),
      y: compiled.parts[i]!.raw.y,
      yhat: p.yhat,
      ny: compiled.parts[i]!.raw.ny,
    })),
  );
  log(`run folder: ${dir}`);
  return result.status === 'not-finite' ? 1 : 0;
}
