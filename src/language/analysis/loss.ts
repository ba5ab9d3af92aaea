/** The loss section and its options. */
import { LOSS_NAMES, type LossConfig } from '../../core/losses/index.js';
import type { ModelConfig } from '../../core/models/model.js';
import { removeFix } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import { Collector, oneOf, numIn } from './collector.js';

export function analyzeLoss(
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
    if (!allowed) {
      const option = o.$type.replace('Option', '').toLowerCase();
      d.error(
        o,
        `${option} does not apply to loss ${name}`,
        undefined,
        undefined,
        removeFix(o, `\`${option}\``),
      );
    }
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
