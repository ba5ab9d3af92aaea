/**
 * The shape of one entry of the settings schema (../settings-schema.ts): where a setting is
 * written, what its value may be, its default, units and doc.
 */

/**
 * Where a setting is written, named by the block that holds it: `data`, a data part
 * (`data.part`: `train { … }`), `generate … ` options, `model`, a model map (`model.map`:
 * `state { … }` / `output { … }`), `loss`, `regularize`, its `l2` item, `constrain`, `solver`,
 * the solver's `admm { }` block, or the spec itself.
 */
export type Section =
  | 'spec'
  | 'data'
  | 'data.part'
  | 'data.generate'
  | 'model'
  | 'model.map'
  | 'loss'
  | 'regularize'
  | 'regularize.l2'
  | 'constrain'
  | 'solver'
  | 'solver.admm';

/** The allowed numbers: bounds inclusive (`min`, `max`) or exclusive (`above`, `below`). */
export interface NumberRange {
  integer?: true;
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

/** What is written after the keyword. */
export type ValueType =
  /** One number. */
  | { kind: 'number'; range: NumberRange }
  /** A list of numbers (`[8, 8]`, `[1, 2]`), each in `range`. */
  | { kind: 'numbers'; range: NumberRange }
  /** One of a closed set of names. */
  | { kind: 'enum'; values: readonly string[] }
  /** The keyword alone switches it on. */
  | { kind: 'flag' }
  /** Free text checked elsewhere: a quoted file name, a name, a unit, signals, blocks, a range. */
  | { kind: 'text'; what: string };

/**
 * How `--set KEY=V` writes the setting into a spec (spec-settings.ts): a model entry (`states 2`),
 * a map setting (`hidden [8]` in `state { }` and `output { }`), an ℓ1/ℓ0 weight on all of θ,
 * `l2 weights`, the solver method, a solver setting, `starts`, or an `admm { }` setting.
 */
export type SetHow = 'model' | 'map' | 'penalty' | 'l2' | 'method' | 'solver' | 'starts' | 'admm';

export interface SettingDef {
  section: Section;
  /** The last part of its key (`solver.ftol`): the keyword, unless `keyword` says otherwise. */
  name: string;
  /** The word written in the spec, when not `name` (`solver nailm` sets `solver.method`). */
  keyword?: string;
  /** The grammar rules (nails.langium) that write it: hover and completion find it by these. */
  rules: readonly string[];
  /** Other blocks it may also be written in (an `init` in a part as in `data`). */
  also?: readonly Section[];
  /** Written as the header of its section (`model rnn`, `loss mse`, `solver nails`). */
  header?: true;
  /** The keyword it follows on its line (`unit` after `input`), when it is not a line of its own. */
  within?: string;
  /** How it is written, when more than `keyword value` (`l1 [BLOCK…] τ`). */
  syntax?: string;
  type: ValueType;
  /** The default as spec text (or a formula), when there is one. */
  default?: string;
  units?: string;
  doc: string;
  /** How messages name it, when not by its keyword (`continuity (ρ_c)`, `the sampling time`). */
  label?: string;
  /** How messages name one item of a list (`weight 2`), when they name items one by one. */
  itemLabel?: string;
  /** How `--set` writes it; absent when `--set` does not take it. */
  set?: SetHow;
  /** The `--set` key, when not the dotted key (`regularize.l2` for `l2 weights`). */
  setKey?: string;
}
