/**
 * Advice (information diagnostics) where an `rnn` spec is far from what is recommended for its
 * data (./recommendation.ts) in a way the benchmark specs showed to matter; silent otherwise:
 *
 *   states  two or more below the order the linear stage's singular values suggest (one below is
 *           within the estimate's uncertainty: cascaded tanks and the MR damper train well one
 *           below). Silverbox: 2 states stopped at ≈ 1.0 mV on every test set, 4 reach 0.374 mV
 *           on the multisine (BENCHMARKS.md, bench/accuracy/silverbox.nails).
 *   l2      the weights' ridge term more than 10× below the recommendation on a record of at most
 *           20,000 training samples (on short records the ridge term is what keeps the nets from
 *           fitting the noise: cascaded tanks 1e-4 gave 0.68–0.88 V against 0.35–0.40 V with
 *           1e-3; exactly 10× below is left alone, as two-tank was the same either way).
 *
 * Custom models are left out: their parameters are physical, not sized by the amount of data.
 * Each advice carries the quick fix that writes the recommended value.
 */
import { GrammarUtils, type AstNode } from 'langium';
import { LONG_RECORD } from '../core/recommend.js';
import { parseNum } from './analysis/collector.js';
import type { FixData } from './fix-data.js';
import * as ast from './generated/ast.js';
import type { DataRecommendation } from './recommendation.js';

export interface Advice {
  node: AstNode;
  property: string;
  message: string;
  fix: FixData;
}

/** States this far below the estimated order get advice. */
const STATES_SHORTFALL = 2;
/** A ridge term more than this factor below the recommendation gets advice. */
const L2_FACTOR = 10;

/** The advice for `spec` given what is recommended for its data. */
export function adviceFor(spec: ast.Spec, r: DataRecommendation): Advice[] {
  const model = spec.sections.find(ast.isModelSection);
  if (model?.kind !== 'rnn') return [];
  const out: Advice[] = [];
  const rec = r.recommendation;
  const order = r.order;
  const states = model.entries.find(ast.isStatesEntry);
  if (states && order !== undefined && states.value <= order - STATES_SHORTFALL)
    out.push({
      node: states,
      property: 'value',
      message: `states ${states.value} is well below the order these data suggest: ${rec.reasons.states}${sampleNote(r)} (on Silverbox 2 states stopped at ≈ 1.0 mV, 4 reach 0.374 mV on the multisine test)`,
      fix: { fix: 'recommend', setting: 'states', value: String(order) },
    });
  const weights = spec.sections
    .filter(ast.isRegularizeSection)
    .flatMap((s) => s.items.filter(ast.isL2Item))
    .flatMap((i) => i.settings)
    .find((s) => s.target === 'weights');
  const l2 = weights && parseNum(weights.value);
  if (weights && l2 !== undefined && r.N <= LONG_RECORD && l2 * L2_FACTOR < rec.l2 * (1 - 1e-9)) {
    const value = rec.l2.toExponential(0);
    out.push({
      node: weights,
      property: 'value',
      message: `l2 weights ${written(weights)} is more than ${L2_FACTOR}× below the ${value} recommended for ${r.N.toLocaleString('en')} training samples (${rec.reasons.l2}); on short records the ridge term keeps the nets from fitting the noise (cascaded tanks: 1e-4 gave 0.68–0.88 V, 1e-3 gave 0.35–0.40 V)`,
      fix: { fix: 'recommend', setting: 'l2 weights', value },
    });
  }
  return out;
}

/** The value as written in the spec (`1e-5`, not 0.00001). */
function written(s: ast.L2Setting): string {
  return GrammarUtils.findNodeForProperty(s.$cstNode, 'value')?.text ?? String(s.value);
}

/** Where the order estimate did not see all the training data. */
export function sampleNote(r: DataRecommendation): string {
  return r.orderSamples < r.N
    ? ` — from the first ${r.orderSamples.toLocaleString('en')} of ${r.N.toLocaleString('en')} training samples`
    : '';
}
