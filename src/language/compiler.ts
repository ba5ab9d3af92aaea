/**
 * From a checked spec to what the solver runs: loads (or generates) the data, cuts the parts,
 * fits the scaling on the training part, and builds the FitSpec the worker executes. The editor,
 * the command line and the tests all train through this one function.
 */
import type { TermConfig } from '../core/admm/terms.js';
import {
  experimentView,
  interleaveChannels,
  makeExperiment,
  sliceExperiment,
  type Experiment,
} from '../core/data/experiment.js';
import { scaleExperiments } from '../core/data/scaled-signals.js';
import { fitStandardScaling, identityScaling, type Scaling } from '../core/data/scaling.js';
import { decimate } from '../core/data/decimate.js';
import { pickVector } from '../core/data/signal-table.js';
import { NailsError } from '../core/errors.js';
import type { FitSpec } from '../core/fit-job.js';
import { generateBinaryOutput } from '../core/generators/binary-output.js';
import { isClassificationLoss } from '../core/losses/index.js';
import type { ResolvedPart, ResolvedSpec } from './analysis.js';
import { readDataTable } from './data-headers.js';
import type { SignalSource } from './part-signals.js';

export interface CompiledPart {
  kind: ResolvedPart['kind'];
  name: string;
  /** Engineering units. */
  raw: Experiment;
  /** Scaled units (what the model sees). */
  scaled: Experiment;
  nInit: number;
  /** Output channel names as the data name them (y1, y2, … for generated data). */
  outputs: string[];
}

export interface CompiledSpec {
  resolved: ResolvedSpec;
  fit: FitSpec;
  scaling: Scaling;
  parts: CompiledPart[];
  starts: number;
  select: 'train' | 'validation';
  seed: number;
}

/**
 * The raw (engineering-unit) experiment of each part, before scaling. A part's one-channel
 * signals are views of the data file's columns (read once, cached with the header the spec check
 * read: data-headers.ts), not copies; several channels are interleaved into one array.
 */
function loadParts(r: ResolvedSpec): { part: ResolvedPart; exp: Experiment }[] {
  if (r.data.kind === 'generate') {
    const full = generateBinaryOutput({ seed: r.data.seed, samples: r.data.samples }).full;
    return r.data.parts.map((p) => ({
      part: p,
      exp: p.range
        ? sliceExperiment(full, p.range[0], p.range[1], p.name)
        : { ...full, name: p.name },
    }));
  }
  return r.data.parts
    .filter((p) => p.inputSources.length > 0 && p.outputSources.length > 0)
    .map((p) => {
      const channel = (src: SignalSource): Float64Array => {
        const all = pickVector(readDataTable(src.file), src.name, src.index);
        const [a, b] = p.range ?? [0, all.length];
        if (p.decimate) return decimate(all, p.decimate.factor, p.decimate.filter, a, b);
        return a === 0 && b === all.length ? all : all.subarray(a, b);
      };
      const u = p.inputSources.map(channel);
      const y = p.outputSources.map(channel);
      const exp = makeExperiment({
        name: p.name,
        u: interleaveChannels(u, p.name),
        nu: u.length,
        y: interleaveChannels(y, p.name),
        ny: y.length,
      });
      return { part: p, exp };
    });
}

/** z = (θ, x0 of every training experiment) from an `init from` point (x0 repeated when one is given). */
export function initZ(
  init: { theta: Float64Array; x0: Float64Array },
  nx: number,
  trainX0: boolean,
  parts: CompiledPart[],
): Float64Array {
  const E = parts.filter((p) => p.kind === 'train').length;
  if (trainX0 && init.x0.length !== nx && init.x0.length !== E * nx)
    throw new NailsError(
      `the starting point's x0 has ${init.x0.length} values; the model needs ${nx} (or ${E} experiments × ${nx})`,
      'init',
    );
  const z = new Float64Array(init.theta.length + (trainX0 ? E * nx : 0));
  z.set(init.theta);
  if (trainX0)
    for (let j = 0; j < E; j++)
      for (let i = 0; i < nx; i++)
        z[init.theta.length + j * nx + i] =
          init.x0.length === nx ? init.x0[i]! : init.x0[j * nx + i]!;
  return z;
}

/** The data's names of the output signals, or y1…y_ny where the data give none. */
function channelNames(names: readonly string[], ny: number): string[] {
  return Array.from({ length: ny }, (_, c) => names[c] ?? `y${c + 1}`);
}

export function compileSpec(r: ResolvedSpec): CompiledSpec {
  const loaded = loadParts(r);
  // A validation share is carved from the end of the (first) training part.
  const share = r.data.parts.find((p) => p.kind === 'validation' && p.fraction !== undefined);
  if (share) {
    const train = loaded.find((l) => l.part.kind === 'train');
    if (!train) throw new NailsError('a validation share needs a train part', 'validation');
    const N = train.exp.N;
    const cut = Math.max(1, Math.min(N - 1, Math.round(N * (1 - share.fraction!))));
    loaded.push({
      part: { ...share, nInit: share.nInit },
      exp: experimentView(train.exp, cut, N, share.name),
    });
    train.exp = experimentView(train.exp, 0, cut, train.exp.name);
  }
  const trainRaw = loaded.filter((l) => l.part.kind === 'train').map((l) => l.exp);
  if (trainRaw.length === 0) throw new NailsError('the spec has no training data', 'train');
  const scaling =
    r.data.scale === 'standard'
      ? fitStandardScaling(trainRaw)
      : identityScaling(trainRaw[0]!.nu, trainRaw[0]!.ny);
  // Classification losses need the targets as they are (0/1): only the inputs are scaled.
  if (isClassificationLoss(r.loss)) {
    scaling.yMean = scaling.yMean.map(() => 0);
    scaling.yStd = scaling.yStd.map(() => 1);
  }
  const trainOutputs = loaded.find((l) => l.part.kind === 'train')!.part.outputs;
  // One scaled copy per distinct signal, in shared memory (solver threads get it without a copy).
  const scaled = scaleExperiments(
    loaded.map((l) => l.exp),
    scaling,
  );
  const parts: CompiledPart[] = loaded.map((l, i) => ({
    kind: l.part.kind,
    name: l.part.name,
    raw: l.exp,
    scaled: scaled[i]!,
    nInit: l.part.nInit,
    outputs: channelNames(l.part.outputs.length ? l.part.outputs : trainOutputs, l.exp.ny),
  }));
  const model = { ...r.model, nu: trainRaw[0]!.nu, ny: trainRaw[0]!.ny };
  const terms: TermConfig[] = r.terms;
  const fit: FitSpec = {
    model,
    train: parts.filter((p) => p.kind === 'train').map((p) => p.scaled),
    loss: r.loss,
    rhoTheta: r.rhoTheta,
    rhoX0: r.rhoX0,
    trainX0: model.nx > 0,
    method: r.solver.method,
    options: r.solver.options,
    init: r.init ? { z: initZ(r.init, model.nx, model.nx > 0, parts) } : { seed: r.modelSeed },
    ...(r.linear ? { linear: r.linear } : {}),
    ...(parts.some((p) => p.kind === 'validation')
      ? { validation: parts.filter((p) => p.kind === 'validation').map((p) => p.scaled) }
      : {}),
    ...(terms.length > 0 ? { regularize: { terms, admm: r.solver.admm } } : {}),
    ...(r.solver.shooting && r.solver.shooting.window >= 2 ? { shooting: r.solver.shooting } : {}),
    ...(r.solver.screen && r.solver.screen > 1
      ? {
          screen: {
            starts: r.solver.screen,
            iterations: screenIterations(r.solver.options.maxIterations ?? 100),
          },
        }
      : {}),
  };
  return {
    resolved: r,
    fit,
    scaling,
    parts,
    starts: r.solver.starts,
    select: r.solver.select,
    seed: r.modelSeed,
  };
}

/** The iterations each screened start runs: an eighth of the budget, at least 5. */
export function screenIterations(maxIterations: number): number {
  return Math.max(5, Math.round(maxIterations / 8));
}
