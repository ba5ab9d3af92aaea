/**
 * Starting settings for a new data set, each with the reason a user reads beside it — what
 * `nails new` writes into a starter spec, and what the language server's hover shows for the spec
 * being edited (src/language/recommend-hover.ts). The rules are the ones the project's benchmark specs
 * (bench/accuracy/*.nails) were tuned to, stated as functions of what the data show:
 *
 *   states   the order of the linear stage: the smallest n with σ_{n+1} below both 10⁻² σ_1 and
 *            3 × the noise floor (median of the smaller half of σ), among the singular values σ
 *            of the PO-MOESP matrix L32 (horizon 10, standardised signals), clamped to [1, 8]; "a gap after the n-th value suggests the order" (Verhaegen &
 *            Verdult 2007, §9.6). Benchmarks: cascaded tanks 3 (spec 2), two-tank 2 (2), MR damper
 *            4 (3), Silverbox 4 (4), Wiener–Hammerstein 3 (6).
 *   hidden   8 neurons per map below 5,000 training samples, 12 below 50,000, 16 from there
 *            (fewer samples support fewer parameters: tanks/two-tank/MR damper 8, WH 12).
 *   l2       10^−round(log10 N) on the weights and on x0: the ridge term of the loss decays with
 *            the amount of data (1,024 and 2,000 samples → 1e-3; 65,062 → 1e-5). Measured with the
 *            starter specs (BENCHMARKS.md): on cascaded tanks 1e-3 gave 0.35–0.40 V against 0.68–0.88
 *            V with 1e-4; two-tank 0.0084 m either way.
 *   solver   NAILM, 100 iterations, up to 20,000 samples; NAILS, 250 iterations, above (on the
 *            100,000-sample Wiener–Hammerstein record NAILM's damping grew on the linear model's
 *            plateau and stalled 2 of 3 seeds; the line search escaped on all 3 — BENCHMARKS.md).
 *   init     the samples that estimate x0 in the test part (not scored): 10 per state, at least
 *            10, at most 10 % of the test part.
 */

export interface DataShape {
  /** Training samples (after any split). */
  N: number;
  nu: number;
  ny: number;
  /** Test samples. */
  nTest: number;
  /** Singular values of the linear stage's L32, largest first (may be empty: no order estimate). */
  singularValues: readonly number[];
}

export interface Recommendation {
  states: number;
  hidden: number;
  activation: 'tanh';
  l2: number;
  method: 'nailm' | 'nails';
  iterations: number;
  init: number;
  /** One line per setting, for comments in the spec and the command's output. */
  reasons: Record<'states' | 'hidden' | 'l2' | 'solver' | 'init', string>;
}

/** The relative level below which a singular value counts as noise. */
export const ORDER_THRESHOLD = 1e-2;
export const MAX_STATES = 8;
/** Training samples above which NAILS (line search) replaces NAILM. */
export const LONG_RECORD = 20000;

/** Times the noise floor (the median of the smaller half of σ) a state's σ must exceed. */
export const FLOOR_FACTOR = 3;

/**
 * Smallest n with σ_{n+1} < max(threshold · σ_1, 3 · floor), floor = the median of the smaller
 * half of σ (what noise alone gives: with a low signal-to-noise ratio the tail flattens above
 * 1 % of σ_1), clamped to [1, MAX_STATES]; undefined without σ.
 */
export function orderFromSingularValues(
  sv: readonly number[],
  threshold = ORDER_THRESHOLD,
): number | undefined {
  if (sv.length === 0 || !(sv[0]! > 0)) return undefined;
  const tail = sv.slice(Math.ceil(sv.length / 2)).sort((a, b) => a - b);
  const floor = tail.length >= 2 ? tail[Math.floor((tail.length - 1) / 2)]! : 0;
  const level = Math.max(threshold * sv[0]!, FLOOR_FACTOR * floor);
  let n = 1;
  while (n < sv.length && n < MAX_STATES && sv[n]! >= level) n++;
  return n;
}

export function recommendSettings(d: DataShape): Recommendation {
  const order = orderFromSingularValues(d.singularValues);
  const states = order ?? 2;
  const sv = d.singularValues
    .slice(0, Math.min(d.singularValues.length, states + 2))
    .map((s) => (s / d.singularValues[0]!).toPrecision(2));
  const hidden = d.N < 5000 ? 8 : d.N < 50000 ? 12 : 16;
  const l2 = Number(`1e-${Math.round(Math.log10(Math.max(10, d.N)))}`); // exact decimal, not 10 ** -k
  const long = d.N > LONG_RECORD;
  const init = Math.max(1, Math.min(Math.max(10, 10 * states), Math.floor(d.nTest / 10)));
  const n = d.N.toLocaleString('en');
  return {
    states,
    hidden,
    activation: 'tanh',
    l2,
    method: long ? 'nails' : 'nailm',
    iterations: long ? 250 : 100,
    init,
    reasons: {
      states:
        order === undefined
          ? 'no order estimate (record too short for the subspace step): 2 states'
          : `linear-stage singular values (relative) ${sv.join(', ')}: ${states} above the noise floor`,
      hidden: `${n} training samples: ${hidden} neurons per map`,
      l2: `ridge term 10^-round(log10 N) for N = ${n}`,
      solver: long
        ? `${n} > ${LONG_RECORD.toLocaleString('en')} samples: NAILS (line search), 250 iterations`
        : `NAILM (trust region), 100 iterations`,
      init: `${init} test samples estimate x0 (10 per state, at most 10 % of the test part)`,
    },
  };
}
