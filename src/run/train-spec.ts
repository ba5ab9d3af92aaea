/**
 * One training run of a spec, shared by the command line and the extension: check the spec,
 * compile it, train in solver worker threads (several starts on a pool when asked), score every
 * part, and write the run folder. Progress, log lines and cancellation go through `hooks`.
 */
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { METHODS, prepareFit, sameValue, type FitSpec, type Method } from '../core/fit-job.js';
import { isClassificationLoss } from '../core/losses/index.js';
import { createModel } from '../core/models/model-factory.js';
import type { IterationRecord } from '../core/solver/types.js';
import {
  MODEL_FORMAT,
  predictionName,
  newRunFolder,
  writeRun,
  type RunReport,
  type SavedModel,
} from '../io/run-folder.js';
import { compileSpec } from '../language/compiler.js';
import { evaluateParts, type PartResult } from '../language/evaluate.js';
import { checkSpecFile, type SpecCheck } from '../language/load-spec.js';
import type { SerializedResult } from '../protocol/worker-messages.js';
import { startFit, startMultiStart } from '../worker/solver-host.js';

export interface TrainOptions {
  dataDirs: string[];
  /** Folder for run folders (default: runs/ beside the spec). */
  out?: string;
  method?: string;
  iterations?: number;
  starts?: number;
  /** Overrides the spec's model seed (the initial θ) and the first multi-start seed. */
  seed?: number;
  /** Bundled worker (default: worker.cjs beside the running bundle). */
  workerPath?: string;
  /** Milliseconds a cancelled solver has to answer before its thread is terminated (default 5000). */
  graceMs?: number;
}

export interface TrainHooks {
  log?: (line: string) => void;
  /** Progress of a start (index 0 for a single start). */
  progress?: (record: IterationRecord, start: number) => void;
  startDone?: (start: number, r: SerializedResult) => void;
}

export interface TrainOutcome {
  check: SpecCheck;
  /** Present when the spec checked and training ran. */
  result?: SerializedResult;
  all?: SerializedResult[];
  parts?: PartResult[];
  runDir?: string;
  report?: RunReport;
}

export interface TrainHandle {
  outcome: Promise<TrainOutcome>;
  /** Stops the solver(s): the best parameters so far are kept and written. */
  cancel(): void;
}

export function trainSpec(file: string, o: TrainOptions, hooks: TrainHooks = {}): TrainHandle {
  let cancelFn: (() => void) | undefined;
  let cancelled = false;
  const outcome = (async (): Promise<TrainOutcome> => {
    const log = hooks.log ?? (() => undefined);
    const check = await checkSpecFile(file, o.dataDirs);
    if (check.errors > 0 || !check.analysis.resolved) return { check };
    const compiled = compileSpec(check.analysis.resolved);
    if (o.method !== undefined) {
      if (!(METHODS as readonly string[]).includes(o.method))
        throw new NailsError(
          `method must be one of ${METHODS.join(', ')}, got '${o.method}'`,
          'method',
        );
      if (compiled.fit.regularize && (o.method === 'adam' || o.method === 'lbfgs'))
        throw new NailsError(
          `method ${o.method} cannot run the spec's ADMM terms; use nails or nailm`,
          'method',
        );
      compiled.fit.method = o.method as Method;
    }
    if (o.iterations !== undefined) compiled.fit.options.maxIterations = o.iterations;
    if (o.starts !== undefined) compiled.starts = o.starts;
    if (o.seed !== undefined) {
      compiled.seed = o.seed;
      if ('seed' in compiled.fit.init) compiled.fit.init = { seed: o.seed };
    }
    const name = compiled.resolved.name;
    const fit = compiled.fit;
    log(
      `${name}: ${fit.method.toUpperCase()}${fit.regularize ? ' + ADMM' : ''}, ${compiled.starts} start(s), model ${fit.model.kind} nx = ${fit.model.nx}; training samples ${fit.train.reduce((s, e) => s + e.N, 0)}`,
    );
    const t0 = performance.now();
    const workerOpt = {
      ...(o.workerPath ? { workerPath: o.workerPath } : {}),
      graceMs: o.graceMs ?? 5000,
    };
    let result: SerializedResult;
    let all: SerializedResult[];
    let best = 0;
    if (compiled.starts === 1) {
      const h = startFit(fit, {
        ...workerOpt,
        progressIntervalMs: 250,
        onProgress: (r) => hooks.progress?.(r, 0),
      });
      cancelFn = () => h.cancel();
      if (cancelled) h.cancel();
      result = await h.result;
      all = [result];
    } else {
      const h = startMultiStart(fit, {
        ...workerOpt,
        starts: compiled.starts,
        seed: compiled.seed,
        select: compiled.select,
        progressIntervalMs: 500,
        onStartProgress: (i, r) => hooks.progress?.(r, i),
        onStartDone: (i, r) => {
          log(
            `start ${i + 1} (seed ${r.seed ?? '?'}) ${r.status}: loss ${r.value.toExponential(4)}${r.validationLoss !== undefined ? `, validation ${r.validationLoss.toExponential(4)}` : ''}`,
          );
          hooks.startDone?.(i, r);
        },
      });
      cancelFn = () => h.cancel();
      if (cancelled) h.cancel();
      const m = await h.result;
      result = m.best;
      all = m.all;
      best = m.bestIndex;
    }
    const model = createModel(fit.model);
    if (result.nTheta < 0) result = recoverTerminated(result, fit);
    const theta = result.z.slice(0, result.nTheta);
    const x0s = result.z.slice(result.nTheta);
    const parts = evaluateParts(compiled, model, theta, x0s);
    const runsDir = o.out ?? path.join(path.dirname(path.resolve(file)), 'runs');
    const runDir = newRunFolder(runsDir, name);
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
      valueRow: valueRow(result),
      classification: isClassificationLoss(compiled.resolved.loss),
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
        outputs: p.outputs,
        metrics: p.channels.map((c) => ({ ...c })),
      })),
      ...(result.admm ? { admm: result.admm } : {}),
      history: result.history,
      wallSeconds: (performance.now() - t0) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      ...(result.kernel ? { kernel: result.kernel } : {}),
    };
    writeRun(
      runDir,
      file,
      saved,
      report,
      parts.map((p, i) => ({
        name: predictionName(p.kind, p.name),
        y: compiled.parts[i]!.raw.y,
        yhat: p.yhat,
        ny: compiled.parts[i]!.raw.ny,
      })),
    );
    return { check, result, all, parts, runDir, report };
  })();
  return {
    outcome,
    cancel() {
      cancelled = true;
      cancelFn?.();
    },
  };
}

/**
 * A result whose worker was terminated after cancel (no θ split known): the last reported z,
 * or the start when none was reported, so the run folder is still complete.
 */
function recoverTerminated(r: SerializedResult, fit: FitSpec): SerializedResult {
  const { z0, problem } = prepareFit(fit);
  return { ...r, z: r.z.length === z0.length ? r.z : z0, nTheta: problem.model.nTheta };
}

/** Which history row the reported value is: the last (the returned point) or else the best. */
function valueRow(r: SerializedResult): 'last' | 'best' {
  const last = r.history[r.history.length - 1];
  return !last || sameValue(last.value, r.value) ? 'last' : 'best';
}
