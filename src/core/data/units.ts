/**
 * Units of data channels and of the reported metrics: `output y unit V` with `metric mV` reports
 * RMSE in millivolts. Conversion is by SI prefix on a common base unit (V → mV is × 1000, m → mm
 * × 1000, kN → N × 1000); anything else (V → A, °C → K) is refused rather than guessed.
 */

const PREFIXES: readonly [string, number][] = [
  ['', 1],
  ['p', 1e-12],
  ['n', 1e-9],
  ['u', 1e-6],
  ['µ', 1e-6],
  ['μ', 1e-6],
  ['m', 1e-3],
  ['c', 1e-2],
  ['d', 1e-1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
];

/** Readings of a unit as prefix × base (the whole unit as base first). */
function readings(unit: string): { base: string; factor: number }[] {
  const out: { base: string; factor: number }[] = [];
  for (const [p, f] of PREFIXES)
    if (unit.startsWith(p) && unit.length > p.length)
      out.push({ base: unit.slice(p.length), factor: f });
  return out;
}

/**
 * The factor c with value_in_`to` = c · value_in_`from`, or undefined when the units do not share
 * a base unit. The longest common base wins ('mm' → 'm' reads mm as milli-metre, not as a unit 'mm').
 */
export function unitFactor(from: string, to: string): number | undefined {
  if (from === to) return 1;
  let best: { len: number; factor: number } | undefined;
  for (const a of readings(from))
    for (const b of readings(to))
      if (a.base === b.base && (!best || a.base.length > best.len))
        best = { len: a.base.length, factor: a.factor / b.factor };
  return best?.factor;
}
