/** Shared test helpers: the data directory, closeness assertions, finite differences. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** Benchmark data (never copied into the repo): NAILS_DATA_DIR or ../shared/data beside the checkout. */
export const DATA_DIR = path.resolve(
  process.env.NAILS_DATA_DIR || path.resolve(ROOT, '..', 'shared', 'data'),
);
/** Whether the benchmark data are there (a clone without ../shared has none). */
export const HAVE_DATA = existsSync(path.join(DATA_DIR, 'cascaded_tanks'));
/** The skip reason every data test gives; test/summary-reporter.mjs counts the tests skipped for it. */
export const DATA_SKIP_REASON = `data not found at ${DATA_DIR}`;
/**
 * Options for a test (`it(name, needsData, fn)`) or suite that reads the benchmark data: skipped
 * visibly when they are absent, run otherwise.
 */
export const needsData: { skip?: string } = HAVE_DATA ? {} : { skip: DATA_SKIP_REASON };

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', name), 'utf8')) as T;
}

/** |a − b| ≤ atol + rtol·|b| elementwise, with the first failing index in the message. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol = 0,
  what = 'value',
): void {
  assert.equal(
    actual.length,
    expected.length,
    `${what}: length ${actual.length} vs ${expected.length}`,
  );
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      assert.fail(`${what}[${i}] = ${a}, expected ${b} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/**
 * Central-difference Jacobian of fn: R^n → R^m, as m × n row-major:
 * J_ij ≈ (fn(p + h e_j)_i − fn(p − h e_j)_i) / 2h.
 */
export function finiteDifferenceJacobian(
  fn: (p: Float64Array) => Float64Array,
  p: Float64Array,
  h = 1e-6,
): Float64Array {
  const m = fn(p).length;
  const n = p.length;
  const J = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const plus = Float64Array.from(p);
    const minus = Float64Array.from(p);
    plus[j] = plus[j]! + h;
    minus[j] = minus[j]! - h;
    const fp = fn(plus);
    const fm = fn(minus);
    for (let i = 0; i < m; i++) J[i * n + j] = (fp[i]! - fm[i]!) / (2 * h);
  }
  return J;
}
