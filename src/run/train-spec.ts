/**
 * One training run of a spec, shared by the command line and the extension: check the spec,
 * compile it, train in solver worker threads (several starts on a pool when asked), score every
 * part, and write the run folder. Progress, log lines and cancellation go through `hooks`.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { NailsError } from '../core/errors.js';
import {
  givenLinearStageSummary,
  METHODS,
  prepareFit,
  sameValue,
  type FitSpec,
  type Method,
} from '../core/fit-job.js';
import { isClassificationLoss } from '../core/losses/index.js';
import { createModel } from '../core/models/model-factory.js';
import type { IterationRecord } from '../core/solver/types.js';
import {
  MODEL_FORMAT,
  predictionName,
  newRunFolder,
  runRelative,
  writeRun,
  type RunReport,
  type SavedModel,
} from '../io/run-folder.js';
import { compileSpec, initZ } from '../language/compiler.js';
import { readInitPoint } from '../language/init-file.js';
import type { PartResult } from '../language/evaluate.js';
import { checkSpecFile, type SpecCheck } from '../language/load-spec.js';
import type { SerializedResult } from '../protocol/worker-messages.js';
import { startFit, startMultiStart, type FitRunOptions } from '../worker/solver-host.js';
import { inputChannels, partChannels } from './channels.js';
import { baselineLine, linearBaseline } from './linear-baseline.js';
import {
  applyLinearEstimate,
  rememberLinearEstimate,
  shareLinearStage,
  type LinearEstimates,
  type LinearStagesInFlight,
} from './linear-estimates.js';
import { releaseMemory, RELEASE_MEMORY_SAMPLES } from './release-memory.js';
import { scoreParts } from './score-parts.js';

export { scoreParts } from './score-parts.js';

export interface TrainOptions {
  dataDirs: string[];
  /** Folder for run folders (default: runs/ beside the spec). */
  out?: string;
  method?: string;
  iterations?: number;
  starts?: number;
  /** Warm start from a run's model.json or a JSON of named blocks (overrides the spec's `init`). */
  init?: string;
  /** Overrides the spec's model seed (the initial θ) and the first multi-start seed. */
  seed?: number;
  /** The spec's text, checked as if it were the file's (a sweep's modified spec); default: the file. */
  specText?: string;
  /** The exact run folder to write (created when absent); default: a new folder under `out`. */
  runDir?: string;
  /** A solver worker thread lent by a pool (single-start fits; see FitRunOptions.worker). */
  solverWorker?: Worker;
  /** Bundled worker (default: worker.cjs beside the running bundle). */
  workerPath?: string;
  /** Milliseconds a cancelled solver has to answer before its thread is terminated (default 5000). */
  graceMs?: number;
  /**
   * Linear-stage estimates shared with other fits (a sweep's): used when this fit's stage is
   * among them, and this fit's added otherwise (linear-estimates.ts).
   */
  linearEstimates?: LinearEstimates;
  /** Stages being computed by fits running beside this one (a local sweep's lanes; linear-estimates.ts). */
  linearInFlight?: LinearStagesInFlight;
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
  /** Model states nx of the trained model. */
  states?: number;
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
    const check = await checkSpecFile(file, o.dataDirs, o.specText);
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
    if (o.init !== undefined) {
      const model = createModel(compiled.fit.model);
      const { point, errors } = readInitPoint(path.resolve(o.init), model);
      if (!point) throw new NailsError(`--init ${o.init}: ${errors.join('; ')}`, 'init');
      compiled.fit.init = { z: initZ(point, model.nx, compiled.fit.trainX0, compiled.parts) };
    }
    if (o.seed !== undefined) {
      compiled.seed = o.seed;
      if ('seed' in compiled.fit.init) compiled.fit.init = { seed: o.seed };
    }
    const name = compiled.resolved.name;
    const fit = compiled.fit;
    const samples = fit.train.reduce((s, e) => s + e.N, 0);
    log(
      `${name}: ${fit.method.toUpperCase()}${fit.regularize ? ' + ADMM' : ''}, ${compiled.starts} start(s), model ${fit.model.kind} nx = ${fit.model.nx}; training samples ${samples}`,
    );
    // Long records only: the collection blocks this thread for tens of milliseconds, which a
    // sweep's short fits (whose main thread serves every lane) would pay once per fit.
    if (samples >= RELEASE_MEMORY_SAMPLES) releaseMemory();
    const t0 = performance.now();
    const workerOpt = {
      ...(o.workerPath ? { workerPath: o.workerPath } : {}),
      graceMs: o.graceMs ?? 5000,
    };
    let result: SerializedResult;
    let all: SerializedResult[];
    let best = 0;
    const linearKey = applyLinearEstimate(fit, o.linearEstimates);
    const lent = o.solverWorker ? { worker: o.solverWorker } : {};
    /** The linear stage alone: a run of `fit` with no solver iterations returns it. */
    const linearStageAlone = async (run: FitRunOptions) => {
      const probe: FitSpec = {
        ...fit,
        options: { ...fit.options, maxIterations: 0 },
        linear: { ...fit.linear!, init: false },
      };
      delete probe.regularize;
      delete probe.validation;
      const h = startFit(probe, run);
      cancelFn = () => h.cancel();
      if (cancelled) h.cancel();
      return (await h.result).linear;
    };
    if (compiled.starts === 1) {
      const share = shareLinearStage(fit, linearKey, o.linearEstimates, o.linearInFlight);
      try {
        const h = startFit(share.spec, {
          ...workerOpt,
          ...lent,
          progressIntervalMs: 250,
          onProgress: (r) => hooks.progress?.(r, 0),
          onLinearStage: (s) => share.publish(s),
        });
        cancelFn = () => h.cancel();
        if (cancelled) h.cancel();
        result = await h.result;
      } finally {
        share.publish(undefined);
      }
      if (share.awaited && fit.linear) {
        // Trained without the stage another fit was computing: its estimate gives this fit's
        // baseline (the stage runs here only when that fit had none to give).
        const other = await share.awaited;
        const summary = other?.estimate
          ? givenLinearStageSummary({ ...fit, linear: fit.linear }, other.estimate)
          : (other ?? (cancelled ? undefined : await linearStageAlone({ ...workerOpt, ...lent })));
        if (summary) result = { ...result, linear: summary };
      }
      all = [result];
    } else {
      if (fit.linear && !fit.linear.estimate) {
        // The linear stage once for all starts.
        const estimate = (await linearStageAlone(workerOpt))?.estimate;
        if (estimate) fit.linear = { ...fit.linear, estimate };
        if (!cancelled) rememberLinearEstimate(o.linearEstimates, linearKey, estimate);
      }
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
    if (result.status !== 'cancelled')
      rememberLinearEstimate(o.linearEstimates, linearKey, result.linear?.estimate);
    if (result.cancel?.terminated)
      log(`warning: ${result.message} (after ${Math.round(result.cancel.answeredMs)} ms)`);
    // From here on the run has parameters: it always ends in a run folder, even if scoring fails.
    const runsDir = o.out ?? path.join(path.dirname(path.resolve(file)), 'runs');
    const runDir = o.runDir ?? newRunFolder(runsDir, name);
    if (o.runDir) mkdirSync(path.join(runDir, 'predictions'), { recursive: true });
    const model = createModel(fit.model);
    if (result.nTheta < 0) result = recoverTerminated(result, fit);
    const theta = result.z.slice(0, result.nTheta);
    const x0s = result.z.slice(result.nTheta);
    const { parts, scoringError } = scoreParts(compiled, model, theta, x0s);
    if (scoringError) log(`scoring the parts failed: ${scoringError}`);
    const channels = partChannels(compiled);
    const linear = result.linear ? linearBaseline(compiled, result.linear) : undefined;
    if (result.linear && !linear) log(`linear baseline: none (${result.linear.note ?? 'not run'})`);
    if (linear) log(baselineLine(linear.baseline));
    if (result.screen) {
      const sc = result.screen;
      log(
        `screening: ${sc.seeds.length} starts, ${sc.iterations} iterations each, losses ${sc.values.map((v) => v.toExponential(3)).join(', ')}; seed ${sc.chosen} continued`,
      );
    }
    if (result.shooting) {
      const sh = result.shooting;
      log(
        `multiple shooting: ${sh.windows} windows of about ${sh.window} samples, ${sh.iterations} iterations (${sh.status}), shooting loss ${sh.value.toExponential(4)}, free-run loss ${sh.singleValue.toExponential(4)} before the refinement`,
      );
    }
    const trainIndex = compiled.parts.findIndex((p) => p.kind === 'train');
    const dataFiles = [
      ...new Set(
        compiled.resolved.data.parts.flatMap((p) =>
          [...p.inputSources, ...p.outputSources].map((s) =>
            specRelative(s.file, path.dirname(path.resolve(file)), o.dataDirs),
          ),
        ),
      ),
    ];
    const saved: SavedModel = {
      format: MODEL_FORMAT,
      experiment: name,
      model: fit.model,
      layout: model.layout.toJSON(),
      theta: [...theta],
      x0s: [...x0s],
      scaling: compiled.scaling,
      loss: compiled.resolved.loss,
      // Relative to the run folder: the run folder can move with its spec (readSavedModel).
      specDir: runRelative(runDir, path.dirname(path.resolve(file))),
      dataDirs: o.dataDirs.map((d) => runRelative(runDir, d)),
      created: new Date().toISOString(),
      ...(compiled.resolved.data.Ts !== undefined ? { Ts: compiled.resolved.data.Ts } : {}),
      inputs: inputChannels(compiled),
      outputs: channels[Math.max(trainIndex, 0)] ?? [],
      ...(dataFiles.length ? { dataFiles } : {}),
    };
    const report: RunReport = {
      experiment: name,
      method: result.method,
      status: result.status,
      stopTest: result.stopTest,
      message: scoringError ? `${result.message}; scoring failed: ${scoringError}` : result.message,
      value: result.value,
      initialValue: result.initialValue,
      firstOrder: Number.isFinite(result.firstOrder) ? result.firstOrder : null,
      recovery: result.recovery,
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
      parts: parts.map((p, i) => ({
        kind: p.kind,
        name: p.name,
        N: p.N,
        nInit: p.nInit,
        x0Method: p.x0Method,
        outputs: channels[i]!.map((c) => c.name),
        ...(channels[i]!.every((c) => c.unit) ? { units: channels[i]!.map((c) => c.unit!) } : {}),
        metrics: p.channels.map((c) => ({ ...c })),
        ...(p.metric ? { metric: p.metric } : {}),
      })),
      ...(compiled.resolved.data.Ts !== undefined ? { Ts: compiled.resolved.data.Ts } : {}),
      ...(result.admm ? { admm: result.admm } : {}),
      ...(result.shooting ? { shooting: result.shooting } : {}),
      ...(result.screen ? { screen: result.screen } : {}),
      history: result.history,
      wallSeconds: (performance.now() - t0) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      ...(result.kernel ? { kernel: result.kernel } : {}),
      ...(linear ? { linearBaseline: linear.baseline } : {}),
      ...(result.cancel ? { cancel: result.cancel } : {}),
      ...(scoringError ? { scoringError } : {}),
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
      linear
        ? {
            ...saved,
            model: linear.model.config,
            layout: linear.model.layout.toJSON(),
            theta: [...linear.theta],
            x0s: [...linear.x0s],
            baseline: linear.baseline,
          }
        : undefined,
      o.specText,
    );
    return { check, result, all, parts, runDir, report, states: fit.model.nx };
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
 * A data file as the spec finds it (portable, unlike the resolved absolute path): relative to the
 * spec's folder when it is inside it, else to the data directory holding it, with forward slashes.
 */
function specRelative(file: string, specFolder: string, dataDirs: readonly string[]): string {
  const inside = (base: string) => {
    const r = path.relative(path.resolve(base), file);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : undefined;
  };
  const r =
    inside(specFolder) ??
    dataDirs.map(inside).find((x) => x !== undefined) ??
    path.relative(specFolder, file);
  return r.split(path.sep).join('/');
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
