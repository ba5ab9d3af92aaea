/**
 * Scores a run folder's model on any data file, without editing its spec (`nails evaluate RUN
 * --data FILE`, and the extension's "Evaluate on file…"): the model's input channels (or the ones
 * named) are read from the file, simulated from x0 estimated on the first n_init samples (least
 * squares, θ fixed; x0 = 0 without `--init`), and, when the file also holds the outputs, scored
 * after n_init samples. Predictions go to a CSV beside the run's own.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseChannelLabel } from '../core/data/channel.js';
import { interleaveChannels, makeExperiment } from '../core/data/experiment.js';
import { scaleExperiment, unscaleOutputs } from '../core/data/scaling.js';
import { pickVector, type SignalTable } from '../core/data/signal-table.js';
import { NailsError } from '../core/errors.js';
import { makeLoss } from '../core/losses/index.js';
import { channelMetrics } from '../core/metrics.js';
import { createModel } from '../core/models/model-factory.js';
import { simulateRecord } from '../core/solver/simulate-record.js';
import { estimateX0LeastSquares } from '../core/solver/x0-estimation.js';
import { readSignalTable } from '../io/data-files.js';
import { readReport, readSavedModel, writePredictions } from '../io/run-folder.js';
import type { FileEvaluation } from '../protocol/host-jobs.js';

export type { FileEvaluation };

function channel(table: SignalTable, label: string): Float64Array {
  const { name, index } = parseChannelLabel(label);
  return pickVector(table, name, index);
}

export function evaluateOnFile(
  dir: string,
  file: string,
  opts: { inputs?: string[]; outputs?: string[]; nInit?: number; out?: string } = {},
): FileEvaluation {
  const saved = readSavedModel(dir);
  const report = readReport(dir);
  const { nu, ny } = saved.model;
  const trainPart = report?.parts?.find((p) => p.kind === 'train');
  const modelOutputs =
    saved.outputs?.map((c) => c.name) ??
    trainPart?.outputs ??
    Array.from({ length: ny }, (_, c) => `y${c + 1}`);
  const inputs = opts.inputs ?? saved.inputs?.map((c) => c.name);
  if (!inputs)
    throw new NailsError(
      `${dir} does not record its input names (an older run folder); name them with --input`,
      dir,
    );
  if (inputs.length !== nu)
    throw new NailsError(
      `the model has ${nu} input${nu === 1 ? '' : 's'}; --input names ${inputs.length} (${inputs.join(', ')})`,
      'input',
    );
  if (opts.outputs && opts.outputs.length !== ny)
    throw new NailsError(
      `the model has ${ny} output${ny === 1 ? '' : 's'}; --output names ${opts.outputs.length} (${opts.outputs.join(', ')})`,
      'output',
    );
  const table = readSignalTable(file);
  const u = interleaveChannels(
    inputs.map((l) => channel(table, l)),
    file,
  );
  // Outputs: those named, else the model's names when the file has all of them, else none.
  const outNames =
    opts.outputs ??
    (modelOutputs.every((o) => table.signals.has(parseChannelLabel(o).name)) ? modelOutputs : []);
  const N = u.length / nu;
  const y = outNames.length
    ? interleaveChannels(
        outNames.map((l) => channel(table, l)),
        file,
      )
    : new Float64Array(N * ny);
  if (outNames.length && y.length / ny !== N)
    throw new NailsError(
      `${file}: the inputs have ${N} samples and the outputs ${y.length / ny}`,
      file,
    );
  const nInit = opts.nInit ?? 0;
  if (nInit > 0 && outNames.length === 0)
    throw new NailsError(
      `--init ${nInit} estimates x0 from measured outputs, but ${path.basename(file)} holds none of ${modelOutputs.join(', ')}; name them with --output`,
      'init',
    );
  if (nInit >= N)
    throw new NailsError(`--init ${nInit} leaves no samples of the ${N} in ${file}`, 'init');
  const model = createModel(saved.model);
  const theta = Float64Array.from(saved.theta);
  const raw = makeExperiment({ name: path.basename(file), u, nu, y, ny });
  const scaled = scaleExperiment(raw, saved.scaling);
  const x0 =
    nInit > 0 && model.nx > 0
      ? estimateX0LeastSquares(model, theta, scaled.u, scaled.y, {
          window: nInit,
          loss: makeLoss(saved.loss),
        }).x0
      : new Float64Array(model.nx);
  const sim = simulateRecord(model, theta, scaled.u, N, x0);
  const yhat = unscaleOutputs(sim.y, saved.scaling);
  const predictions =
    opts.out ??
    path.join(dir, 'predictions', `file-${path.parse(file).name.replace(/[^\w.-]/g, '_')}.csv`);
  mkdirSync(path.dirname(predictions), { recursive: true });
  writePredictions(predictions, yhat, ny, outNames.length ? y : undefined);
  return {
    file,
    N,
    nInit,
    inputs,
    outputs: outNames,
    modelOutputs,
    units: modelOutputs.map((_, c) => saved.outputs?.[c]?.unit),
    ...(outNames.length && sim.finite ? { metrics: channelMetrics(y, yhat, ny, nInit) } : {}),
    finite: sim.finite,
    predictions,
  };
}
