/**
 * `nails new DATA`: a starter spec for a data file, with settings recommended from the data
 * (core/recommend.ts) and the reason for each written beside it as a comment.
 *
 * Signals: `inputs`/`outputs` as given (names or `name[k]` channels); otherwise the file's vectors
 * whose names start with u/in (inputs) and y/out (outputs), when that finds at least one of each.
 * Split: `testInputs`/`testOutputs` name a separate test record (e.g. uVal/yVal beside uEst/yEst);
 * otherwise the first 70 % train and the last 30 % test. The linear stage's singular values come
 * from PO-MOESP (horizon 10) on the standardised training signals (at most the first 20,000
 * samples); with too few samples or non-finite values there is no order estimate.
 */
import * as path from 'node:path';
import {
  channelProblem,
  channelShape,
  channelValues,
  parseChannelLabel,
} from '../core/data/channel.js';
import { inferSamplingTime } from '../core/data/data-summary.js';
import { interleaveChannels, makeExperiment } from '../core/data/experiment.js';
import type { SignalTable } from '../core/data/signal-table.js';
import { NailsError } from '../core/errors.js';
import { ORDER_SAMPLES, orderSingularValues } from '../core/linear/order-singular-values.js';
import { recommendSettings, type Recommendation } from '../core/recommend.js';
import { readSignalTable } from '../io/data-files.js';

export interface NewSpecOptions {
  inputs?: string[];
  outputs?: string[];
  testInputs?: string[];
  testOutputs?: string[];
  /** Seconds; otherwise from the file, otherwise 1 s (said in a comment). */
  sampling?: number;
  /** Experiment name (an identifier); otherwise from the file name. */
  name?: string;
  /** Test samples that estimate x0 (not scored); otherwise recommended. */
  init?: number;
  /** One record: the first test sample (train 0..split, test split..N); otherwise 70 %. */
  split?: number;
}

export interface NewSpec {
  text: string;
  recommendation: Recommendation;
  inputs: string[];
  outputs: string[];
  /** Training and test samples. */
  nTrain: number;
  nTest: number;
}

const TRAIN_FRACTION = 0.7;

function vectors(table: SignalTable): string[] {
  return [...table.signals]
    .filter(([, s]) => channelShape(s).channels === 1 && s.rows * s.cols > 1)
    .map(([n]) => n);
}

const TEST_SUFFIX = /_?(val|valid|validation|test|tst)$/i;
const TRAIN_SUFFIX = /_?(est|train|trn|id)$/i;

/**
 * Inputs u…/in… and outputs y…/out… among the file's vectors; names ending in val/test are the
 * test record's, used as such when every guessed signal has one (uEst ↔ uVal, U ↔ U_val).
 */
function guess(
  table: SignalTable,
  file: string,
): { inputs: string[]; outputs: string[]; testInputs?: string[]; testOutputs?: string[] } {
  const names = vectors(table);
  const trainNames = names.filter((n) => !TEST_SUFFIX.test(n));
  const inputs = trainNames.filter((n) => /^(u|in)/i.test(n));
  const outputs = trainNames.filter((n) => /^(y|out)/i.test(n));
  if (inputs.length === 0 || outputs.length === 0)
    throw new NailsError(
      `${path.basename(file)}: name the signals with --input and --output (its vectors: ${names.join(', ') || 'none'})`,
      'input',
    );
  const stem = (n: string, suffix: RegExp) => n.replace(suffix, '').toLowerCase();
  const partner = (n: string) =>
    names.find((t) => TEST_SUFFIX.test(t) && stem(t, TEST_SUFFIX) === stem(n, TRAIN_SUFFIX));
  const testInputs = inputs.map(partner);
  const testOutputs = outputs.map(partner);
  return [...testInputs, ...testOutputs].every((t) => t !== undefined)
    ? { inputs, outputs, testInputs: testInputs as string[], testOutputs: testOutputs as string[] }
    : { inputs, outputs };
}

function column(table: SignalTable, label: string, file: string): Float64Array {
  const { name, index } = parseChannelLabel(label);
  const s = table.signals.get(name);
  if (!s)
    throw new NailsError(
      `${path.basename(file)} has no numeric variable '${name}' (it has: ${[...table.signals.keys()].join(', ')})`,
      name,
    );
  const problem = channelProblem(s, name, index);
  if (problem) throw new NailsError(problem, name);
  return channelValues(s, name, index);
}

/** Singular values of the linear stage on the training signals, or [] when it cannot run. */
function singularValues(u: Float64Array, y: Float64Array, nu: number, ny: number): number[] {
  try {
    const N = Math.min(y.length / ny, ORDER_SAMPLES);
    const e = makeExperiment({ u: u.subarray(0, N * nu), y: y.subarray(0, N * ny), nu, ny });
    return orderSingularValues([e]).singularValues;
  } catch {
    return [];
  }
}

function identifier(file: string): string {
  const base = path.basename(file).replace(/\.[^.]*$/, '');
  const id = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1');
  return id || 'experiment';
}

function formatNumber(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

/**
 * Reads `dataFile` (resolved against `dataDir`) and writes the spec text for a spec that will live
 * in `specDir` (the data file is named relative to it).
 */
export function newSpec(
  dataFile: string,
  specDir: string,
  o: NewSpecOptions = {},
  dataDir = '.',
): NewSpec {
  const table = readSignalTable(dataFile, dataDir);
  const full = path.resolve(dataDir, dataFile);
  if ((o.testInputs === undefined) !== (o.testOutputs === undefined))
    throw new NailsError('give --test-input and --test-output together', 'test');
  if ((o.inputs === undefined) !== (o.outputs === undefined))
    throw new NailsError('give --input and --output together', 'input');
  const named =
    o.inputs && o.outputs
      ? {
          inputs: o.inputs,
          outputs: o.outputs,
          testInputs: o.testInputs,
          testOutputs: o.testOutputs,
        }
      : {
          ...guess(table, full),
          ...(o.testInputs ? { testInputs: o.testInputs, testOutputs: o.testOutputs } : {}),
        };
  const { inputs, outputs, testInputs, testOutputs } = named;
  const read = (labels: string[]) => labels.map((l) => column(table, l, full));
  const uCols = read(inputs);
  const yCols = read(outputs);
  const lengths = new Set([...uCols, ...yCols].map((c) => c.length));
  if (lengths.size > 1)
    throw new NailsError(
      `${inputs.join(', ')} and ${outputs.join(', ')} differ in length (${[...lengths].join(' vs ')} samples)`,
      'input',
    );
  const N = uCols[0]!.length;
  const separate = testInputs !== undefined && testOutputs !== undefined;
  const nTest = separate
    ? (() => {
        const cols = [...read(testInputs), ...read(testOutputs)];
        if (testInputs.length !== inputs.length || testOutputs.length !== outputs.length)
          throw new NailsError(
            `the test record needs ${inputs.length} input(s) and ${outputs.length} output(s), like the training record`,
            'test',
          );
        return cols[0]!.length;
      })()
    : N - (o.split ?? Math.round(TRAIN_FRACTION * N));
  if (separate && o.split !== undefined)
    throw new NailsError(
      '--split divides one record; the test record is named separately here',
      'split',
    );
  const nTrain = separate ? N : (o.split ?? Math.round(TRAIN_FRACTION * N));
  if (nTrain < 2 || nTest < 2)
    throw new NailsError(`${N} samples are too few to split into training and test parts`, 'train');
  const nu = inputs.length;
  const ny = outputs.length;
  const u = interleaveChannels(
    uCols.map((c) => c.subarray(0, nTrain)),
    'input',
  );
  const y = interleaveChannels(
    yCols.map((c) => c.subarray(0, nTrain)),
    'output',
  );
  const recommended = recommendSettings({
    N: nTrain,
    nu,
    ny,
    nTest,
    singularValues: singularValues(u, y, nu, ny),
  });
  const rec =
    o.init === undefined
      ? recommended
      : {
          ...recommended,
          init: o.init,
          reasons: { ...recommended.reasons, init: `${o.init} test samples estimate x0 (--init)` },
        };
  if (rec.init >= nTest)
    throw new NailsError(
      `--init ${rec.init} leaves no test sample to score (the test part has ${nTest})`,
      'init',
    );
  const inferred = inferSamplingTime(table);
  const Ts = o.sampling ?? inferred?.Ts;
  // Relative to the spec when it lies below the spec's folder, else absolute.
  const below = path.relative(specDir, full);
  const rel = (below.startsWith('..') ? full : below).split(path.sep).join('/');
  const list = (l: string[]) => l.join(', ');
  const dataLines = separate
    ? [
        `  train { input ${list(inputs)} output ${list(outputs)} }`,
        `  test { input ${list(testInputs)} output ${list(testOutputs)} init ${rec.init} }   // ${rec.reasons.init}`,
      ]
    : [
        `  input ${list(inputs)}`,
        `  output ${list(outputs)}`,
        `  init ${rec.init}   // ${rec.reasons.init}`,
        `  train 0..${nTrain}${o.split === undefined ? '   // the first 70 %' : ''}`,
        `  test ${nTrain}..${N}`,
      ];
  const text = [
    `// Starter spec written by \`nails new\` from ${path.basename(full)}: ${nTrain} training and ${nTest} test samples.`,
    `// The settings are recommendations from the data (the reason beside each); change them freely.`,
    `experiment ${o.name ?? identifier(full)}`,
    '',
    'data {',
    `  file "${rel}"`,
    `  sampling ${formatNumber(Ts ?? 1)} s${
      o.sampling !== undefined
        ? ''
        : inferred
          ? `   // from ${inferred.how}`
          : '   // not stored in the file: set the real sampling time'
    }`,
    ...dataLines,
    '  scale standard',
    '}',
    '',
    'model rnn {',
    `  states ${rec.states}   // ${rec.reasons.states}`,
    `  state { hidden [${rec.hidden}] activation ${rec.activation} linear }   // ${rec.reasons.hidden}`,
    `  output { hidden [${rec.hidden}] activation ${rec.activation} linear }`,
    '  seed 1',
    '}',
    '',
    'loss mse',
    '',
    'regularize {',
    `  l2 weights ${rec.l2.toExponential(0)} x0 ${rec.l2.toExponential(0)}   // ${rec.reasons.l2}`,
    '}',
    '',
    `solver ${rec.method} {   // ${rec.reasons.solver}`,
    `  iterations ${rec.iterations}`,
    '}',
    '',
  ].join('\n');
  return { text, recommendation: rec, inputs, outputs, nTrain, nTest };
}
