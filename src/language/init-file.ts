/**
 * `init from "FILE"` in a model section: the starting point of a warm start, read from either
 *
 * - a run's `model.json` (format nails-model/1): its θ by block name and its x0s, or
 * - a JSON of named blocks, `{ "x0": [..nx], "parameters": { name: { rows, cols, values } } }`
 *   (values row-major), the format of jax-sysid's exported starting points; block names are the
 *   model's own or the standard ones mapped by `thetaFromNamedBlocks`.
 *
 * The values are in the units the model sees (after the spec's `scale`). Every problem is returned
 * as a message for a diagnostic on the `init` line; nothing falls back silently.
 */
import { readFileSync } from 'node:fs';
import type { Model } from '../core/models/model.js';
import { thetaFromNamedBlocks, type NamedBlock } from '../core/models/named-blocks.js';

export interface InitPoint {
  /** nθ */
  theta: Float64Array;
  /** nx (one initial state, used for every training experiment) or E × nx. */
  x0: Float64Array;
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

/** Reads `file` and builds θ and x0 for `model`; errors name what is wrong. */
export function readInitPoint(file: string, model: Model): { point?: InitPoint; errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { errors: [`cannot read '${file}' as JSON: ${(e as Error).message}`] };
  }
  if (typeof json !== 'object' || json === null)
    return { errors: [`'${file}' is not a JSON object`] };
  const o = json as Record<string, unknown>;
  let blocks: Record<string, NamedBlock>;
  let x0: unknown;
  if (typeof o.format === 'string' && Array.isArray(o.layout) && isNumberArray(o.theta)) {
    // A run's model.json: split θ by its own layout.
    blocks = {};
    const theta = o.theta;
    for (const b of o.layout as { name: string; offset: number; rows: number; cols: number }[])
      blocks[b.name] = {
        rows: b.rows,
        cols: b.cols,
        values: theta.slice(b.offset, b.offset + b.rows * b.cols),
      };
    x0 = o.x0s;
  } else if (typeof o.parameters === 'object' && o.parameters !== null) {
    blocks = {};
    for (const [name, b] of Object.entries(o.parameters as Record<string, unknown>)) {
      const nb = b as Partial<NamedBlock> | null;
      if (
        !nb ||
        typeof nb.rows !== 'number' ||
        typeof nb.cols !== 'number' ||
        !isNumberArray(nb.values)
      )
        return { errors: [`parameter '${name}' needs rows, cols and values (numbers)`] };
      blocks[name] = { rows: nb.rows, cols: nb.cols, values: nb.values };
    }
    x0 = o.x0;
  } else
    return {
      errors: [
        `'${file}' is neither a run's model.json nor a JSON of named blocks ({"x0": [...], "parameters": {name: {rows, cols, values}}})`,
      ],
    };
  const errors: string[] = [];
  const r = thetaFromNamedBlocks(model.layout, model.nx, blocks);
  errors.push(...r.errors);
  let x0v = new Float64Array(model.nx);
  if (x0 !== undefined) {
    if (!isNumberArray(x0) || x0.length === 0 || x0.length % Math.max(model.nx, 1) !== 0)
      errors.push(
        `x0 must be a list of ${model.nx} numbers (or of experiments × ${model.nx}), got ${Array.isArray(x0) ? x0.length : typeof x0}`,
      );
    else x0v = Float64Array.from(x0);
  }
  if (errors.length > 0 || !r.theta) return { errors };
  return { point: { theta: r.theta, x0: x0v }, errors };
}
