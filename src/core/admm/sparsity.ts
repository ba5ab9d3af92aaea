/**
 * What a sparse or quantised model looks like: non-zeros per block, states and inputs that can
 * be removed (every weight of their group is zero), distinct values used; and the reduced model
 * without those states and inputs, which simulates identically.
 */
import { NailsError } from '../errors.js';
import type { Model } from '../models/model.js';
import { StateSpaceNet, type StateSpaceNetConfig } from '../models/state-space-net.js';
import { inputGroups, stateGroups } from './groups.js';

export interface BlockReport {
  name: string;
  rows: number;
  cols: number;
  nonZeros: number;
  /** Distinct values (up to 64 listed; `distinct` counts them all). */
  distinct: number;
  levels: number[];
}

export interface SparsityReport {
  blocks: BlockReport[];
  nonZeros: number;
  parameters: number;
  /** 0-based states and inputs whose whole group is zero. */
  removableStates: number[];
  removableInputs: number[];
}

/** z = (θ, x0_1..x0_E); the x0 entries count in the state groups when trained. */
export function sparsityReport(
  model: Model,
  z: Float64Array,
  experiments: number,
  trainX0: boolean,
): SparsityReport {
  const blocks = model.layout.blocks.map((b) => {
    const vals = z.subarray(b.offset, b.offset + b.size);
    const distinct = [...new Set(vals)].sort((x, y) => x - y);
    return {
      name: b.name,
      rows: b.rows,
      cols: b.cols,
      nonZeros: vals.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0),
      distinct: distinct.length,
      levels: distinct.slice(0, 64),
    };
  });
  const layout = { model, experiments, trainX0 };
  const zeroGroup = (g: Int32Array) => g.length > 0 && g.every((i) => z[i] === 0);
  return {
    blocks,
    nonZeros: blocks.reduce((s, b) => s + b.nonZeros, 0),
    parameters: model.nTheta,
    removableStates: stateGroups(layout).flatMap((g, i) => (zeroGroup(g) ? [i] : [])),
    removableInputs: inputGroups(layout).flatMap((g, i) => (zeroGroup(g) ? [i] : [])),
  };
}

/**
 * The model without the given states and inputs, and its parameters: rows and columns of every
 * block that read or write them are dropped. Exact when those groups are zero (checked).
 * @returns the reduced model, its θ, its x0s (E × nx'), and the kept states and inputs.
 */
export function reduceModel(
  model: Model,
  z: Float64Array,
  experiments: number,
  trainX0: boolean,
  drop: { states: number[]; inputs: number[] },
): {
  model: Model;
  theta: Float64Array;
  x0s: Float64Array;
  keptStates: number[];
  keptInputs: number[];
} {
  const report = sparsityReport(model, z, experiments, trainX0);
  for (const s of drop.states)
    if (!report.removableStates.includes(s))
      throw new NailsError(
        `state ${s} is still used by the model; only zero state groups can be removed`,
        'states',
      );
  for (const j of drop.inputs)
    if (!report.removableInputs.includes(j))
      throw new NailsError(
        `input ${j} is still used by the model; only zero input groups can be removed`,
        'inputs',
      );
  const cfg = model.config;
  if (cfg.kind === 'custom')
    throw new NailsError(
      'model reduction applies to linear, RNN and feedforward models, not to custom equations',
      'model',
    );
  const keptStates = range(cfg.nx).filter((i) => !drop.states.includes(i));
  const keptInputs = range(cfg.nu).filter((j) => !drop.inputs.includes(j));
  const nx = keptStates.length;
  const nu = keptInputs.length;
  if (nx === 0 && cfg.nx > 0 && !cfg.output.feedthrough)
    throw new NailsError(
      'removing every state of a model without feedthrough leaves an output that does not depend on the input; keep at least one state',
      'states',
    );
  const newCfg: StateSpaceNetConfig = {
    ...cfg,
    nx,
    nu,
    state: { ...cfg.state },
    output: { ...cfg.output },
  };
  if (nx === 0 && cfg.nx > 0) {
    newCfg.kind = 'feedforward';
    newCfg.state = { ...cfg.state, hidden: [], linear: false };
    newCfg.output = { ...cfg.output, feedthrough: true };
  }
  const reduced = new StateSpaceNet(newCfg);
  const theta = new Float64Array(reduced.nTheta);
  const src = model.layout;
  const xCols = keptStates;
  const xuCols = [...keptStates, ...keptInputs.map((j) => cfg.nx + j)];
  const Ls = countLayers(src, 'state');
  for (const b of reduced.layout.blocks) {
    if (!src.has(b.name))
      throw new NailsError(`cannot map block ${b.name} of the reduced model`, b.name);
    const o = src.get(b.name);
    let rows = range(o.rows);
    let cols = range(o.cols);
    if (b.name === 'A') [rows, cols] = [keptStates, keptStates];
    else if (b.name === 'B') [rows, cols] = [keptStates, keptInputs];
    else if (b.name === 'C') cols = keptStates;
    else if (b.name === 'D') cols = keptInputs;
    else if (b.name === 'state.W1') cols = xuCols;
    else if (b.name === 'output.W1') cols = o.cols > cfg.nx ? xuCols : xCols;
    if (b.name === `state.W${Ls}` || b.name === `state.b${Ls}`) rows = keptStates;
    if (rows.length !== b.rows || cols.length !== b.cols)
      throw new NailsError(`shape mismatch reducing block ${b.name}`, b.name);
    rows.forEach((r, ri) =>
      cols.forEach((c, ci) => (theta[b.offset + ri * b.cols + ci] = z[o.offset + r * o.cols + c]!)),
    );
  }
  const x0s = new Float64Array(experiments * nx);
  if (trainX0)
    for (let j = 0; j < experiments; j++)
      keptStates.forEach((s, k) => (x0s[j * nx + k] = z[model.nTheta + j * cfg.nx + s]!));
  return { model: reduced, theta, x0s, keptStates, keptInputs };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function countLayers(layout: Model['layout'], prefix: string): number {
  let L = 0;
  while (layout.has(`${prefix}.W${L + 1}`)) L++;
  return L;
}
