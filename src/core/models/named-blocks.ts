/**
 * A starting θ from named parameter blocks (a warm start): either the model's own block names
 * (`A`, `B`, `state.W1`, …, as `ParameterLayout` lays them out) or the standard names of the
 * one-hidden-layer recurrent model used by jax-sysid and the paper,
 *
 *   x⁺ = A x + B u + W3 σ(W1 x + W2 u + b1) + b2
 *   ŷ  = φ( C x + D u + W5 σ(W4 x [+ W6 u] + b3) + b4 )
 *
 * which map onto an rnn's blocks as
 *
 *   A → A   B → B   [W1 W2] → state.W1 (h × (nx + nu))   b1 → state.b1   W3 → state.W2   b2 → state.b2
 *   C → C   D → D   [W4 W6] → output.W1 (W6 only with feedthrough)   b3 → output.b1
 *   W5 → output.W2   b4 → output.b2
 *
 * Every block of the model must be given exactly once (by either name); a name the model does not
 * have, a wrong size or a missing block is an error that names it.
 */
import type { ParameterLayout } from './parameter-layout.js';

/** A rows × cols matrix, row-major. */
export interface NamedBlock {
  rows: number;
  cols: number;
  values: number[];
}

export interface NamedBlocksResult {
  theta?: Float64Array;
  /** One message per problem found (empty when θ was built). */
  errors: string[];
}

/** Standard name → (model block, first column in it, columns) for a one-hidden-layer rnn. */
function standardNames(
  layout: ParameterLayout,
  nx: number,
): Map<string, { block: string; col: number }> {
  const m = new Map<string, { block: string; col: number }>();
  const has = (b: string) => layout.has(b);
  if (has('state.W1') && has('state.W2') && !has('state.W3')) {
    m.set('W1', { block: 'state.W1', col: 0 });
    m.set('W2', { block: 'state.W1', col: nx });
    m.set('b1', { block: 'state.b1', col: 0 });
    m.set('W3', { block: 'state.W2', col: 0 });
    m.set('b2', { block: 'state.b2', col: 0 });
  }
  if (has('output.W1') && has('output.W2') && !has('output.W3')) {
    m.set('W4', { block: 'output.W1', col: 0 });
    m.set('W6', { block: 'output.W1', col: nx });
    m.set('b3', { block: 'output.b1', col: 0 });
    m.set('W5', { block: 'output.W2', col: 0 });
    m.set('b4', { block: 'output.b2', col: 0 });
  }
  return m;
}

/**
 * θ (nθ) from named blocks for a model with `layout` and `nx` states. Entries of a model block
 * are counted so that a block given only in part (e.g. W1 without W2) is reported as missing.
 */
export function thetaFromNamedBlocks(
  layout: ParameterLayout,
  nx: number,
  blocks: Record<string, NamedBlock>,
): NamedBlocksResult {
  const errors: string[] = [];
  const theta = new Float64Array(layout.size);
  const filled = new Uint8Array(layout.size);
  const std = standardNames(layout, nx);
  const known = [...layout.blocks.map((b) => b.name), ...std.keys()];
  for (const [name, given] of Object.entries(blocks)) {
    const target = layout.has(name) ? { block: name, col: 0 } : std.get(name);
    if (!target) {
      errors.push(`the model has no block '${name}'; its blocks are ${known.join(', ')}`);
      continue;
    }
    const b = layout.get(target.block);
    const cols = layout.has(name) ? b.cols : std.has(name) ? widthOf(name, b.cols, nx) : b.cols;
    if (given.rows !== b.rows || given.cols !== cols || given.values.length !== b.rows * cols) {
      errors.push(
        `block '${name}' is ${given.rows}×${given.cols} (${given.values.length} values), the model needs ${b.rows}×${cols}`,
      );
      continue;
    }
    for (let i = 0; i < b.rows; i++)
      for (let j = 0; j < cols; j++) {
        const at = b.offset + i * b.cols + target.col + j;
        const v = given.values[i * cols + j]!;
        if (!Number.isFinite(v)) {
          errors.push(`block '${name}' has a non-finite value at (${i + 1}, ${j + 1})`);
          i = b.rows;
          break;
        }
        if (filled[at]) {
          errors.push(`block '${name}' is given twice (also under another name)`);
          i = b.rows;
          break;
        }
        theta[at] = v;
        filled[at] = 1;
      }
  }
  const missing = layout.blocks
    .filter((b) => {
      for (let k = b.offset; k < b.offset + b.size; k++) if (!filled[k]) return true;
      return false;
    })
    .map((b) => b.name);
  if (errors.length === 0 && missing.length > 0)
    errors.push(`missing block${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  return errors.length === 0 ? { theta, errors } : { errors };
}

/** Columns of a standard-named part of a joint block: W1/W4 read x (nx), W2/W6 the rest. */
function widthOf(name: string, blockCols: number, nx: number): number {
  if (name === 'W1' || name === 'W4') return nx;
  if (name === 'W2' || name === 'W6') return blockCols - nx;
  return blockCols;
}
