/**
 * Index sets over z = (θ, x0_1..x0_E) for the regularisers and constraints: parameter blocks by
 * name or glob, and the built-in groups of ALGORITHM.md §5:
 *
 * - state group i: every weight that reads or writes state i — A[i,:], A[:,i], B[i,:], C[:,i],
 *   state.W1[:, i], the last state layer's row i and bias i, output.W1[:, i] — and x0_j[i] for
 *   every experiment j. A zero group removes state i (model order reduction).
 * - input group j: every weight that reads input j — B[:, j], D[:, j], state.W1[:, nx + j],
 *   output.W1[:, nx + j] (feedthrough). A zero group removes input j.
 */
import { NailsError } from '../errors.js';
import type { Model } from '../models/model.js';
import type { ParameterBlock } from '../models/parameter-layout.js';
import { nearest } from '../data/signal-table.js';

/** z layout facts the index sets need. */
export interface ZLayout {
  model: Model;
  experiments: number;
  trainX0: boolean;
}

/**
 * Indices of the blocks named by `selectors` (block names, globs such as `state.*`, `weights`
 * = every W/A/B/C/D block, `all` = all of θ, `x0` = every trained initial state).
 */
export function blockIndices(z: ZLayout, selectors: readonly string[]): Int32Array {
  const { layout, nTheta, nx } = z.model;
  const out = new Set<number>();
  const addBlock = (b: ParameterBlock) => {
    for (let k = 0; k < b.size; k++) out.add(b.offset + k);
  };
  for (const sel of selectors) {
    if (sel === 'all') {
      for (let i = 0; i < nTheta; i++) out.add(i);
    } else if (sel === 'x0') {
      if (!z.trainX0)
        throw new NailsError(
          "'x0' names the initial states, but they are not trained in this problem",
          sel,
        );
      for (let i = 0; i < z.experiments * nx; i++) out.add(nTheta + i);
    } else if (sel === 'weights') {
      for (const b of layout.blocks) if (!/\.b\d+$/.test(b.name)) addBlock(b);
    } else if (sel.includes('*')) {
      const re = new RegExp(`^${sel.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      const hits = layout.blocks.filter((b) => re.test(b.name));
      if (hits.length === 0)
        throw new NailsError(
          `'${sel}' matches no parameter block; the blocks are ${layout.blocks.map((b) => b.name).join(', ')}`,
          sel,
        );
      hits.forEach(addBlock);
    } else {
      if (!layout.has(sel)) {
        const near = nearest(
          sel,
          layout.blocks.map((b) => b.name),
        );
        throw new NailsError(
          `the model has no parameter block '${sel}'${near ? ` (did you mean '${near}'?)` : ''}; its blocks are ${layout.blocks.map((b) => b.name).join(', ')}`,
          sel,
        );
      }
      addBlock(layout.get(sel));
    }
  }
  return Int32Array.from([...out].sort((a, b) => a - b));
}

function column(b: ParameterBlock | undefined, j: number, out: number[]): void {
  if (b && j < b.cols) for (let r = 0; r < b.rows; r++) out.push(b.offset + r * b.cols + j);
}
function row(b: ParameterBlock | undefined, i: number, out: number[]): void {
  if (b && i < b.rows) for (let c = 0; c < b.cols; c++) out.push(b.offset + i * b.cols + c);
}

function maybe(layout: Model['layout'], name: string): ParameterBlock | undefined {
  return layout.has(name) ? layout.get(name) : undefined;
}

/** The number of layers of an MLP prefix ('state' or 'output') in the layout. */
function layers(layout: Model['layout'], prefix: string): number {
  let L = 0;
  while (layout.has(`${prefix}.W${L + 1}`)) L++;
  return L;
}

/** One index set per state (ALGORITHM.md §5): everything that reads or writes state i, and x0_i. */
export function stateGroups(z: ZLayout): Int32Array[] {
  const { layout, nx, nTheta } = z.model;
  const Ls = layers(layout, 'state');
  const groups: Int32Array[] = [];
  for (let i = 0; i < nx; i++) {
    const idx: number[] = [];
    row(maybe(layout, 'A'), i, idx);
    column(maybe(layout, 'A'), i, idx);
    row(maybe(layout, 'B'), i, idx);
    column(maybe(layout, 'C'), i, idx);
    column(maybe(layout, 'state.W1'), i, idx);
    // Without a state MLP (Ls = 0) there is no block state.W0 / state.b0: nothing is added.
    row(maybe(layout, `state.W${Ls}`), i, idx);
    row(maybe(layout, `state.b${Ls}`), i, idx);
    column(maybe(layout, 'output.W1'), i, idx);
    if (z.trainX0) for (let j = 0; j < z.experiments; j++) idx.push(nTheta + j * nx + i);
    groups.push(Int32Array.from([...new Set(idx)].sort((a, b) => a - b)));
  }
  return groups;
}

/** One index set per input: everything that reads input j. */
export function inputGroups(z: ZLayout): Int32Array[] {
  const { layout, nx, nu } = z.model;
  const groups: Int32Array[] = [];
  for (let j = 0; j < nu; j++) {
    const idx: number[] = [];
    column(maybe(layout, 'B'), j, idx);
    column(maybe(layout, 'D'), j, idx);
    // A state MLP exists only with states (nx > 0); custom models' names have no dots.
    column(maybe(layout, 'state.W1'), nx + j, idx);
    // output.W1 has a column nx + j only with feedthrough (nx + nu columns, else nx).
    column(maybe(layout, 'output.W1'), nx + j, idx);
    groups.push(Int32Array.from([...new Set(idx)].sort((a, b) => a - b)));
  }
  return groups;
}
