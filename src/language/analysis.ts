/**
 * Meaning of a parsed .nails spec: resolves every setting against the data file and the model,
 * collects diagnostics attached to the exact node and property, and, when there are no errors,
 * the resolved specification the compiler turns into a training run. Shared by the language
 * server's validator, the command line and the tests, so all of them say the same thing.
 *
 * One file per concern under ./analysis/: types (the resolved spec), vocabulary (accepted words),
 * collector (diagnostics and number/enum checks), then one per section — data, model and
 * custom-model, loss, regularize (with constrain), solver. This file ties them together.
 */
import type { AstNode } from 'langium';
import type { DataHeader } from './data-headers.js';
import * as ast from './generated/ast.js';
import type { AnalysisContext, Analysis } from './analysis/types.js';
import { Collector } from './analysis/collector.js';
import { analyzeData } from './analysis/data.js';
import { analyzeModel, analyzeLinearStage, analyzeInit } from './analysis/model.js';
import { analyzeCustomModel } from './analysis/custom-model.js';
import { analyzeLoss } from './analysis/loss.js';
import { analyzeRegularize, analyzeConstraints } from './analysis/regularize.js';
import { analyzeSolver } from './analysis/solver.js';

export type {
  Analysis,
  AnalysisContext,
  ResolvedMetric,
  ResolvedPart,
  ResolvedSpec,
  Severity,
  SpecDiagnostic,
} from './analysis/types.js';
export {
  FINAL_ACTIVATIONS,
  FREQUENCY_UNITS,
  GENERATORS,
  INIT_MODES,
  METHODS,
  MODEL_KINDS,
  SCALE_MODES,
  TIME_UNITS,
} from './analysis/vocabulary.js';
export { parseNum } from './analysis/collector.js';

export function analyzeSpec(spec: ast.Spec, ctx: AnalysisContext): Analysis {
  const d = new Collector();
  const headers = new Map<string, DataHeader>();
  const sections = <T extends AstNode>(is: (n: unknown) => n is T): T[] =>
    (spec.sections as AstNode[]).filter(is);
  const single = <T extends AstNode>(
    is: (n: unknown) => n is T,
    word: 'data' | 'model' | 'loss' | 'regularize' | 'constrain' | 'solver',
    required: boolean,
  ): T | undefined => {
    const list = sections(is);
    list.slice(1).forEach((s) => d.error(s, `a second ${word} section; merge it into the first`));
    if (required && list.length === 0)
      d.error(
        spec,
        `the spec has no ${word} section; add \`${word} { … }\``,
        undefined,
        undefined,
        {
          fix: 'add-section',
          section: word as 'data' | 'model', // the required ones
        },
      );
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
    modelInfo?.config.kind === 'custom' && !modelInfo.config.jitter,
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
