/**
 * Named blocks of a flat parameter vector θ (a `Float64Array`). Each block is a rows × cols
 * matrix stored row-major at `offset`; e.g. `A` (nx × nx) at θ[offset + i·nx + j] = A_ij.
 */
import { NailsError } from '../errors.js';

export interface ParameterBlock {
  name: string;
  offset: number;
  rows: number;
  cols: number;
  /** rows · cols */
  size: number;
}

export class ParameterLayout {
  private readonly byName = new Map<string, ParameterBlock>();
  readonly blocks: ParameterBlock[] = [];
  /** Total number of parameters nθ. */
  size = 0;

  add(name: string, rows: number, cols: number): ParameterBlock {
    if (this.byName.has(name)) throw new Error(`parameter block ${name} declared twice`);
    const block = { name, offset: this.size, rows, cols, size: rows * cols };
    this.blocks.push(block);
    this.byName.set(name, block);
    this.size += block.size;
    return block;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The block by name; unknown names list the blocks that exist. */
  get(name: string): ParameterBlock {
    const b = this.byName.get(name);
    if (!b) {
      throw new NailsError(
        `the model has no parameter block '${name}'; its blocks are ${this.blocks.map((x) => x.name).join(', ')}`,
        name,
      );
    }
    return b;
  }

  /** A view (no copy) of block `name` inside θ. */
  view(theta: Float64Array, name: string): Float64Array {
    const b = this.get(name);
    return theta.subarray(b.offset, b.offset + b.size);
  }

  /** JSON-friendly description. */
  toJSON(): { name: string; offset: number; rows: number; cols: number }[] {
    return this.blocks.map(({ name, offset, rows, cols }) => ({ name, offset, rows, cols }));
  }
}
