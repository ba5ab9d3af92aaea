/**
 * The model section (linear, rnn, feedforward), its linear stage (`init linear | random`) and the
 * starting point read by `init from`.
 */
import { NailsError } from '../../core/errors.js';
import type { LinearStageSpec } from '../../core/fit-job.js';
import { linearInitUnsupported } from '../../core/linear/linear-init.js';
import type { LossConfig } from '../../core/losses/index.js';
import type { ActivationName } from '../../core/models/activations.js';
import type { Model, ModelConfig } from '../../core/models/model.js';
import { StateSpaceNet, type StateSpaceNetConfig } from '../../core/models/state-space-net.js';
import { resolveDataPath } from '../data-headers.js';
import { removeFix } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import { readInitPoint, type InitPoint } from '../init-file.js';
import { notReadInRestrictedMode } from './restricted.js';
import type { AnalysisContext } from './types.js';
import { Collector } from './collector.js';
import { checkedList, checkedName, checkedNumber } from './setting-checks.js';
import { defaultNumber, setting } from '../settings-schema.js';

/** The model section's `seed` (checked against the settings schema), else the schema's default. */
export function modelSeed(s: ast.ModelSection, d: Collector): number {
  const seedE = s.entries.filter(ast.isSeedEntry)[0];
  const seedDef = setting('model', 'seed');
  return (
    (seedE && checkedNumber(d, seedE, 'value', seedDef, seedE.value)) ?? defaultNumber(seedDef)
  );
}

export function analyzeModel(
  s: ast.ModelSection,
  nu: number,
  ny: number,
  d: Collector,
): { config: ModelConfig; model?: Model; seed: number } | undefined {
  if (!checkedName(d, s, 'kind', setting('model', 'kind'), s.kind)) return undefined;
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
  for (const j of s.entries.filter(ast.isJitterEntry))
    d.error(
      j,
      "`jitter` belongs to `model custom` (its declared start, shifted per seed); this model's start is random by its `seed` already",
      undefined,
      undefined,
      removeFix(j, '`jitter`'),
    );
  const statesE = s.entries.filter(ast.isStatesEntry);
  let nx = kind === 'feedforward' ? 0 : 2;
  if (statesE[0]) {
    if (kind === 'feedforward')
      d.error(
        statesE[0],
        'a feedforward model has no states; remove `states` or use `model rnn`',
        undefined,
        undefined,
        removeFix(statesE[0], '`states`'),
      );
    else
      nx =
        checkedNumber(d, statesE[0], 'value', setting('model', 'states'), statesE[0].value) ?? nx;
  } else if (kind !== 'feedforward') d.warning(s, `no \`states\` given; using ${nx}`, 'kind');
  const seed = modelSeed(s, d);
  const flags = new Set(s.entries.filter(ast.isFlagEntry).map((f) => f.flag));
  const activation = setting('model.map', 'activation').default as ActivationName;
  const maps = {
    state: {
      hidden: [] as number[],
      activation,
      linear: kind !== 'feedforward',
    },
    output: {
      hidden: [] as number[],
      activation,
      linear: true,
      feedthrough: flags.has('feedthrough') || kind === 'feedforward',
      final: setting('model.map', 'final').default as 'identity' | 'sigmoid',
    },
  };
  if (kind === 'rnn') {
    maps.state.hidden = [8];
    maps.output.hidden = [8];
  }
  for (const m of s.entries.filter(ast.isMapEntry)) {
    if (kind === 'linear') {
      d.error(
        m,
        'a linear model has no maps to configure; use `model rnn` for hidden layers',
        undefined,
        undefined,
        removeFix(m, `the ${m.map} map`),
      );
      continue;
    }
    if (kind === 'feedforward' && m.map === 'state') {
      d.error(
        m,
        'a feedforward model has no state map; configure `output { … }`',
        undefined,
        undefined,
        removeFix(m, 'the state map'),
      );
      continue;
    }
    const target = maps[m.map];
    let sawLinear = false;
    for (const st of m.settings) {
      if (ast.isHiddenSetting(st)) {
        const sizes = checkedList(d, st, 'sizes', setting('model.map', 'hidden'), st.sizes);
        target.hidden = sizes.filter((h) => h !== undefined);
      } else if (ast.isActivationSetting(st)) {
        if (checkedName(d, st, 'name', setting('model.map', 'activation'), st.name))
          target.activation = st.name as ActivationName;
      } else if (ast.isFinalSetting(st)) {
        if (m.map !== 'output')
          d.error(
            st,
            'only the output map has a final activation',
            'name',
            undefined,
            removeFix(st, '`final`'),
          );
        else if (checkedName(d, st, 'name', setting('model.map', 'final'), st.name))
          maps.output.final = st.name as 'identity' | 'sigmoid';
      } else if (ast.isFlagSetting(st)) {
        if (st.flag === 'linear') sawLinear = true;
        else if (m.map === 'output') maps.output.feedthrough = true;
        else
          d.error(
            st,
            '`feedthrough` belongs in the output map',
            'flag',
            undefined,
            removeFix(st, '`feedthrough`'),
          );
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
export function analyzeLinearStage(
  s: ast.ModelSection,
  config: ModelConfig,
  loss: LossConfig,
  d: Collector,
): LinearStageSpec | undefined {
  const entries = s.entries.filter(ast.isInitModeEntry);
  entries
    .slice(1)
    .forEach((e) =>
      d.error(e, 'a second `init`; keep one', undefined, undefined, removeFix(e, 'this `init`')),
    );
  const entry = entries[0];
  if (entry && s.entries.some(ast.isInitFromEntry))
    d.error(
      entry,
      '`init from` gives the start; remove this `init`',
      'mode',
      undefined,
      removeFix(entry, 'this `init`'),
    );
  if (entry && !checkedName(d, entry, 'mode', setting('model', 'init'), entry.mode))
    return undefined;
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
export function analyzeInit(
  s: ast.ModelSection,
  model: Model | undefined,
  experiments: number,
  ctx: AnalysisContext,
  d: Collector,
): ({ file: string } & InitPoint) | undefined {
  const entries = s.entries.filter(ast.isInitFromEntry);
  entries
    .slice(1)
    .forEach((e) =>
      d.error(
        e,
        'a second `init from`; keep one starting point',
        undefined,
        undefined,
        removeFix(e, 'this `init from`'),
      ),
    );
  const e = entries[0];
  if (!e) return undefined;
  if (ctx.readFiles === false) {
    d.warning(e, notReadInRestrictedMode(e.path, 'init'), 'path');
    return undefined;
  }
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
