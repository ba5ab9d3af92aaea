/**
 * The grid of a sweep: `--set KEY=V1,V2,…` and `--set KEY=a:b:log:n` (or `a:b:n`, evenly spaced)
 * axes, `--seeds A..B`, and the fits they make (every combination × every seed × every fold),
 * each with a stable id that keys resumption and the queue's job ids.
 */
import { NailsError } from '../core/errors.js';
import { nearest } from '../core/data/signal-table.js';
import { SETTING_KEYS, isSettingKey } from '../language/spec-settings.js';
import type { SweepAxis, SweepFold, SweepSettings } from '../protocol/sweep.js';

/** A number as spec text with 4 significant digits (1e-4, 0.0316, 250). */
const numberText = (v: number) => String(Number(v.toPrecision(4)));

/** Parses one `--set` argument; an unknown key names the nearest valid one. */
export function parseAxis(arg: string): SweepAxis {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new NailsError(`--set ${arg}: write KEY=V1,V2,… or KEY=a:b:log:n`, 'set');
  const key = arg.slice(0, eq).trim();
  const spec = arg.slice(eq + 1).trim();
  if (!isSettingKey(key)) {
    const keys = Object.keys(SETTING_KEYS);
    const near = nearest(key, keys);
    throw new NailsError(
      `--set: unknown key '${key}'${near ? `; did you mean ${near}?` : ''} (keys: ${keys.join(', ')})`,
      'set',
    );
  }
  const range = /^([^:]+):([^:]+):(?:(log|lin):)?(\d+)$/.exec(spec);
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    const n = Number(range[4]);
    const log = range[3] === 'log';
    if (!Number.isFinite(a) || !Number.isFinite(b) || n < 1 || (log && (a <= 0 || b <= 0)))
      throw new NailsError(
        `--set ${arg}: a range is a:b:n or a:b:log:n with numbers (positive for log) and n ≥ 1`,
        'set',
      );
    const at = (i: number) => {
      const t = n === 1 ? 0 : i / (n - 1);
      return log ? a * Math.pow(b / a, t) : a + (b - a) * t;
    };
    return { key, values: Array.from({ length: n }, (_, i) => numberText(at(i))) };
  }
  const values = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s);
  if (!values.length) throw new NailsError(`--set ${arg}: no values`, 'set');
  return { key, values: [...new Set(values)] };
}

/** `--seeds`: `A..B` (inclusive), `a,b,c` or one number. */
export function parseSeeds(arg: string): number[] {
  const r = /^(-?\d+)\.\.(-?\d+)$/.exec(arg.trim());
  const list = r
    ? Array.from({ length: Number(r[2]) - Number(r[1]) + 1 }, (_, i) => Number(r[1]) + i)
    : arg.split(',').map((s) => Number(s.trim()));
  if (!list.length || !list.every((s) => Number.isInteger(s)) || list.length > 10000)
    throw new NailsError(`--seeds ${arg}: write A..B (A ≤ B) or a list of integers`, 'seeds');
  return [...new Set(list)];
}

/** Every combination of the axes' values, in order (the first axis varies slowest). */
export function combinations(axes: readonly SweepAxis[]): SweepSettings[] {
  let out: SweepSettings[] = [{}];
  for (const a of axes) out = out.flatMap((s) => a.values.map((v) => ({ ...s, [a.key]: v })));
  return out;
}

/** The fit's id: its settings, seed and fold, e.g. `model.states=2,seed=1`. */
export function fitId(settings: SweepSettings, seed: number, fold?: SweepFold): string {
  return [
    ...Object.entries(settings).map(([k, v]) => `${k}=${v}`),
    `seed=${seed}`,
    ...(fold ? [`fold=${fold.fold}`] : []),
  ].join(',');
}

/** A file-system-safe folder name for a fit id. */
export const fitFolder = (id: string) => id.replace(/[^\w.=,+-]/g, '_');
