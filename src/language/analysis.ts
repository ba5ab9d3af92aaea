/**
 * Meaning of a parsed .nails spec: resolves every setting against the data file and the model,
 * collects diagnostics attached to the exact node and property, and, when there are no errors,
 * the resolved specification the compiler turns into a training run. Shared by the language
 * server's validator, the command line and the tests, so all of them say the same thing.
 */
import type { AstNode } from 'langium';
import { blockIndices, stateGroups } from '../core/admm/groups.js';
import { levelRange, type TermConfig } from '../core/admm/terms.js';
import { DECIMATION_FILTERS, type DecimationFilter } from '../core/data/decimate.js';
import { nearest } from '../core/data/signal-table.js';
import { unitFactor } from '../core/data/units.js';
import { NailsError } from '../core/errors.js';
import type { LinearStageSpec, MethodOptions, Method } from '../core/fit-job.js';
import { linearInitUnsupported } from '../core/linear/linear-init.js';
import { LOSS_NAMES, type LossConfig } from '../core/losses/index.js';
import { ACTIVATION_NAMES, type ActivationName } from '../core/models/activations.js';
import type { Model } from '../core/models/model.js';
import { StateSpaceNet, type StateSpaceNetConfig } from '../core/models/state-space-net.js';
import { CustomModel, type CustomModelConfig } from '../core/models/custom-model.js';
import {
  add,
  call,
  div,
  FUNCTIONS,
  mul,
  neg,
  pow,
  sub,
  type Expr,
  type FuncName,
} from '../core/models/expression.js';
import type { ModelConfig } from '../core/models/model.js';
import { readHeader, resolveDataPath, type DataHeader } from './data-headers.js';
import * as ast from './generated/ast.js';
import { readInitPoint, type InitPoint } from './init-file.js';
import { resolveChannels, type SignalSource } from './part-signals.js';
import { signalProblems } from './signal-checks.js';

export type Severity = 'error' | 'warning';

export interface SpecDiagnostic {
  severity: Severity;
  message: string;
  node: AstNode;
  property?: string;
  index?: number;
}

export interface ResolvedPart {
  kind: 'train' | 'test' | 'validation';
  name: string;
  /** [start, end) in samples of the record, when given. */
  range?: [number, number];
  /** Last fraction of the training part (validation only). */
  fraction?: number;
  inputs: string[];
  outputs: string[];
  nInit: number;
  /** Absolute data file of this part (file data). */
  file?: string;
  /** Where each input / output channel comes from (file data; empty for generated data). */
  inputSources: SignalSource[];
  outputSources: SignalSource[];
  /** Unit of each input / output channel as declared (`input u unit V`), if any. */
  inputUnits: (string | undefined)[];
  outputUnits: (string | undefined)[];
  /** Anti-alias filter and keep every `factor`-th sample (after the range is cut). */
  decimate?: { factor: number; filter: DecimationFilter };
}

/** `metric mV`: the unit metrics are reported in, and the factor from each output's unit. */
export interface ResolvedMetric {
  unit: string;
  factors: number[];
}

export interface ResolvedSpec {
  name: string;
  data:
    | {
        kind: 'file';
        parts: ResolvedPart[];
        Ts?: number;
        scale: 'standard' | 'none';
        metric?: ResolvedMetric;
      }
    | {
        kind: 'generate';
        generator: 'binary_output';
        seed: number;
        samples: number;
        parts: ResolvedPart[];
        Ts?: number;
        scale: 'standard' | 'none';
        metric?: ResolvedMetric;
      };
  model: ModelConfig;
  modelSeed: number;
  /** The linear stage (baseline, and the start with `init linear`); absent for stateless models and classification losses. */
  linear?: LinearStageSpec;
  /** `init from "FILE"`: the starting θ (nθ) and x0 (nx, or E × nx) read from FILE. */
  init?: { file: string } & InitPoint;
  loss: LossConfig;
  rhoTheta: number;
  rhoX0: number;
  terms: TermConfig[];
  solver: {
    method: Method;
    options: MethodOptions;
    starts: number;
    select: 'train' | 'validation';
    seed: number;
    admm: {
      rho?: number;
      iterations?: number;
      inner?: number;
      rhoGrowth?: number;
      polish?: boolean;
    };
    /** Screening of seeded starts (`screen K`). */
    screen?: number;
    /** Multiple shooting (`shooting N`, `continuity ρ_c`, `refine n`). */
    shooting?: { window: number; weight?: number; refine?: number };
  };
}

export interface AnalysisContext {
  /** Folder of the spec file (relative data paths start here). */
  specDir: string;
  /** Further folders to look for data files in (e.g. NAILS_DATA_DIR). */
  dataDirs: readonly string[];
}

export const MODEL_KINDS = ['linear', 'rnn', 'feedforward', 'custom'] as const;
export const METHODS = ['nailm', 'nails', 'adam', 'lbfgs'] as const;
export const GENERATORS = ['binary_output'] as const;
export const TIME_UNITS: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, min: 60, h: 3600 };
export const FREQUENCY_UNITS: Record<string, number> = { Hz: 1, kHz: 1e3 };
export const SCALE_MODES = ['standard', 'none'] as const;
export const FINAL_ACTIVATIONS = ['identity', 'sigmoid'] as const;
export const INIT_MODES = ['linear', 'random'] as const;

/** Parses a Num token ("-2", "1e-3", "2^-4"); undefined when it is not a finite number. */
export function parseNum(text: string | number | undefined): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (text === undefined) return undefined;
  const m = /^(-?[0-9.eE+-]+)(?:\^(-?[0-9.eE+-]+))?$/.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const v = m[2] === undefined ? base : base ** Number(m[2]);
  return Number.isFinite(v) ? v : undefined;
}

class Collector {
  readonly list: SpecDiagnostic[] = [];
  error(node: AstNode, message: string, property?: string, index?: number): void {
    this.list.push({
      severity: 'error',
      message,
      node,
      ...(property ? { property } : {}),
      ...(index !== undefined ? { index } : {}),
    });
  }
  warning(node: AstNode, message: string, property?: string, index?: number): void {
    this.list.push({
      severity: 'warning',
      message,
      node,
      ...(property ? { property } : {}),
      ...(index !== undefined ? { index } : {}),
    });
  }
  get errors(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }
}

function oneOf(
  d: Collector,
  node: AstNode,
  property: string,
  value: string | undefined,
  allowed: readonly string[],
  what: string,
): boolean {
  if (value === undefined || value === '') return false; // a syntax error the parser already reports
  if (allowed.includes(value)) return true;
  const near = nearest(value, allowed);
  d.error(
    node,
    `unknown ${what} '${value}'${near ? ` (did you mean '${near}'?)` : ''}; use one of ${allowed.join(', ')}`,
    property,
  );
  return false;
}

function intIn(
  d: Collector,
  node: AstNode,
  property: string,
  v: number | undefined,
  min: number,
  what: string,
  max = Infinity,
): number | undefined {
  if (v === undefined || !Number.isInteger(v) || v < min || v > max) {
    d.error(
      node,
      `${what} must be an integer${max < Infinity ? ` from ${min} to ${max}` : ` ≥ ${min}`}, got ${String(v)}`,
      property,
    );
    return undefined;
  }
  return v;
}

function numIn(
  d: Collector,
  node: AstNode,
  property: string,
  text: string | undefined,
  what: string,
  check: (v: number) => boolean,
  rule: string,
): number | undefined {
  const v = parseNum(text);
  if (v === undefined) {
    d.error(node, `${what}: '${String(text)}' is not a number`, property);
    return undefined;
  }
  if (!check(v)) {
    d.error(node, `${what} ${rule}, got ${v}`, property);
    return undefined;
  }
  return v;
}

/** Analyses a spec; `resolved` is present only when there are no errors. */
export interface Analysis {
  diagnostics: SpecDiagnostic[];
  resolved?: ResolvedSpec;
  /** Data files read, by absolute path. */
  headers: Map<string, DataHeader>;
  /** The model as far as it could be built (for completion and hover, even with errors elsewhere). */
  model?: Model;
  /** Sampling time in seconds, when given. */
  Ts?: number;
}

export function analyzeSpec(spec: ast.Spec, ctx: AnalysisContext): Analysis {
  const d = new Collector();
  const headers = new Map<string, DataHeader>();
  const sections = <T extends AstNode>(is: (n: unknown) => n is T): T[] =>
    (spec.sections as AstNode[]).filter(is);
  const single = <T extends AstNode>(
    is: (n: unknown) => n is T,
    word: string,
    required: boolean,
  ): T | undefined => {
    const list = sections(is);
    list.slice(1).forEach((s) => d.error(s, `a second ${word} section; merge it into the first`));
    if (required && list.length === 0)
      d.error(spec, `the spec has no ${word} section; add \`${word} { … }\``);
    return list[0];
  };
  const dataS = single(ast.isDataSection, 'data', true);
  const modelS = single(ast.isModelSection, 'model', true);
  const lossS = single(ast.isLossSection, 'loss', false);
  const regS = single(ast.isRegularizeSection, 'regularize', false);
  const conS = single(ast.isConstrainSection, 'constrain', false);
  const solverS = single(ast.isSolverSection, 'solver', false);

  const data = dataS ? analyzeData(dataS, ctx, d, headers) : undefined;
  const nu = data?.nu ?? 1;
  const ny = data?.ny ?? 1;
  const modelInfo = modelS
    ? modelS.kind === 'custom'
      ? analyzeCustomModel(modelS, nu, ny, data?.resolved.Ts, d)
      : analyzeModel(modelS, nu, ny, d)
    : undefined;
  const init = modelS
    ? analyzeInit(modelS, modelInfo?.model, data?.experiments ?? 1, ctx, d)
    : undefined;
  // A test or validation part simulated from x0 = 0 scores the model's transient, not its fit.
  if (modelInfo && modelInfo.config.nx > 0)
    for (const p of data?.withoutInit ?? [])
      d.warning(
        p,
        `the ${p.part} part has no \`init\`: it is simulated from x0 = 0; add \`init N\` to estimate x0 from its first N samples (not scored)`,
        'part',
      );
  const loss = analyzeLoss(lossS, ny, modelInfo?.config, d);
  const linear =
    modelS && modelInfo ? analyzeLinearStage(modelS, modelInfo.config, loss, d) : undefined;
  const reg = analyzeRegularize(regS, modelInfo?.model, data?.experiments ?? 1, d);
  const cons = analyzeConstraints(conS, modelInfo?.model, data?.experiments ?? 1, d);
  const solver = analyzeSolver(
    solverS,
    d,
    data?.hasValidation ?? false,
    reg.terms.length + cons.length > 0,
  );
  const partial = {
    diagnostics: d.list,
    headers,
    ...(modelInfo?.model ? { model: modelInfo.model } : {}),
    ...(data?.resolved.Ts !== undefined ? { Ts: data.resolved.Ts } : {}),
  };
  if (d.errors > 0 || !data || !modelInfo || !solver) return partial;
  return {
    ...partial,
    resolved: {
      name: spec.name ?? 'spec',
      data: data.resolved,
      model: modelInfo.config,
      modelSeed: modelInfo.seed,
      ...(linear ? { linear } : {}),
      ...(init ? { init } : {}),
      loss,
      rhoTheta: reg.rhoTheta,
      rhoX0: reg.rhoX0,
      terms: [...reg.terms, ...cons],
      solver,
    },
  };
}

// ---- data ---------------------------------------------------------------------------------------

function analyzeData(
  s: ast.DataSection,
  ctx: AnalysisContext,
  d: Collector,
  headers: Map<string, DataHeader>,
) {
  const files = s.entries.filter(ast.isFileEntry);
  const gens = s.entries.filter(ast.isGenerateEntry);
  files
    .slice(1)
    .forEach((f) =>
      d.error(f, 'a second data file; give each part its own `file` inside the part instead'),
    );
  gens.slice(1).forEach((g) => d.error(g, 'a second `generate`; a spec generates one data set'));
  if (files.length > 0 && gens.length > 0)
    d.error(
      gens[0]!,
      'conflicting settings: the data are read from a file and generated; keep one',
    );
  let Ts: number | undefined;
  for (const e of s.entries.filter(ast.isSamplingEntry)) {
    const v = numIn(d, e, 'value', e.value, 'the sampling time', (x) => x > 0, 'must be positive');
    const unit = e.unit ?? 's';
    if (v !== undefined) {
      if (unit in TIME_UNITS) Ts = v * TIME_UNITS[unit]!;
      else if (unit in FREQUENCY_UNITS) Ts = 1 / (v * FREQUENCY_UNITS[unit]!);
      else
        oneOf(
          d,
          e,
          'unit',
          unit,
          [...Object.keys(TIME_UNITS), ...Object.keys(FREQUENCY_UNITS)],
          'unit',
        );
    }
  }
  let scale: 'standard' | 'none' = 'standard';
  for (const e of s.entries.filter(ast.isScaleEntry))
    if (oneOf(d, e, 'mode', e.mode, SCALE_MODES, 'scaling')) scale = e.mode as 'standard' | 'none';

  const read = new Map<AstNode, DataHeader | undefined>();
  const header = (
    entry: ast.FileEntry | ast.PartFileItem | ast.InputItem | ast.OutputItem,
  ): DataHeader | undefined => {
    if (entry.path === undefined) return undefined;
    if (read.has(entry)) return read.get(entry);
    const h = readEntry(entry.path, entry);
    read.set(entry, h);
    return h;
  };
  const readEntry = (file: string, entry: AstNode): DataHeader | undefined => {
    const r = resolveDataPath(file, ctx.specDir, ctx.dataDirs);
    if (!r.found) {
      d.error(entry, `cannot find data file '${file}': looked at ${r.tried.join(', ')}`, 'path');
      return undefined;
    }
    try {
      const h = readHeader(r.found);
      headers.set(r.found, h);
      return h;
    } catch (e) {
      d.error(
        entry,
        e instanceof NailsError ? e.message : `cannot read '${file}': ${String(e)}`,
        'path',
      );
      return undefined;
    }
  };
  const mainHeader = files[0] ? header(files[0]) : undefined;
  const defaults = {
    inputItems: s.entries.filter(ast.isInputItem),
    outputItems: s.entries.filter(ast.isOutputItem),
    init: s.entries.filter(ast.isInitItem)[0]?.value,
  };
  let generated: { seed: number; samples: number } | undefined;
  const gen = gens[0];
  if (gen) {
    oneOf(d, gen, 'generator', gen.generator, GENERATORS, 'generator');
    let seed = 1;
    let samples = 2000;
    for (const o of gen.options) {
      const v = intIn(d, o, 'value', o.value, o.key === 'seed' ? 0 : 2, o.key);
      if (v !== undefined) {
        if (o.key === 'seed') seed = v;
        else samples = v;
      }
    }
    generated = { seed, samples };
  }
  if (
    files.length === 0 &&
    !gen &&
    !s.entries.some(
      (e) =>
        (ast.isPartEntry(e) &&
          e.items.some((i) => ast.isPartFileItem(i) || ('path' in i && i.path !== undefined))) ||
        ((ast.isInputItem(e) || ast.isOutputItem(e)) && e.path !== undefined),
    )
  ) {
    d.error(s, 'the data section names no data: add `file "…"` or `generate binary_output`');
  }
  const decimation = (item: ast.DecimateItem | undefined) => {
    if (!item) return undefined;
    const factor = intIn(d, item, 'factor', item.factor, 1, 'the decimation factor', 10000);
    const filter = item.filter ?? 'fir';
    if (!oneOf(d, item, 'filter', filter, DECIMATION_FILTERS, 'decimation filter'))
      return undefined;
    return factor === undefined ? undefined : { factor, filter: filter as DecimationFilter };
  };
  const dataDecimates = s.entries.filter(ast.isDecimateItem);
  dataDecimates
    .slice(1)
    .forEach((e) => d.error(e, 'a second `decimate`; the data are decimated once'));
  const dataDecimate = decimation(dataDecimates[0]);
  let modelDecimate: { factor: number; node: AstNode } | undefined;
  const parts: ResolvedPart[] = [];
  const withoutInit: ast.PartEntry[] = [];
  const partEntries = s.entries.filter(ast.isPartEntry);
  if (!partEntries.some((p) => p.part === 'train'))
    d.error(
      s,
      'the data section has no `train` part; add `train { input … output … }` or `train 0..N`',
    );
  let nu: number | undefined;
  let ny: number | undefined;
  const seenNames = new Set<string>();
  for (const p of partEntries) {
    const name = p.name ?? p.part;
    if (seenNames.has(`${p.part}:${name}`))
      d.error(p, `a second ${p.part} part named '${name}'; give it another name`, 'name');
    seenNames.add(`${p.part}:${name}`);
    const fileItems = p.items.filter(ast.isPartFileItem);
    for (const extra of fileItems.slice(1))
      d.error(
        extra,
        'a part reads one `file`; take a signal from another file with `input u from "…"` or `output y from "…"`',
        'path',
      );
    const fileItem = fileItems[0];
    const h = fileItem ? header(fileItem) : mainHeader;
    const inputItems = p.items.filter(ast.isInputItem);
    const outputItems = p.items.filter(ast.isOutputItem);
    const inputLines = inputItems.length ? inputItems : defaults.inputItems;
    const outputLines = outputItems.length ? outputItems : defaults.outputItems;
    const readsFrom = [...inputLines, ...outputLines].some((i) => i.path !== undefined);
    const ins = resolveChannels(inputLines, 'input', h, header, d);
    const outs = resolveChannels(outputLines, 'output', h, header, d);
    const inputs = ins.labels;
    const outputs = outs.labels;
    const initItem = p.items.find(ast.isInitItem);
    let nInit = initItem?.value ?? defaults.init ?? 0;
    let length: number | undefined;
    // Signals found in their files, checked on the part's range once it is known.
    const found = [...ins.found, ...outs.found];
    if (generated) {
      if (inputItems.length || outputItems.length)
        d.warning(
          inputItems[0] ?? outputItems[0]!,
          'generated data have one input u and one output y; input/output names are ignored',
        );
      length = generated.samples;
      nu = 1;
      ny = 1;
    } else if (h || readsFrom) {
      const names = h ? [...h.signals.keys()].join(', ') : '';
      if (inputs.length === 0 && p.part !== 'validation')
        d.error(
          p,
          `the ${p.part} part names no input signal; add \`input <name>\`${h ? ` (the file has ${names})` : ''}`,
        );
      if (outputs.length === 0 && p.part !== 'validation')
        d.error(p, `the ${p.part} part names no output signal; add \`output <name>\``);
      const lengths = [...ins.lengths, ...outs.lengths];
      if (lengths.length > 0) {
        length = Math.min(...lengths);
        if (Math.max(...lengths) !== length && !p.range)
          d.error(
            p,
            `the signals of the ${p.part} part have different lengths (${[...new Set(lengths)].join(', ')}); select a common range with \`${p.part} a..b\``,
          );
      }
      if (inputs.length && (nu === undefined || p.part === 'train')) nu = inputs.length;
      if (outputs.length && (ny === undefined || p.part === 'train')) ny = outputs.length;
    }
    let range: [number, number] | undefined;
    if (p.range) {
      const a = p.range.start;
      const b = p.range.end;
      if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a < b))
        d.error(p.range, `range ${a}..${b} must satisfy 0 ≤ start < end (0-based, end excluded)`);
      else if (length !== undefined && b > length)
        d.error(p.range, `range ${a}..${b} is outside the record of ${length} samples`);
      else range = [a, b];
      if (range) length = b - a;
    }
    const partDecimateItem = p.items.find(ast.isDecimateItem);
    const decimate = partDecimateItem ? decimation(partDecimateItem) : dataDecimate;
    const factor = decimate?.factor ?? 1;
    if (modelDecimate === undefined) modelDecimate = { factor, node: partDecimateItem ?? p };
    else if (modelDecimate.factor !== factor)
      d.error(
        partDecimateItem ?? p,
        `the ${p.part} part is decimated by ${factor} but an earlier part by ${modelDecimate.factor}; the model has one sampling time, so every part needs the same factor`,
        partDecimateItem ? 'factor' : undefined,
      );
    if (length !== undefined) length = Math.ceil(length / factor);
    if (!p.range || range)
      for (const f of found)
        for (const pr of signalProblems(f.label, f.info, f.role, name, range))
          d[pr.severity](f.owner, pr.message, 'name');
    let fraction: number | undefined;
    if (p.fraction) {
      if (p.part !== 'validation')
        d.error(
          p.fraction,
          'a percentage selects the last part of the training data; only `validation` takes one',
        );
      else
        fraction = intIn(
          d,
          p.fraction,
          'value',
          p.fraction.value,
          1,
          'the validation share (%)',
          90,
        );
    }
    if (p.part === 'validation' && !p.fraction && !p.range && !fileItem)
      d.error(
        p,
        'say which data validate: `validation 20%` (last 20 % of train) or `validation a..b`',
      );
    if (initItem) intIn(d, initItem, 'value', initItem.value, 0, 'init');
    if (length !== undefined && nInit >= length) {
      d.error(
        initItem ?? p,
        `init ${nInit} leaves no samples to score in a part of ${length} samples`,
        initItem ? 'value' : undefined,
      );
      nInit = 0;
    }
    if (p.part !== 'train' && nInit === 0) withoutInit.push(p);
    parts.push({
      kind: p.part,
      name,
      ...(range ? { range } : {}),
      ...(fraction !== undefined ? { fraction: fraction / 100 } : {}),
      inputs,
      outputs,
      inputSources: ins.sources,
      outputSources: outs.sources,
      inputUnits: ins.units,
      outputUnits: outs.units,
      ...(decimate && decimate.factor > 1 ? { decimate } : {}),
      nInit,
      ...(h ? { file: h.file } : {}),
    });
  }
  const trainParts = parts.filter((p) => p.kind === 'train');
  for (const p of parts) {
    if (
      p.kind !== 'train' &&
      // A validation share (`validation 20%`) is cut from the training part, with its signals.
      p.fraction === undefined &&
      trainParts[0] &&
      !generated &&
      (p.inputs.length !== trainParts[0].inputs.length ||
        p.outputs.length !== trainParts[0].outputs.length)
    ) {
      const node = partEntries[parts.indexOf(p)]!;
      d.error(
        node,
        `the ${p.kind} part has ${p.inputs.length} inputs and ${p.outputs.length} outputs but train has ${trainParts[0].inputs.length} and ${trainParts[0].outputs.length}`,
      );
    }
  }
  const metricEntries = s.entries.filter(ast.isMetricEntry);
  metricEntries
    .slice(1)
    .forEach((e) => d.error(e, 'a second `metric`; metrics are reported in one unit'));
  const metric = metricEntries[0] ? resolveMetric(metricEntries[0], trainParts[0], d) : undefined;
  const factor = modelDecimate?.factor ?? 1;
  const base = {
    parts,
    ...(Ts !== undefined ? { Ts: Ts * factor } : {}),
    scale,
    ...(metric ? { metric } : {}),
  };
  const resolved: ResolvedSpec['data'] = generated
    ? { kind: 'generate', generator: 'binary_output', ...generated, ...base }
    : { kind: 'file', ...base };
  return {
    resolved,
    nu: nu ?? 1,
    ny: ny ?? 1,
    experiments: Math.max(trainParts.length, 1),
    hasValidation: parts.some((p) => p.kind === 'validation'),
    withoutInit,
  };
}

/** `metric mV`: the factor from each output's unit to the metric's (an error when one has none). */
function resolveMetric(
  e: ast.MetricEntry,
  train: ResolvedPart | undefined,
  d: Collector,
): { unit: string; factors: number[] } | undefined {
  if (!train) return undefined;
  const factors: number[] = [];
  for (const [c, name] of train.outputs.entries()) {
    const unit = train.outputUnits[c];
    const f = unit === undefined ? undefined : unitFactor(unit, e.unit);
    if (f === undefined) {
      d.error(
        e,
        unit === undefined
          ? `metric ${e.unit}: say the unit of output '${name}' (e.g. \`output ${name} unit ${e.unit.replace(/^[munµkM]/, '') || e.unit}\`) so that it can be converted`
          : `metric ${e.unit}: output '${name}' is in ${unit}, which does not convert to ${e.unit}`,
        'unit',
      );
      return undefined;
    }
    factors.push(f);
  }
  return { unit: e.unit, factors };
}

// ---- model --------------------------------------------------------------------------------------

function analyzeModel(
  s: ast.ModelSection,
  nu: number,
  ny: number,
  d: Collector,
): { config: ModelConfig; model?: Model; seed: number } | undefined {
  if (!oneOf(d, s, 'kind', s.kind, MODEL_KINDS, 'model kind')) return undefined;
  const kind = s.kind as StateSpaceNetConfig['kind'];
  for (const m of s.entries.filter(ast.isMapEntry))
    m.equations.forEach((e) =>
      d.error(
        e,
        'equations belong to `model custom`; this model is configured with settings (hidden, activation, linear, …)',
      ),
    );
  for (const p of s.entries.filter(ast.isParametersEntry))
    d.error(p, 'named parameters belong to `model custom`');
  const statesE = s.entries.filter(ast.isStatesEntry);
  let nx = kind === 'feedforward' ? 0 : 2;
  if (statesE[0]) {
    if (kind === 'feedforward')
      d.error(statesE[0], 'a feedforward model has no states; remove `states` or use `model rnn`');
    else nx = intIn(d, statesE[0], 'value', statesE[0].value, 1, 'states', 1000) ?? nx;
  } else if (kind !== 'feedforward') d.warning(s, `no \`states\` given; using ${nx}`, 'kind');
  const seed = s.entries.filter(ast.isSeedEntry)[0]?.value ?? 1;
  const flags = new Set(s.entries.filter(ast.isFlagEntry).map((f) => f.flag));
  const maps = {
    state: {
      hidden: [] as number[],
      activation: 'tanh' as ActivationName,
      linear: kind !== 'feedforward',
    },
    output: {
      hidden: [] as number[],
      activation: 'tanh' as ActivationName,
      linear: true,
      feedthrough: flags.has('feedthrough') || kind === 'feedforward',
      final: 'identity' as 'identity' | 'sigmoid',
    },
  };
  if (kind === 'rnn') {
    maps.state.hidden = [8];
    maps.output.hidden = [8];
  }
  for (const m of s.entries.filter(ast.isMapEntry)) {
    if (kind === 'linear') {
      d.error(m, 'a linear model has no maps to configure; use `model rnn` for hidden layers');
      continue;
    }
    if (kind === 'feedforward' && m.map === 'state') {
      d.error(m, 'a feedforward model has no state map; configure `output { … }`');
      continue;
    }
    const target = maps[m.map];
    let sawLinear = false;
    for (const st of m.settings) {
      if (ast.isHiddenSetting(st)) {
        target.hidden = [];
        st.sizes.forEach((h, i) => {
          if (!(Number.isInteger(h) && h >= 1 && h <= 4096))
            d.error(st, `hidden layer sizes must be integers from 1 to 4096, got ${h}`, 'sizes', i);
          else target.hidden.push(h);
        });
      } else if (ast.isActivationSetting(st)) {
        if (oneOf(d, st, 'name', st.name, ACTIVATION_NAMES, 'activation'))
          target.activation = st.name as ActivationName;
      } else if (ast.isFinalSetting(st)) {
        if (m.map !== 'output') d.error(st, 'only the output map has a final activation', 'name');
        else if (oneOf(d, st, 'name', st.name, FINAL_ACTIVATIONS, 'final activation'))
          maps.output.final = st.name as 'identity' | 'sigmoid';
      } else if (ast.isFlagSetting(st)) {
        if (st.flag === 'linear') sawLinear = true;
        else if (m.map === 'output') maps.output.feedthrough = true;
        else d.error(st, '`feedthrough` belongs in the output map', 'flag');
      }
    }
    // In a map block, the linear part is on only when `linear` is written.
    target.linear = sawLinear;
  }
  if (flags.has('linear') && kind !== 'linear') {
    maps.state.linear = true;
    maps.output.linear = true;
  }
  const config: StateSpaceNetConfig = { kind, nx, nu, ny, state: maps.state, output: maps.output };
  try {
    return { config, model: new StateSpaceNet(config), seed };
  } catch (e) {
    d.error(s, e instanceof NailsError ? e.message : String(e), 'kind');
    return { config, seed };
  }
}

/**
 * `init linear | random` of a model section → the linear stage of the fit. Default: the stage runs
 * for every model with states and a regression loss (it is the baseline every run prints); a
 * model with linear parts starts from it unless `init random`; an explicit `init linear` is an
 * error where it cannot apply, and makes a failure of the stage (too little data) an error.
 */
function analyzeLinearStage(
  s: ast.ModelSection,
  config: ModelConfig,
  loss: LossConfig,
  d: Collector,
): LinearStageSpec | undefined {
  const entries = s.entries.filter(ast.isInitModeEntry);
  entries.slice(1).forEach((e) => d.error(e, 'a second `init`; keep one'));
  const entry = entries[0];
  if (entry && s.entries.some(ast.isInitFromEntry))
    d.error(entry, '`init from` gives the start; remove this `init`', 'mode');
  if (entry && !oneOf(d, entry, 'mode', entry.mode, INIT_MODES, 'start')) return undefined;
  const explicit = entry?.mode as 'linear' | 'random' | undefined;
  const cannot = (why: string): undefined => {
    if (explicit === 'linear')
      d.error(entry!, `init linear: ${why}; remove it or use \`init random\``, 'mode');
    return undefined;
  };
  if (config.nx === 0) return cannot('the model has no states');
  if (loss.name === 'cross_entropy' || loss.name === 'logistic')
    return cannot(`a linear model does not fit the ${loss.name} loss of binary outputs`);
  if (config.kind === 'custom') {
    if (explicit === 'linear')
      return cannot('a custom model starts from the values in `parameters { … }`');
    return { init: false, required: false };
  }
  const unsupported = linearInitUnsupported(config);
  if (explicit === 'linear' && unsupported) return cannot(unsupported);
  if (explicit === 'random') return { init: false, required: false };
  return { init: true, required: explicit === 'linear' };
}

/** `init from "FILE"`: read and checked against the model; every problem on the init line. */
function analyzeInit(
  s: ast.ModelSection,
  model: Model | undefined,
  experiments: number,
  ctx: AnalysisContext,
  d: Collector,
): ({ file: string } & InitPoint) | undefined {
  const entries = s.entries.filter(ast.isInitFromEntry);
  entries.slice(1).forEach((e) => d.error(e, 'a second `init from`; keep one starting point'));
  const e = entries[0];
  if (!e) return undefined;
  const r = resolveDataPath(e.path, ctx.specDir, ctx.dataDirs);
  if (!r.found) {
    d.error(e, `cannot find init file '${e.path}': looked at ${r.tried.join(', ')}`, 'path');
    return undefined;
  }
  if (!model) return undefined;
  const { point, errors } = readInitPoint(r.found, model);
  for (const m of errors) d.error(e, `init from '${e.path}': ${m}`, 'path');
  if (!point) return undefined;
  if (point.x0.length !== model.nx && point.x0.length !== experiments * model.nx) {
    d.error(
      e,
      `init from '${e.path}': x0 has ${point.x0.length} values; the model needs ${model.nx} (or ${experiments} experiments × ${model.nx})`,
      'path',
    );
    return undefined;
  }
  return { file: r.found, ...point };
}

// ---- custom models ------------------------------------------------------------------------------

const RESERVED = /^(x|u|y)\d+$|^Ts$/;

function analyzeCustomModel(
  s: ast.ModelSection,
  nu: number,
  ny: number,
  Ts: number | undefined,
  d: Collector,
): { config: CustomModelConfig; model?: Model; seed: number } | undefined {
  const statesE = s.entries.filter(ast.isStatesEntry)[0];
  if (!statesE) {
    d.error(s, 'a custom model needs `states n`', 'kind');
    return undefined;
  }
  const nx = intIn(d, statesE, 'value', statesE.value, 1, 'states', 1000);
  if (nx === undefined) return undefined;
  for (const f of s.entries.filter(ast.isFlagEntry))
    d.error(f, `\`${f.flag}\` does not apply to a custom model; write it in the equations`);
  const params: { name: string; init: number; node: ast.ParameterDecl }[] = [];
  for (const pe of s.entries.filter(ast.isParametersEntry)) {
    for (const p of pe.parameters) {
      if (RESERVED.test(p.name) || (FUNCTIONS as readonly string[]).includes(p.name))
        d.error(
          p,
          `'${p.name}' is reserved (states x1…, inputs u1…, outputs y1…, Ts and function names); choose another name`,
          'name',
        );
      else if (params.some((q) => q.name === p.name))
        d.error(p, `parameter '${p.name}' is declared twice`, 'name');
      const init = numIn(d, p, 'init', p.init, `initial value of ${p.name}`, () => true, '');
      params.push({ name: p.name, init: init ?? 0, node: p });
    }
  }
  const names = [
    ...params.map((p) => p.name),
    ...Array.from({ length: nx }, (_, i) => `x${i + 1}`),
    ...Array.from({ length: nu }, (_, j) => `u${j + 1}`),
    ...(Ts !== undefined ? ['Ts'] : []),
  ];
  const states = new Array<Expr | undefined>(nx).fill(undefined);
  const outputs = new Array<Expr | undefined>(ny).fill(undefined);
  const toExpr = (e: ast.Expression): Expr | undefined => {
    if (ast.isNumberLit(e)) return { k: 'num', v: e.value };
    if (ast.isNegExpr(e)) {
      const a = toExpr(e.operand);
      return a && neg(a);
    }
    if (ast.isBinaryExpr(e)) {
      const a = toExpr(e.left);
      const b = toExpr(e.right);
      if (!a || !b) return undefined;
      return e.op === '+'
        ? add(a, b)
        : e.op === '-'
          ? sub(a, b)
          : e.op === '*'
            ? mul(a, b)
            : e.op === '/'
              ? div(a, b)
              : pow(a, b);
    }
    if (ast.isNameExpr(e)) {
      if (e.args.length > 0) {
        if (!(FUNCTIONS as readonly string[]).includes(e.name)) {
          const near = nearest(e.name, FUNCTIONS);
          d.error(
            e,
            `unknown function '${e.name}'${near ? ` (did you mean '${near}'?)` : ''}; use one of ${FUNCTIONS.join(', ')}`,
            'name',
          );
          return undefined;
        }
        if (e.args.length !== 1) {
          d.error(e, `${e.name} takes one argument, got ${e.args.length}`, 'name');
          return undefined;
        }
        const a = toExpr(e.args[0]!);
        return a && call(e.name as FuncName, a);
      }
      const m = /^(x|u)(\d+)$/.exec(e.name);
      if (m) {
        const i = Number(m[2]) - 1;
        const n = m[1] === 'x' ? nx : nu;
        if (i < 0 || i >= n) {
          const list = Array.from({ length: n }, (_, k) => `${m[1]}${k + 1}`).join(', ');
          d.error(
            e,
            m[1] === 'x'
              ? `the model has ${nx} state${nx > 1 ? 's' : ''}: ${list}`
              : `the data have ${nu} input${nu > 1 ? 's' : ''}: ${list}`,
            'name',
          );
          return undefined;
        }
        return { k: m[1] as 'x' | 'u', i };
      }
      if (e.name === 'Ts') {
        if (Ts === undefined) {
          d.error(e, 'Ts is used but the data section gives no `sampling` time', 'name');
          return undefined;
        }
        return { k: 'num', v: Ts };
      }
      const k = params.findIndex((p) => p.name === e.name);
      if (k < 0) {
        const near = nearest(e.name, names);
        d.error(
          e,
          `unknown name '${e.name}'${near ? ` (did you mean '${near}'?)` : ''}; declare it in \`parameters { ${e.name} = … }\``,
          'name',
        );
        return undefined;
      }
      return { k: 'p', i: k };
    }
    return undefined;
  };
  for (const m of s.entries.filter(ast.isMapEntry)) {
    m.settings.forEach((st) =>
      d.error(st, "a custom model is written as equations (`x1' = …`, `y1 = …`), not settings"),
    );
    for (const eq of m.equations) {
      const want = m.map === 'state' ? 'x' : 'y';
      const mm = new RegExp(`^${want}(\\d+)$`).exec(eq.target);
      const n = m.map === 'state' ? nx : ny;
      if (!mm || (m.map === 'state') !== eq.next) {
        d.error(
          eq,
          m.map === 'state'
            ? `state equations are written x1' = …, x2' = … (the model has ${nx} states)`
            : `output equations are written y1 = …, y2 = … (the data have ${ny} outputs)`,
          'target',
        );
        continue;
      }
      const i = Number(mm[1]) - 1;
      if (i < 0 || i >= n) {
        d.error(
          eq,
          m.map === 'state'
            ? `the model has ${nx} states: x1 … x${nx}`
            : `the data have ${ny} output${ny > 1 ? 's' : ''}: y1 … y${ny}`,
          'target',
        );
        continue;
      }
      const list = m.map === 'state' ? states : outputs;
      if (list[i]) d.error(eq, `a second equation for ${eq.target}${eq.next ? "'" : ''}`, 'target');
      const e = toExpr(eq.value);
      if (e) list[i] = e;
    }
  }
  let missing = false;
  states.forEach((e, i) => {
    if (!e) {
      missing = true;
      d.error(s, `the state equation for x${i + 1}' is missing`, 'kind');
    }
  });
  outputs.forEach((e, r) => {
    if (!e) {
      missing = true;
      d.error(s, `the output equation for y${r + 1} is missing`, 'kind');
    }
  });
  if (missing || d.errors > 0) return undefined;
  const config: CustomModelConfig = {
    kind: 'custom',
    nx,
    nu,
    ny,
    parameters: params.map(({ name, init }) => ({ name, init })),
    state: states as Expr[],
    output: outputs as Expr[],
  };
  try {
    return { config, model: new CustomModel(config), seed: 1 };
  } catch (e) {
    d.error(s, e instanceof NailsError ? e.message : String(e), 'kind');
    return undefined;
  }
}

// ---- loss ---------------------------------------------------------------------------------------

function analyzeLoss(
  s: ast.LossSection | undefined,
  ny: number,
  model: ModelConfig | undefined,
  d: Collector,
): LossConfig {
  if (!s) return { name: 'mse' };
  if (!oneOf(d, s, 'name', s.name, LOSS_NAMES, 'loss')) return { name: 'mse' };
  const name = s.name as LossConfig['name'];
  let cfg: LossConfig;
  const eps = s.options.filter(ast.isEpsilonOption)[0];
  const delta = s.options.filter(ast.isDeltaOption)[0];
  const weights = s.options.filter(ast.isWeightsOption)[0];
  for (const o of s.options) {
    const allowed =
      (ast.isEpsilonOption(o) && name === 'cross_entropy') ||
      (ast.isDeltaOption(o) && name === 'pseudo_huber') ||
      (ast.isWeightsOption(o) && name === 'weighted_mse');
    if (!allowed)
      d.error(o, `${o.$type.replace('Option', '').toLowerCase()} does not apply to loss ${name}`);
  }
  if (name === 'cross_entropy') {
    const e = eps
      ? numIn(d, eps, 'value', eps.value, 'epsilon', (v) => v > 0 && v < 1, 'must be in (0, 1)')
      : 1e-4;
    cfg = { name, ...(e !== undefined ? { epsilon: e } : {}) };
    if (model && model.kind !== 'custom' && model.output.final !== 'sigmoid')
      d.warning(
        s,
        'cross_entropy expects outputs in (0, 1): add `final sigmoid` to the output map, or use `loss logistic` on a logit output',
        'name',
      );
  } else if (name === 'pseudo_huber') {
    const v = delta
      ? numIn(d, delta, 'value', delta.value, 'delta', (x) => x > 0, 'must be positive')
      : 1;
    cfg = { name, ...(v !== undefined ? { delta: v } : {}) };
  } else if (name === 'weighted_mse') {
    if (!weights) d.error(s, 'weighted_mse needs `weights [w1, …]`, one per output', 'name');
    const w = (weights?.values ?? []).map(
      (t, i) =>
        numIn(d, weights!, 'values', t, `weight ${i + 1}`, (x) => x >= 0, 'must be ≥ 0') ?? 1,
    );
    if (weights && w.length !== ny)
      d.error(weights, `${w.length} weights for ${ny} outputs; give one weight per output`);
    cfg = { name, weights: w };
  } else cfg = { name };
  return cfg;
}

// ---- regularisers and constraints ---------------------------------------------------------------

function checkTargets(
  d: Collector,
  node: AstNode,
  targets: string[],
  model: Model | undefined,
  experiments: number,
): string[] {
  if (!model) return targets;
  const ok: string[] = [];
  targets.forEach((t, i) => {
    try {
      blockIndices({ model, experiments, trainX0: true }, [t]);
      ok.push(t);
    } catch (e) {
      d.error(node, e instanceof NailsError ? e.message : String(e), 'targets', i);
    }
  });
  return ok;
}

function analyzeRegularize(
  s: ast.RegularizeSection | undefined,
  model: Model | undefined,
  experiments: number,
  d: Collector,
) {
  let rhoTheta = 0;
  let rhoX0 = 0;
  const terms: TermConfig[] = [];
  for (const it of s?.items ?? []) {
    if (ast.isL2Item(it)) {
      for (const st of it.settings) {
        const v = numIn(d, st, 'value', st.value, `l2 ${st.target}`, (x) => x >= 0, 'must be ≥ 0');
        if (v !== undefined) {
          if (st.target === 'weights') rhoTheta = v;
          else rhoX0 = v;
        }
      }
    } else if (ast.isPenaltyItem(it)) {
      const tau = numIn(d, it, 'tau', it.tau, `${it.kind} weight τ`, (x) => x >= 0, 'must be ≥ 0');
      const blocks = checkTargets(d, it, it.targets, model, experiments);
      if (tau !== undefined)
        terms.push({ kind: it.kind, tau, ...(blocks.length ? { blocks } : {}) });
    } else if (ast.isGroupItem(it)) {
      const tau = numIn(d, it, 'tau', it.tau, 'group weight τ', (x) => x >= 0, 'must be ≥ 0');
      const kind = it.kind === 'group' ? 'group-lasso' : 'group-l0';
      if (it.groups) {
        if (model?.kind === 'custom')
          d.error(
            it,
            'state and input groups are defined for linear, rnn and feedforward models; use l1 or l0 on named parameters of a custom model',
            'groups',
          );
        else if (it.groups === 'states' && model && model.nx === 0)
          d.error(it, 'state groups need a model with states', 'groups');
        if (tau !== undefined) terms.push({ kind, tau, groups: it.groups });
      } else {
        const blocks = checkTargets(d, it, it.targets, model, experiments);
        if (tau !== undefined && blocks.length > 0)
          terms.push({ kind, tau, groups: blocks.map((b) => ({ name: b, blocks: [b] })) });
      }
    } else if (ast.isBudgetItem(it)) {
      const blocks = checkTargets(d, it, it.targets, model, experiments);
      const k = intIn(d, it, 'k', it.k, 0, 'the non-zero budget');
      if (k !== undefined && model) {
        const n = blockIndices(
          { model, experiments, trainX0: true },
          blocks.length ? blocks : ['all'],
        ).length;
        if (k > n) d.error(it, `the budget ${k} exceeds the ${n} entries it applies to`, 'k');
      }
      if (k !== undefined)
        terms.push({ kind: 'l0-budget', k, ...(blocks.length ? { blocks } : {}) });
    }
  }
  if (model && terms.some((t) => t.kind === 'group-lasso' || t.kind === 'group-l0') && model.nx > 0)
    stateGroups({ model, experiments, trainX0: true });
  return { rhoTheta, rhoX0, terms };
}

function levelsOf(d: Collector, l: ast.Levels): number[] | undefined {
  if (l.values.length > 0) {
    const v = l.values.map((t) => numIn(d, l, 'values', t, 'level', () => true, ''));
    return v.every((x) => x !== undefined) ? v : undefined;
  }
  const from = parseNum(l.from);
  const to = parseNum(l.to);
  const step = l.step ? parseNum(l.step) : 1;
  if (
    from === undefined ||
    to === undefined ||
    !Number.isInteger(from) ||
    !Number.isInteger(to) ||
    from > to
  ) {
    d.error(l, `levels ${String(l.from)}..${String(l.to)} need integers with from ≤ to`);
    return undefined;
  }
  if (step === undefined || !(step > 0)) {
    d.error(l, 'the level step must be a positive number', 'step');
    return undefined;
  }
  return levelRange(from, to, 1, step);
}

function analyzeConstraints(
  s: ast.ConstrainSection | undefined,
  model: Model | undefined,
  experiments: number,
  d: Collector,
): TermConfig[] {
  const out: TermConfig[] = [];
  for (const it of s?.items ?? []) {
    const blocks = checkTargets(d, it, it.targets, model, experiments);
    if (ast.isBoundsItem(it)) {
      const lo = numIn(d, it, 'lower', it.lower, 'lower bound', () => true, '');
      const hi = numIn(d, it, 'upper', it.upper, 'upper bound', () => true, '');
      if (lo !== undefined && hi !== undefined) {
        if (lo > hi) d.error(it, `bounds [${lo}, ${hi}] are empty: lower must be ≤ upper`, 'upper');
        else out.push({ kind: 'bounds', lower: lo, upper: hi, blocks });
      }
    } else if (ast.isIntegerItem(it)) {
      const lo = it.lower ? parseNum(it.lower) : undefined;
      const hi = it.upper ? parseNum(it.upper) : undefined;
      if (lo !== undefined && hi !== undefined && Math.ceil(lo) > Math.floor(hi))
        d.error(it, `[${lo}, ${hi}] holds no integer`, 'upper');
      else
        out.push({
          kind: 'integer',
          blocks,
          ...(lo !== undefined ? { lower: lo } : {}),
          ...(hi !== undefined ? { upper: hi } : {}),
        });
    } else if (ast.isQuantizeItem(it)) {
      const levels = levelsOf(d, it.levels);
      if (levels) out.push({ kind: 'quantize', levels, blocks });
    } else if (ast.isMixedIntegerItem(it)) {
      const levels = it.levels ? levelsOf(d, it.levels) : undefined;
      if (model && blocks.length === it.targets.length) {
        const n = blockIndices({ model, experiments, trainX0: true }, blocks).length;
        it.entries.forEach((e, i) => {
          if (!(Number.isInteger(e) && e >= 0 && e < n))
            d.error(
              it,
              `entry ${e} is outside the ${n} selected parameters (0-based)`,
              'entries',
              i,
            );
        });
      }
      out.push({
        kind: 'mixed-integer',
        discrete: it.entries,
        blocks,
        ...(levels ? { levels } : {}),
      });
    }
  }
  return out;
}

// ---- solver -------------------------------------------------------------------------------------

function analyzeSolver(
  s: ast.SolverSection | undefined,
  d: Collector,
  hasValidation: boolean,
  hasTerms: boolean,
): ResolvedSpec['solver'] | undefined {
  const out: ResolvedSpec['solver'] = {
    method: 'nailm',
    options: { maxIterations: 100 },
    starts: 1,
    select: 'train',
    seed: 1,
    admm: {},
  };
  if (!s) return out;
  if (!oneOf(d, s, 'method', s.method, METHODS, 'solver')) return undefined;
  out.method = s.method as Method;
  if (hasTerms && (out.method === 'adam' || out.method === 'lbfgs')) {
    d.error(
      s,
      `conflicting settings: regularisers or constraints need ADMM with nails or nailm, not ${out.method}`,
      'method',
    );
  }
  for (const st of s.settings) {
    if (ast.isNumericSetting(st)) {
      const v = parseNum(st.value);
      const positiveInt = (what: string) =>
        v !== undefined && Number.isInteger(v) && v >= 1
          ? v
          : (d.error(st, `${what} must be a positive integer, got ${st.value}`, 'value'),
            undefined);
      /** true for nails/nailm; otherwise an error on the setting's key. */
      const gaussNewtonOnly = (what: string): boolean => {
        if (out.method === 'nails' || out.method === 'nailm') return true;
        d.error(st, `${what} needs solver nails or nailm, not ${out.method}`, 'key');
        return false;
      };
      const nonNeg = (what: string) =>
        v !== undefined && v >= 0
          ? v
          : (d.error(st, `${what} must be a number ≥ 0, got ${st.value}`, 'value'), undefined);
      switch (st.key) {
        case 'iterations': {
          const x = positiveInt('iterations');
          if (x !== undefined) out.options.maxIterations = x;
          break;
        }
        case 'chunk': {
          const x = positiveInt('chunk');
          if (x !== undefined) out.options.chunk = x;
          break;
        }
        case 'seed': {
          if (v === undefined || !Number.isInteger(v) || v < 0)
            d.error(st, `seed must be an integer ≥ 0, got ${st.value}`, 'value');
          else out.seed = v;
          break;
        }
        case 'seconds': {
          if (v === undefined || !(v > 0))
            d.error(st, `seconds must be positive, got ${st.value}`, 'value');
          else out.options.maxSeconds = v;
          break;
        }
        case 'rate': {
          if (v === undefined || !(v > 0))
            d.error(st, `rate must be positive, got ${st.value}`, 'value');
          else {
            if (out.method !== 'adam')
              d.warning(st, 'rate (learning rate) applies to adam only', 'key');
            out.options.learningRate = v;
          }
          break;
        }
        case 'shooting': {
          const x = positiveInt('shooting');
          if (x === undefined) break;
          if (x < 2)
            d.error(st, `shooting needs windows of at least 2 samples, got ${st.value}`, 'value');
          else if (gaussNewtonOnly('multiple shooting'))
            out.shooting = { ...out.shooting, window: x };
          break;
        }
        case 'screen': {
          const x = positiveInt('screen');
          if (x === undefined || !gaussNewtonOnly('screening')) break;
          if (x > 64) d.error(st, `screen at most 64 starts, got ${x}`, 'value');
          else out.screen = x;
          break;
        }
        case 'continuity':
        case 'refine': {
          const refine = st.key === 'refine';
          const x = refine ? positiveInt('refine') : v !== undefined && v > 0 ? v : undefined;
          if (x === undefined) {
            if (!refine) d.error(st, `continuity (ρ_c) must be positive, got ${st.value}`, 'value');
          } else if (!s.settings.some((o) => ast.isNumericSetting(o) && o.key === 'shooting'))
            d.warning(
              st,
              `${st.key} applies to multiple shooting only (add \`shooting N\`)`,
              'key',
            );
          else out.shooting = { window: 0, ...out.shooting, [refine ? 'refine' : 'weight']: x };
          break;
        }
        case 'lambda': {
          const x = nonNeg('lambda');
          if (x !== undefined) {
            if (out.method !== 'nailm')
              d.warning(st, 'lambda (initial damping) applies to nailm only', 'key');
            out.options.lambda0 = x;
          }
          break;
        }
        default: {
          const x = nonNeg(st.key);
          if (x !== undefined) out.options[st.key] = x;
        }
      }
    } else if (ast.isStartsSetting(st)) {
      const n = intIn(d, st, 'value', st.value, 1, 'starts', 256);
      if (n !== undefined) out.starts = n;
      if (st.select !== undefined) {
        out.select = st.select;
        if (out.select === 'validation' && !hasValidation)
          d.error(
            st,
            'select validation needs a `validation` part in data (e.g. `validation 20%`)',
            'select',
          );
      }
    } else if (ast.isAdmmBlock(st)) {
      if (!hasTerms)
        d.warning(st, 'ADMM settings without any regulariser or constraint have no effect');
      for (const a of st.settings) {
        const v = parseNum(a.value);
        const bad = (rule: string) => d.error(a, `admm ${a.key} ${rule}, got ${a.value}`, 'value');
        const ok = (cond: boolean, rule: string): boolean => {
          if (!cond) bad(rule);
          return cond;
        };
        if (v === undefined) bad('must be a number');
        else if (a.key === 'rho') {
          if (ok(v > 0, 'must be positive')) out.admm.rho = v;
        } else if (a.key === 'iterations') {
          if (ok(Number.isInteger(v) && v >= 1, 'must be a positive integer'))
            out.admm.iterations = v;
        } else if (a.key === 'inner') {
          if (ok(Number.isInteger(v) && v >= 1, 'must be a positive integer')) out.admm.inner = v;
        } else if (a.key === 'growth') {
          if (ok(v >= 1, 'must be ≥ 1')) out.admm.rhoGrowth = v;
        } else if (ok(v === 0 || v === 1, 'must be 0 or 1')) out.admm.polish = v === 1;
      }
    }
  }
  return out;
}
