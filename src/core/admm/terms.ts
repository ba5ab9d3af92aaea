/**
 * The non-smooth part G of ALGORITHM.md §5 as configurable terms, freely combined per parameter
 * block, resolved into proximal / projection operators on index sets of z.
 *
 * The ν-update applies every term's operator to v = z_I + w in this order: penalties (ℓ1, ℓ0,
 * group-Lasso, group-ℓ0), then budgets (ℓ0 budget), then constraint sets (bounds, integer,
 * quantised, mixed-integer). For one penalty plus one set on the same scalar (e.g. ℓ1 and a box
 * that contains 0) this composition is the exact proximal operator of the sum; for other
 * combinations it is the usual heuristic.
 */
import { NailsError } from '../errors.js';
import { blockIndices, inputGroups, stateGroups, type ZLayout } from './groups.js';
import { softThreshold } from './prox/l1.js';
import { hardThreshold, keepLargest } from './prox/l0.js';
import { blockSoftThreshold } from './prox/group-lasso.js';
import { clip, nearestInteger, nearestLevel } from './prox/sets.js';

/** Blocks by name or glob (`state.*`), `weights`, `all` (θ), `x0`; default `all`. */
export type Blocks = string[];
export type GroupSpec = 'states' | 'inputs' | { name: string; blocks: Blocks }[];

export type TermConfig =
  | { kind: 'l1'; tau: number; blocks?: Blocks }
  | { kind: 'l0'; tau: number; blocks?: Blocks }
  | { kind: 'l0-budget'; k: number; blocks?: Blocks }
  | { kind: 'group-lasso'; tau: number; groups: GroupSpec }
  | { kind: 'group-l0'; tau: number; groups: GroupSpec }
  | { kind: 'bounds'; lower: number; upper: number; blocks?: Blocks }
  | { kind: 'integer'; lower?: number; upper?: number; blocks?: Blocks }
  | { kind: 'quantize'; levels: number[]; blocks?: Blocks }
  /** Entries `discrete` (positions within the selected blocks, in order) take `levels` (integers when absent); the rest stay continuous. */
  | { kind: 'mixed-integer'; discrete: number[]; levels?: number[]; blocks?: Blocks };

/** A resolved term: its index set and its operator on v (in place) for penalty parameter ρ_A. */
export interface Term {
  config: TermConfig;
  indices: Int32Array;
  /** Whether the term is a hard set (its result must hold exactly) or a penalty. */
  isSet: boolean;
  /** G-term value at z (penalties) or 0/∞ for membership (sets). */
  value(z: Float64Array): number;
  apply(v: Float64Array, rhoA: number): void;
  /** Groups (for group terms), to report which were zeroed. */
  groups?: Int32Array[];
}

const ORDER: Record<TermConfig['kind'], number> = {
  l1: 0,
  l0: 0,
  'group-lasso': 0,
  'group-l0': 0,
  'l0-budget': 1,
  bounds: 2,
  integer: 2,
  quantize: 2,
  'mixed-integer': 2,
};

function nonNegative(v: number, what: string): void {
  // (Number.isFinite is false for every non-number: no coercion.)
  if (!(Number.isFinite(v) && v >= 0))
    throw new NailsError(`${what} must be a finite number ≥ 0, got ${String(v)}`, what);
}

function resolveGroups(z: ZLayout, g: GroupSpec): Int32Array[] {
  if (g === 'states') {
    if (z.model.nx === 0) throw new NailsError('state groups need a model with states', 'groups');
    return stateGroups(z);
  }
  if (g === 'inputs') return inputGroups(z);
  return g.map((x) => blockIndices(z, x.blocks));
}

/** Resolves configs into operators, sorted in application order; errors name the bad setting. */
export function resolveTerms(z: ZLayout, configs: readonly TermConfig[]): Term[] {
  const terms = configs.map((c): Term => {
    const sel = (b?: Blocks) => blockIndices(z, b ?? ['all']);
    switch (c.kind) {
      case 'l1': {
        nonNegative(c.tau, 'l1 tau');
        const idx = sel(c.blocks);
        return {
          config: c,
          indices: idx,
          isSet: false,
          value: (zz) => c.tau * idx.reduce((s, i) => s + Math.abs(zz[i]!), 0),
          apply: (v, rho) => idx.forEach((i) => (v[i] = softThreshold(v[i]!, c.tau / rho))),
        };
      }
      case 'l0': {
        nonNegative(c.tau, 'l0 tau');
        const idx = sel(c.blocks);
        return {
          config: c,
          indices: idx,
          isSet: false,
          value: (zz) => c.tau * idx.reduce((s, i) => s + (zz[i] !== 0 ? 1 : 0), 0),
          apply: (v, rho) => idx.forEach((i) => (v[i] = hardThreshold(v[i]!, c.tau / rho))),
        };
      }
      case 'l0-budget': {
        const idx = sel(c.blocks);
        if (!(Number.isInteger(c.k) && c.k >= 0))
          throw new NailsError(`the l0 budget must be a non-negative integer, got ${c.k}`, 'k');
        if (c.k > idx.length)
          throw new NailsError(
            `the l0 budget ${c.k} exceeds the ${idx.length} entries it applies to`,
            'k',
          );
        return {
          config: c,
          indices: idx,
          isSet: true,
          value: (zz) => (idx.reduce((s, i) => s + (zz[i] !== 0 ? 1 : 0), 0) <= c.k ? 0 : Infinity),
          apply: (v) => keepLargest(v, idx, c.k),
        };
      }
      case 'group-lasso':
      case 'group-l0': {
        nonNegative(c.tau, `${c.kind} tau`);
        const groups = resolveGroups(z, c.groups);
        const idx = Int32Array.from(new Set(groups.flatMap((g) => [...g])));
        const norm = (zz: Float64Array, g: Int32Array) =>
          Math.sqrt(g.reduce((s, i) => s + zz[i]! ** 2, 0));
        return {
          config: c,
          indices: idx,
          isSet: false,
          groups,
          value: (zz) =>
            c.tau *
            groups.reduce(
              (s, g) => s + (c.kind === 'group-lasso' ? norm(zz, g) : norm(zz, g) > 0 ? 1 : 0),
              0,
            ),
          apply: (v, rho) => {
            for (const g of groups) {
              if (c.kind === 'group-lasso') blockSoftThreshold(v, g, c.tau / rho);
              else if (norm(v, g) ** 2 <= (2 * c.tau) / rho) g.forEach((i) => (v[i] = 0));
            }
          },
        };
      }
      case 'bounds': {
        if (!(c.lower <= c.upper))
          throw new NailsError(`bounds need lower ≤ upper, got [${c.lower}, ${c.upper}]`, 'bounds');
        const idx = sel(c.blocks);
        return {
          config: c,
          indices: idx,
          isSet: true,
          value: (zz) => (idx.every((i) => zz[i]! >= c.lower && zz[i]! <= c.upper) ? 0 : Infinity),
          apply: (v) => idx.forEach((i) => (v[i] = clip(v[i]!, c.lower, c.upper))),
        };
      }
      case 'integer': {
        const lo = c.lower ?? -Infinity;
        const hi = c.upper ?? Infinity;
        if (Math.ceil(lo) > Math.floor(hi))
          throw new NailsError(`integer range [${lo}, ${hi}] holds no integer`, 'integer');
        const idx = sel(c.blocks);
        return {
          config: c,
          indices: idx,
          isSet: true,
          value: (zz) =>
            idx.every((i) => Number.isInteger(zz[i]) && zz[i]! >= lo && zz[i]! <= hi)
              ? 0
              : Infinity,
          apply: (v) => idx.forEach((i) => (v[i] = nearestInteger(v[i]!, lo, hi))),
        };
      }
      case 'quantize': {
        const levels = checkLevels(c.levels);
        const idx = sel(c.blocks);
        const set = new Set(levels);
        return {
          config: c,
          indices: idx,
          isSet: true,
          value: (zz) => (idx.every((i) => set.has(zz[i]!)) ? 0 : Infinity),
          apply: (v) => idx.forEach((i) => (v[i] = nearestLevel(v[i]!, levels))),
        };
      }
      case 'mixed-integer': {
        const all = sel(c.blocks);
        const levels = c.levels ? checkLevels(c.levels) : undefined;
        c.discrete.forEach((d) => {
          if (!(Number.isInteger(d) && d >= 0 && d < all.length)) {
            throw new NailsError(
              `mixed-integer entry ${d} is outside the ${all.length} selected entries (0-based)`,
              'discrete',
            );
          }
        });
        const idx = Int32Array.from(c.discrete.map((d) => all[d]!));
        const member = (x: number) => (levels ? levels.includes(x) : Number.isInteger(x));
        return {
          config: c,
          indices: idx,
          isSet: true,
          value: (zz) => (idx.every((i) => member(zz[i]!)) ? 0 : Infinity),
          apply: (v) =>
            idx.forEach(
              (i) => (v[i] = levels ? nearestLevel(v[i]!, levels) : nearestInteger(v[i]!)),
            ),
        };
      }
      default:
        throw new NailsError(
          `unknown regulariser or constraint '${String((c as { kind: unknown }).kind)}'`,
          'kind',
        );
    }
  });
  return terms.sort((a, b) => ORDER[a.config.kind] - ORDER[b.config.kind]);
}

function checkLevels(levels: number[]): number[] {
  if (!Array.isArray(levels) || levels.length === 0)
    throw new NailsError('a quantised set needs at least one level', 'levels');
  levels.forEach((q) => {
    if (!Number.isFinite(q))
      throw new NailsError(`quantisation level ${q} is not a finite number`, 'levels');
  });
  return [...new Set(levels)].sort((a, b) => a - b);
}

/** Levels {lo, lo+step, …, hi}·scale, e.g. `-8..8 step 1` × 2^-4. */
export function levelRange(lo: number, hi: number, step = 1, scale = 1): number[] {
  if (!(step > 0) || hi < lo)
    throw new NailsError(`level range ${lo}..${hi} step ${step} is empty`, 'levels');
  const n = Math.floor((hi - lo) / step + 1e-9) + 1;
  return Array.from({ length: n }, (_, i) => (lo + i * step) * scale);
}
