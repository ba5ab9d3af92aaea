/**
 * Checks of the samples a part takes from a data signal, reported by `nails check` and the
 * editor on the name of the signal: non-finite samples (training would stop on them) and a
 * signal that is constant over the part (nothing to learn from; scaling divides by its spread).
 */
import { rangeStats, type SignalInfo } from './data-headers.js';

export interface SignalProblem {
  severity: 'error' | 'warning';
  message: string;
}

export function signalProblems(
  sig: string,
  info: SignalInfo,
  role: 'input' | 'output',
  part: string,
  range?: readonly [number, number],
): SignalProblem[] {
  if (info.values.length === 0) return [];
  const s = rangeStats(info, range);
  const where = range ? `samples ${range[0]}..${range[1]}` : `its ${info.values.length} samples`;
  const out: SignalProblem[] = [];
  if (s.nonFinite > 0)
    out.push({
      severity: 'error',
      message: `'${sig}' has ${s.nonFinite} non-finite sample${s.nonFinite > 1 ? 's' : ''} (NaN or ±Inf) in ${where}, the first at sample ${s.firstNonFinite} (0-based); remove or interpolate them, or select a range without them`,
    });
  if (s.min === s.max)
    out.push({
      severity: 'warning',
      message: `the ${role} '${sig}' is constant (${s.min}) over ${where} of the ${part} part; a model cannot learn from a constant ${role}`,
    });
  return out;
}
