/**
 * The numeric settings of a spec, each declared once: section, name, type, default, allowed range,
 * units and doc. Derived from it: the validators' range checks and their messages
 * (analysis/solver.ts), the hover text of these keywords (keyword-docs.ts), the `--set` keys'
 * descriptions (spec-settings.ts) and the README's settings reference (`npm run -s gen:settings`,
 * settings-table.ts; test/docs/settings-table.test.ts fails on drift).
 *
 * Covered so far: the solver section and its `admm { }` block, `starts`, and the model's `states`
 * and `seed`. Settings with special rules (e.g. `shooting` ≥ 2, `screen` ≤ 64, method-dependent
 * warnings) keep those in the validator, after the range check here.
 */

/** What a value must be; each rule has one message (`… must be a positive integer, got 0`). */
export type Rule =
  'positiveInteger' | 'nonNegative' | 'positive' | 'naturalInteger' | 'atLeastOne' | 'flag';

const RULES: Record<Rule, { text: string; range: string; ok: (v: number) => boolean }> = {
  positiveInteger: {
    text: 'a positive integer',
    range: 'integer ≥ 1',
    ok: (v) => Number.isInteger(v) && v >= 1,
  },
  nonNegative: { text: 'a number ≥ 0', range: '≥ 0', ok: (v) => v >= 0 },
  positive: { text: 'positive', range: '> 0', ok: (v) => v > 0 },
  naturalInteger: {
    text: 'an integer ≥ 0',
    range: 'integer ≥ 0',
    ok: (v) => Number.isInteger(v) && v >= 0,
  },
  atLeastOne: { text: '≥ 1', range: '≥ 1', ok: (v) => v >= 1 },
  flag: { text: '0 or 1', range: '0 or 1', ok: (v) => v === 0 || v === 1 },
};

export interface SettingDef {
  /** Where it is written: `solver`, the solver's `admm { }` block, or `model`. */
  section: 'model' | 'solver' | 'solver.admm';
  /** The keyword. */
  name: string;
  rule: Rule;
  /** The default as spec text (or a formula), when there is one. */
  default?: string;
  units?: string;
  doc: string;
  /** How messages name it, when not by its keyword (`continuity (ρ_c)`). */
  label?: string;
  /** An upper limit beyond the rule (checked with the rule, said in the range). */
  max?: number;
}

export const SETTINGS: readonly SettingDef[] = [
  {
    section: 'model',
    name: 'states',
    rule: 'positiveInteger',
    max: 1000,
    doc: 'The number of states nx.',
  },
  {
    section: 'model',
    name: 'seed',
    rule: 'naturalInteger',
    default: '1',
    doc: 'The random seed of the initialisation (or of the first start with `starts`).',
  },
  {
    section: 'solver',
    name: 'iterations',
    rule: 'positiveInteger',
    default: '100',
    doc: 'The iteration budget.',
  },
  {
    section: 'solver',
    name: 'ftol',
    rule: 'nonNegative',
    default: '1e-9',
    doc: '`stalled` when the loss fell by less than ftol (relative) over the last 10 iterations; never `converged` on its own.',
  },
  {
    section: 'solver',
    name: 'xtol',
    rule: 'nonNegative',
    default: '1e-10',
    doc: '`stalled` when an accepted step is shorter than xtol·(‖z‖ + xtol).',
  },
  {
    section: 'solver',
    name: 'gtol',
    rule: 'nonNegative',
    default: '1e-6',
    doc: '`converged` when the first-order measure ‖∇V‖∞ / |V| falls below gtol, unless the model is degenerate (constant output).',
  },
  {
    section: 'solver',
    name: 'chunk',
    rule: 'positiveInteger',
    units: 'samples',
    doc: 'Samples per accumulation chunk of the Gauss–Newton matrix (memory vs speed).',
  },
  {
    section: 'solver',
    name: 'seconds',
    rule: 'positive',
    units: 's',
    doc: 'A wall-clock budget in seconds.',
  },
  {
    section: 'solver',
    name: 'lambda',
    rule: 'nonNegative',
    default: '1',
    doc: 'The initial Levenberg–Marquardt damping λ (nailm; dimensionless with the default diagonal scaling).',
  },
  {
    section: 'solver',
    name: 'seed',
    rule: 'naturalInteger',
    default: '1',
    doc: 'The seed of the first start (starts use seed, seed+1, …).',
  },
  { section: 'solver', name: 'rate', rule: 'positive', doc: 'The learning rate of adam.' },
  {
    section: 'solver',
    name: 'starts',
    rule: 'positiveInteger',
    default: '1',
    max: 256,
    doc: 'Independent starts from seeds seed, seed+1, …; `select train` or `select validation` picks the best.',
  },
  {
    section: 'solver',
    name: 'shooting',
    rule: 'positiveInteger',
    units: 'samples',
    doc: 'Multiple shooting (nails, nailm): windows of about N samples (at least 2), each after the first starting from its own trained state tied to the previous window by the continuity penalty.',
  },
  {
    section: 'solver',
    name: 'continuity',
    rule: 'positive',
    default: '1',
    label: 'continuity (ρ_c)',
    doc: 'The continuity weight ρ_c of multiple shooting (scaled units).',
  },
  {
    section: 'solver',
    name: 'refine',
    rule: 'positiveInteger',
    default: 'max(10, iterations/4)',
    doc: 'Single-shooting iterations after the multiple-shooting phase.',
  },
  {
    section: 'solver',
    name: 'screen',
    rule: 'positiveInteger',
    max: 64,
    doc: 'K seeded starts each run an eighth of the iteration budget (at least 5 iterations); the one with the lowest loss continues (nails, nailm).',
  },
  { section: 'solver.admm', name: 'rho', rule: 'positive', doc: 'The ADMM penalty ρ.' },
  { section: 'solver.admm', name: 'iterations', rule: 'positiveInteger', doc: 'ADMM iterations.' },
  {
    section: 'solver.admm',
    name: 'inner',
    rule: 'positiveInteger',
    doc: 'Smooth (Gauss–Newton) steps per ADMM iteration.',
  },
  { section: 'solver.admm', name: 'growth', rule: 'atLeastOne', doc: 'The factor ρ grows by.' },
  {
    section: 'solver.admm',
    name: 'polish',
    rule: 'flag',
    doc: 'Polishes the support found by ADMM with a final smooth fit (1) or not (0).',
  },
];

/** The dotted key of a setting (`solver.ftol`, `solver.admm.rho`): the same as `--set` takes. */
export const settingKey = (d: SettingDef): string => `${d.section}.${d.name}`;

const BY_KEY = new Map(SETTINGS.map((d) => [settingKey(d), d]));

/** The setting `name` of `section`, when the schema declares it. */
export const findSetting = (section: SettingDef['section'], name: string): SettingDef | undefined =>
  BY_KEY.get(`${section}.${name}`);

/** The allowed range in words (`integer ≥ 1, ≤ 256`). */
export const rangeText = (d: SettingDef): string =>
  `${RULES[d.rule].range}${d.max !== undefined ? `, ≤ ${d.max}` : ''}`;

/**
 * The problem with `value` (the number parsed from `text`, undefined when it is none), or
 * undefined when it is allowed: `iterations must be a positive integer, got 0`.
 */
export function settingProblem(
  d: SettingDef,
  value: number | undefined,
  text: string,
): string | undefined {
  const r = RULES[d.rule];
  if (value !== undefined && r.ok(value) && (d.max === undefined || value <= d.max))
    return undefined;
  const who = `${d.section === 'solver.admm' ? 'admm ' : ''}${d.label ?? d.name}`;
  if (value !== undefined && r.ok(value)) return `${who} must be at most ${d.max}, got ${text}`;
  return `${who} must be ${r.text}, got ${text}`;
}

/** One line describing a setting: doc, range, default and units. */
export function settingSummary(d: SettingDef): string {
  const facts = [
    rangeText(d),
    ...(d.default !== undefined ? [`default ${d.default}`] : []),
    ...(d.units ? [`in ${d.units}`] : []),
  ];
  return `${d.doc} (${facts.join('; ')})`;
}
