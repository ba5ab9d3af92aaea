/**
 * Every setting of a spec, each declared once (in ./settings/: data, model, terms, solver): where
 * it is written, the grammar rules that write it, its type (numbers with a range, names from a
 * closed set, flags, lists, free text), default, units and doc. Derived from it: the validators'
 * range and name checks and their messages (analysis/*.ts through analysis/setting-checks.ts),
 * hover (keyword-docs.ts), completion (nails-completion.ts), the `--set` keys and their checks
 * (spec-settings.ts) and the README's settings reference (`npm run -s gen:settings`,
 * settings-table.ts; test/docs/settings-table.test.ts fails on drift).
 *
 * Rules that tie settings together or need the data or the model (`shooting` ≥ 2 samples, a
 * budget within the parameters it applies to, method-dependent warnings) stay in the validators,
 * after the checks here.
 */
import { DATA_SETTINGS } from './settings/data.js';
import { MODEL_SETTINGS } from './settings/model.js';
import { SOLVER_SETTINGS } from './settings/solver.js';
import { CONSTRAIN_SETTINGS, LOSS_SETTINGS, REGULARIZE_SETTINGS } from './settings/terms.js';
import type { NumberRange, Section, SettingDef } from './settings/types.js';

export type { NumberRange, Section, SetHow, SettingDef, ValueType } from './settings/types.js';

export const SETTINGS: readonly SettingDef[] = [
  ...DATA_SETTINGS,
  ...MODEL_SETTINGS,
  ...LOSS_SETTINGS,
  ...REGULARIZE_SETTINGS,
  ...CONSTRAIN_SETTINGS,
  ...SOLVER_SETTINGS,
];

/** The dotted key of a setting (`solver.ftol`, `solver.admm.rho`, `model.map.hidden`). */
export const settingKey = (d: SettingDef): string => `${d.section}.${d.name}`;

/** The word written in the spec (`solver` for `solver.method`). */
export const keywordOf = (d: SettingDef): string => d.keyword ?? d.name;

/** How messages name it (`continuity (ρ_c)`, `admm rho`). */
export const labelOf = (d: SettingDef): string =>
  d.label ?? `${d.section === 'solver.admm' ? 'admm ' : ''}${d.name}`;

/**
 * The keys `--set` takes for it: none when it takes none; `model.state.hidden` and
 * `model.output.hidden` for a map setting; else its `setKey` or dotted key.
 */
export function setKeys(d: SettingDef): string[] {
  if (!d.set) return [];
  if (d.section === 'model.map') return ['state', 'output'].map((m) => `model.${m}.${d.name}`);
  return [d.setKey ?? settingKey(d)];
}

const BY_KEY = new Map(SETTINGS.map((d) => [settingKey(d), d]));

/** The setting `name` of `section`, when the schema declares it. */
export const findSetting = (section: Section, name: string): SettingDef | undefined =>
  BY_KEY.get(`${section}.${name}`);

/** The setting `name` of `section`; throws when the schema lacks it (a programming error). */
export function setting(section: Section, name: string): SettingDef {
  const d = findSetting(section, name);
  if (!d) throw new Error(`settings-schema: no setting ${section}.${name}`);
  return d;
}

/** The default of a number setting as a number (throws when it has no plain number default). */
export function defaultNumber(d: SettingDef): number {
  const v = Number(d.default);
  if (d.default === undefined || !Number.isFinite(v))
    throw new Error(`settings-schema: ${settingKey(d)} has no numeric default`);
  return v;
}

/** The settings written in `section` (including those it may `also` hold). */
export const settingsIn = (section: Section): SettingDef[] =>
  SETTINGS.filter((d) => d.section === section || d.also?.includes(section));

/**
 * The setting a keyword of grammar rule `rule` writes: the one with that keyword, else the one
 * whose syntax names it (`from` in `init from "…"`, `levels` in `quantize`).
 */
export function settingForKeyword(rule: string, word: string): SettingDef | undefined {
  const of = SETTINGS.filter((d) => d.rules.includes(rule));
  return (
    of.find((d) => keywordOf(d) === word) ??
    of.find((d) => d.syntax?.split(/[^\w]+/).includes(word))
  );
}

const isInteger = (r: NumberRange) => r.integer === true;

/** The range as a rule of a message: `a positive integer`, `≥ 0`, `in (0, 1)` (plural for lists). */
function ruleText(r: NumberRange, plural: boolean): string {
  const a = plural ? 'integers' : 'an integer';
  if (isInteger(r)) {
    if (r.min === 0 && r.max === 1) return '0 or 1';
    if (r.max !== undefined) return `${a} from ${r.min ?? 0} to ${r.max}`;
    if (r.min === 1) return plural ? 'positive integers' : 'a positive integer';
    return `${a} ≥ ${r.min ?? 0}`;
  }
  if (r.above !== undefined && r.below !== undefined) return `in (${r.above}, ${r.below})`;
  if (r.above === 0 && r.max === undefined) return 'positive';
  const parts = [
    ...(r.above !== undefined ? [`> ${r.above}`] : []),
    ...(r.min !== undefined ? [`≥ ${r.min}`] : []),
    ...(r.below !== undefined ? [`< ${r.below}`] : []),
    ...(r.max !== undefined ? [`≤ ${r.max}`] : []),
  ];
  return parts.length ? parts.join(' and ') : plural ? 'numbers' : 'a number';
}

const inRange = (r: NumberRange, v: number): boolean =>
  (!isInteger(r) || Number.isInteger(v)) &&
  (r.min === undefined || v >= r.min) &&
  (r.max === undefined || v <= r.max) &&
  (r.above === undefined || v > r.above) &&
  (r.below === undefined || v < r.below);

/** The allowed values in words (`integer 1 … 256`, `> 0`, `one of mse, …`, `flag`). */
export function rangeText(d: SettingDef): string {
  const t = d.type;
  if (t.kind === 'enum') return `one of ${t.values.join(', ')}`;
  if (t.kind === 'flag') return 'flag';
  if (t.kind === 'text') return t.what;
  const r = t.range;
  const list = t.kind === 'numbers';
  if (isInteger(r)) {
    const integer = list ? 'list of integers' : 'integer';
    if (r.min === 0 && r.max === 1) return `${list ? 'list of ' : ''}0 or 1`;
    if (r.max !== undefined) return `${integer} ${r.min ?? 0} … ${r.max}`;
    return `${integer} ≥ ${r.min ?? 0}`;
  }
  if (r.above !== undefined && r.below !== undefined) return `(${r.above}, ${r.below})`;
  const rule = ruleText(r, false).replace('positive', '> 0').replace(' and ', ', ');
  return list ? `list of numbers ${rule}` : rule;
}

/**
 * The problem with `value` (the number parsed from `text`, undefined when it is none) for a number
 * setting or one item of a list (`index`, 0-based), or undefined when it is allowed:
 * `iterations must be a positive integer, got 0`, `weight 2 must be ≥ 0, got -1`.
 */
export function settingProblem(
  d: SettingDef,
  value: number | undefined,
  text: string,
  index?: number,
): string | undefined {
  if (d.type.kind !== 'number' && d.type.kind !== 'numbers') return undefined;
  const r = d.type.range;
  if (value !== undefined && Number.isFinite(value) && inRange(r, value)) return undefined;
  const one = d.type.kind === 'number' || d.itemLabel !== undefined;
  const who = d.itemLabel !== undefined ? `${d.itemLabel} ${(index ?? 0) + 1}` : labelOf(d);
  const rule = value === undefined ? (one ? 'a number' : 'numbers') : ruleText(r, !one);
  return `${who} must be ${rule}, got ${text}`;
}

/** The names an enum setting accepts (none for other settings). */
export const allowedNames = (d: SettingDef): readonly string[] =>
  d.type.kind === 'enum' ? d.type.values : [];

/** How it is written: its syntax, or `keyword N`, `keyword NAME`, the flag alone. */
export function syntaxOf(d: SettingDef): string {
  if (d.syntax) return d.syntax;
  const k = keywordOf(d);
  const t = d.type;
  if (t.kind === 'flag') return k;
  const value =
    t.kind === 'number'
      ? 'N'
      : t.kind === 'numbers'
        ? '[N, …]'
        : t.kind === 'text' && t.what === 'file name'
          ? '"PATH"'
          : t.kind === 'text' && t.what === 'unit'
            ? 'UNIT'
            : 'NAME';
  return d.within ? `${d.within} … ${k} ${value}` : `${k} ${value}`;
}

/** One line describing a setting: doc, then range, default and units. */
export function settingSummary(d: SettingDef): string {
  const facts = [
    rangeText(d),
    ...(d.default !== undefined ? [`default ${d.default}`] : []),
    ...(d.units ? [`in ${d.units}`] : []),
  ];
  return `${d.doc} (${facts.join('; ')})`;
}
