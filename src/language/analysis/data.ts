/**
 * The data section: files, parts and their signals (channels resolved in ../part-signals.ts),
 * sampling time, scaling, decimation and the metric unit.
 */
import type { AstNode } from 'langium';
import type { DecimationFilter } from '../../core/data/decimate.js';
import { unitFactor } from '../../core/data/units.js';
import { NailsError } from '../../core/errors.js';
import { readHeader, resolveDataPath, type DataHeader } from '../data-headers.js';
import * as ast from '../generated/ast.js';
import { resolveChannels } from '../part-signals.js';
import { notReadInRestrictedMode } from './restricted.js';
import { signalProblems } from '../signal-checks.js';
import type { ResolvedPart, ResolvedSpec, AnalysisContext } from './types.js';
import { TIME_UNITS, FREQUENCY_UNITS } from './vocabulary.js';
import { Collector, oneOf } from './collector.js';
import { checkedName, checkedNumber } from './setting-checks.js';
import { defaultNumber, setting } from '../settings-schema.js';

export function analyzeData(
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
    const v = checkedNumber(d, e, 'value', setting('data', 'sampling'), e.value);
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
  let scale = setting('data', 'scale').default as 'standard' | 'none';
  for (const e of s.entries.filter(ast.isScaleEntry))
    if (checkedName(d, e, 'mode', setting('data', 'scale'), e.mode))
      scale = e.mode as 'standard' | 'none';

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
    if (ctx.readFiles === false) {
      d.warning(entry, notReadInRestrictedMode(file, 'data'), 'path');
      return undefined;
    }
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
    checkedName(d, gen, 'generator', setting('data', 'generate'), gen.generator);
    let seed = defaultNumber(setting('data.generate', 'seed'));
    let samples = defaultNumber(setting('data.generate', 'samples'));
    for (const o of gen.options) {
      const v = checkedNumber(d, o, 'value', setting('data.generate', o.key), o.value);
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
    const factor = checkedNumber(d, item, 'factor', setting('data', 'decimate'), item.factor);
    const filter = item.filter ?? setting('data', 'filter').default;
    if (!checkedName(d, item, 'filter', setting('data', 'filter'), filter)) return undefined;
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
    let nInit = initItem?.value ?? defaults.init ?? defaultNumber(setting('data', 'init'));
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
        d.error(
          p.range,
          `range ${a}..${b} is outside the record of ${length} samples`,
          undefined,
          undefined,
          // Clamp to the record (from its start when the range begins after its end).
          { fix: 'clamp-range', start: a < length ? a : 0, end: length, safe: a < length },
        );
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
        fraction = checkedNumber(
          d,
          p.fraction,
          'value',
          setting('data', 'validation'),
          p.fraction.value,
        );
    }
    if (p.part === 'validation' && !p.fraction && !p.range && !fileItem)
      d.error(
        p,
        'say which data validate: `validation 20%` (last 20 % of train) or `validation a..b`',
      );
    if (initItem) checkedNumber(d, initItem, 'value', setting('data', 'init'), initItem.value);
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
