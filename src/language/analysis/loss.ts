/** The loss section and its options. */
import type { LossConfig } from '../../core/losses/index.js';
import type { ModelConfig } from '../../core/models/model.js';
import { removeFix } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import type { Collector } from './collector.js';
import { checkedList, checkedName, checkedNumber } from './setting-checks.js';
import { defaultNumber, setting } from '../settings-schema.js';

export function analyzeLoss(
  s: ast.LossSection | undefined,
  ny: number,
  model: ModelConfig | undefined,
  d: Collector,
): LossConfig {
  if (!s) return { name: 'mse' };
  if (!checkedName(d, s, 'name', setting('loss', 'function'), s.name)) return { name: 'mse' };
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
    const def = setting('loss', 'epsilon');
    const e = eps ? checkedNumber(d, eps, 'value', def, eps.value) : defaultNumber(def);
    cfg = { name, ...(e !== undefined ? { epsilon: e } : {}) };
    if (model && model.kind !== 'custom' && model.output.final !== 'sigmoid')
      d.warning(
        s,
        'cross_entropy expects outputs in (0, 1): add `final sigmoid` to the output map, or use `loss logistic` on a logit output',
        'name',
      );
  } else if (name === 'pseudo_huber') {
    const def = setting('loss', 'delta');
    const v = delta ? checkedNumber(d, delta, 'value', def, delta.value) : defaultNumber(def);
    cfg = { name, ...(v !== undefined ? { delta: v } : {}) };
  } else if (name === 'weighted_mse') {
    if (!weights) d.error(s, 'weighted_mse needs `weights [w1, …]`, one per output', 'name');
    const w = weights
      ? checkedList(d, weights, 'values', setting('loss', 'weights'), weights.values).map(
          (x) => x ?? 1,
        )
      : [];
    if (weights && w.length !== ny)
      d.error(weights, `${w.length} weights for ${ny} outputs; give one weight per output`);
    cfg = { name, weights: w };
  } else cfg = { name };
  return cfg;
}
