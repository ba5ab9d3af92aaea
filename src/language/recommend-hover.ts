/**
 * The hover's recommendation for the spec's own data (./recommendation.ts): on `model` every
 * recommended setting with its reason, on `states`, `hidden`, `l2` and `solver` that setting's.
 * Computed on the first hover and cached; in Restricted Mode it says why there is none.
 */
import type { AnalysisContext } from './analysis/types.js';
import type * as ast from './generated/ast.js';
import { sampleNote } from './recommend-advice.js';
import { recommendForSpec, type DataRecommendation } from './recommendation.js';

type Line = 'states' | 'hidden' | 'l2' | 'solver' | 'init';

/** The grammar rule of each keyword that shows a recommendation, and the lines it shows. */
const KEYWORDS: Record<string, { rule: string; lines: readonly Line[] }> = {
  model: { rule: 'ModelSection', lines: ['states', 'hidden', 'l2', 'solver', 'init'] },
  states: { rule: 'StatesEntry', lines: ['states'] },
  hidden: { rule: 'HiddenSetting', lines: ['hidden'] },
  l2: { rule: 'L2Item', lines: ['l2'] },
  solver: { rule: 'SolverSection', lines: ['solver'] },
};

/** Markdown for a hover on `word` (a keyword of grammar rule `rule`); undefined for other keywords. */
export function recommendationHover(
  word: string,
  rule: string | undefined,
  spec: ast.Spec,
  ctx: AnalysisContext,
): string | undefined {
  const k = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word]! : undefined;
  if (!k || k.rule !== rule) return undefined;
  const r = recommendForSpec(spec, ctx);
  if (!r.ok) return word === 'model' ? `Recommended for these data: ${r.reason}.` : undefined;
  const lines = k.lines.map((l) => `- ${line(l, r)}`);
  const note = sampleNote(r);
  return [
    '**Recommended for these data** (what `nails new` would write):',
    '',
    ...lines,
    ...(note && k.lines.includes('states') ? ['', `Singular values${note}.`] : []),
  ].join('\n');
}

function line(l: Line, r: DataRecommendation): string {
  const rec = r.recommendation;
  const e = (v: number) => v.toExponential(0);
  const setting: Record<Line, string> = {
    states: `states ${rec.states}`,
    hidden: `hidden [${rec.hidden}]`,
    l2: `l2 weights ${e(rec.l2)} x0 ${e(rec.l2)}`,
    solver: `solver ${rec.method} { iterations ${rec.iterations} }`,
    init: `init ${rec.init} (test part)`,
  };
  return `\`${setting[l]}\` — ${rec.reasons[l]}`;
}
