/**
 * Settings of a spec by dotted key (`model.states`, `regularize.l1`, `solver.iterations`, …),
 * applied to the spec's text through its parse tree: the value's text range is replaced, or the
 * setting is inserted where it belongs when the spec does not have it. Everything else in the
 * text (comments, layout) stays as written. The keys, what they change and the values they take
 * come from settings-schema.ts: a value out of its range is refused with the schema's message
 * before the spec is touched; the result is then checked like any spec.
 */
import { EmptyFileSystem, GrammarUtils, type AstNode } from 'langium';
import { NailsError } from '../core/errors.js';
import * as ast from './generated/ast.js';
import { createNailsServices } from './nails-module.js';
import { parseNum } from './analysis/collector.js';
import {
  SETTINGS,
  allowedNames,
  labelOf,
  setKeys,
  settingProblem,
  settingSummary,
  type SettingDef,
} from './settings-schema.js';

/** A replacement of `[start, end)` of the text. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

type Apply = (spec: ast.Spec, value: string, text: string) => Edit;

let services: ReturnType<typeof createNailsServices> | undefined;

/** How each kind of setting is written into a spec (settings/types.ts, `SetHow`). */
function applier(d: SettingDef, key: string): Apply {
  const map = key.split('.')[1] as 'state' | 'output';
  switch (d.set) {
    case 'model':
      return modelEntry(d);
    case 'map':
      return d.name === 'hidden' ? hidden(map) : activation(map);
    case 'penalty':
      return penalty(d.name as 'l1' | 'l0');
    case 'l2':
      return l2Weights;
    case 'method':
      return solverMethod;
    case 'starts':
      return solverStarts;
    case 'admm':
      return admmSetting(d.name);
    default:
      return solverNumeric(d.name);
  }
}

/**
 * Every key `--set` takes (the schema's settings with a `set`), with what it changes (the
 * schema's summary), the setting and how it is written.
 */
export const SETTING_KEYS: Readonly<
  Record<string, { about: string; def: SettingDef; apply: Apply }>
> = Object.fromEntries(
  SETTINGS.flatMap((d) =>
    setKeys(d).map((key) => [key, { about: settingSummary(d), def: d, apply: applier(d, key) }]),
  ),
);

/**
 * Why `value` cannot be `key`'s value (the schema's message, e.g. `solver.iterations=0:
 * iterations must be a positive integer, got 0`), or undefined when it can. Hidden sizes are
 * written 8 or 8x8.
 */
export function settingValueProblem(key: string, value: string): string | undefined {
  const s = SETTING_KEYS[key];
  if (!s) return `unknown setting '${key}'`;
  const d = s.def;
  const problem = (() => {
    if (!/^[-+\w.^]+$/.test(value)) return 'a value is a number or a name (hidden sizes: 8x8)';
    if (d.type.kind === 'enum') {
      const names = allowedNames(d);
      return names.includes(value)
        ? undefined
        : `unknown ${labelOf(d)} '${value}'; use one of ${names.join(', ')}`;
    }
    if (d.type.kind === 'numbers') {
      const items = value.split('x');
      if (!items.every((t) => /^\d+$/.test(t)))
        return 'hidden sizes are whole numbers, e.g. 8 or 8x8';
      return items.map((t, i) => settingProblem(d, parseNum(t), t, i)).find((p) => p);
    }
    return settingProblem(d, parseNum(value), value);
  })();
  return problem && `${key}=${value}: ${problem}`;
}

/** Whether `key` is a setting `--set` takes. */
export const isSettingKey = (key: string): boolean => Object.hasOwn(SETTING_KEYS, key);

/**
 * The spec text with `settings` applied, in order. Throws a NailsError (one line) when the text
 * does not parse or a setting has nowhere to go (e.g. `model.state.hidden` in a custom model).
 */
export function applySettings(text: string, settings: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [key, value] of Object.entries(settings)) {
    const setting = SETTING_KEYS[key];
    if (!setting) throw new NailsError(`unknown setting '${key}'`, key);
    const problem = settingValueProblem(key, value);
    if (problem) throw new NailsError(problem, key);
    const edit = setting.apply(parseSpecText(out), value, out);
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** The parse tree of a spec text (no validation); a syntax error is a one-line NailsError. */
export function parseSpecText(text: string): ast.Spec {
  services ??= createNailsServices(EmptyFileSystem);
  const r = services.Nails.parser.LangiumParser.parse<ast.Spec>(text);
  const first = r.parserErrors[0] ?? r.lexerErrors[0];
  if (first) throw new NailsError(`the spec does not parse: ${first.message}`);
  return r.value;
}

/** The text range of a node's property (e.g. the `value` of `states 2`). */
function property(node: AstNode, name: string): Edit {
  const c = GrammarUtils.findNodeForProperty(node.$cstNode, name);
  if (!c) throw new NailsError(`the spec has no ${name} here`);
  return { start: c.offset, end: c.end, text: '' };
}

/** An insertion just after the `{` of a section or map. */
function afterBrace(node: AstNode, text: string): Edit {
  const c = GrammarUtils.findNodeForKeyword(node.$cstNode, '{');
  if (!c) throw new NailsError(`the spec's ${node.$type} has no { … } to add '${text}' to`);
  return { start: c.end, end: c.end, text: ` ${text}` };
}

const replace = (node: AstNode, name: string, value: string): Edit => ({
  ...property(node, name),
  text: value,
});

function model(spec: ast.Spec): ast.ModelSection {
  const m = spec.sections.find(ast.isModelSection);
  if (!m) throw new NailsError('the spec has no model section');
  return m;
}

/** A `word N` entry of the model (`states`, `seed`), found by its grammar rule. */
function modelEntry(d: SettingDef): Apply {
  return (spec, value) => {
    const m = model(spec);
    const e = m.entries.find((x) => d.rules.includes(x.$type));
    return e ? replace(e, 'value', value) : afterBrace(m, `${d.name} ${value}`);
  };
}

function map(spec: ast.Spec, which: 'state' | 'output'): ast.MapEntry {
  const e = model(spec)
    .entries.filter(ast.isMapEntry)
    .find((x) => x.map === which);
  if (!e) throw new NailsError(`the model has no ${which} { … } map`);
  return e;
}

function hidden(which: 'state' | 'output'): Apply {
  return (spec, value) => {
    const m = map(spec, which);
    const text = `hidden [${value.split('x').join(', ')}]`;
    const h = m.settings.find(ast.isHiddenSetting);
    if (!h?.$cstNode) return afterBrace(m, text);
    return { start: h.$cstNode.offset, end: h.$cstNode.end, text };
  };
}

function activation(which: 'state' | 'output'): Apply {
  return (spec, value) => {
    const m = map(spec, which);
    const a = m.settings.find(ast.isActivationSetting);
    return a ? replace(a, 'name', value) : afterBrace(m, `activation ${value}`);
  };
}

/** The regularize section, or an edit appending one with `item` at the end of the text. */
function regularize(spec: ast.Spec, item: string, text: string): ast.RegularizeSection | Edit {
  const r = spec.sections.find(ast.isRegularizeSection);
  return r ?? { start: text.length, end: text.length, text: `\nregularize { ${item} }\n` };
}

function penalty(kind: 'l1' | 'l0'): Apply {
  return (spec, value, text) => {
    const r = regularize(spec, `${kind} ${value}`, text);
    if (!ast.isRegularizeSection(r)) return r;
    const p = r.items.filter(ast.isPenaltyItem).find((i) => i.kind === kind && !i.targets.length);
    return p ? replace(p, 'tau', value) : afterBrace(r, `${kind} ${value}`);
  };
}

function l2Weights(spec: ast.Spec, value: string, text: string): Edit {
  const r = regularize(spec, `l2 weights ${value}`, text);
  if (!ast.isRegularizeSection(r)) return r;
  const s = r.items
    .filter(ast.isL2Item)
    .flatMap((i) => i.settings)
    .find((x) => x.target === 'weights');
  return s ? replace(s, 'value', value) : afterBrace(r, `l2 weights ${value}`);
}

function solver(spec: ast.Spec): ast.SolverSection {
  const s = spec.sections.find(ast.isSolverSection);
  if (!s) throw new NailsError('the spec has no solver section');
  return s;
}

/** Inserts `item` into the solver section, adding its `{ }` when it has none. */
function intoSolver(s: ast.SolverSection, item: string): Edit {
  if (GrammarUtils.findNodeForKeyword(s.$cstNode, '{')) return afterBrace(s, item);
  const m = property(s, 'method');
  return { start: m.end, end: m.end, text: ` { ${item} }` };
}

function solverMethod(spec: ast.Spec, value: string, text: string): Edit {
  const s = spec.sections.find(ast.isSolverSection);
  return s
    ? replace(s, 'method', value)
    : { start: text.length, end: text.length, text: `\nsolver ${value}\n` };
}

function solverStarts(spec: ast.Spec, value: string): Edit {
  const s = solver(spec);
  const e = s.settings.find(ast.isStartsSetting);
  return e ? replace(e, 'value', value) : intoSolver(s, `starts ${value}`);
}

function solverNumeric(key: string): Apply {
  return (spec, value) => {
    const s = solver(spec);
    const e = s.settings.filter(ast.isNumericSetting).find((x) => x.key === key);
    return e ? replace(e, 'value', value) : intoSolver(s, `${key} ${value}`);
  };
}

function admmSetting(key: string): Apply {
  return (spec, value) => {
    const s = solver(spec);
    const a = s.settings.find(ast.isAdmmBlock);
    if (!a) return intoSolver(s, `admm { ${key} ${value} }`);
    const e = a.settings.find((x) => x.key === key);
    return e ? replace(e, 'value', value) : afterBrace(a, `${key} ${value}`);
  };
}
