/** The regularize and constrain sections: penalties, groups, budgets, bounds, levels. */
import type { AstNode } from 'langium';
import { blockIndices, stateGroups } from '../../core/admm/groups.js';
import { levelRange, type TermConfig } from '../../core/admm/terms.js';
import { NailsError } from '../../core/errors.js';
import type { Model } from '../../core/models/model.js';
import { nearest } from '../../core/data/signal-table.js';
import { removeFix, type FixData } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import { parseNum, Collector, numIn } from './collector.js';
import { checkedNumber } from './setting-checks.js';
import { setting } from '../settings-schema.js';

/** The item's name in a quick fix's title: `l1`, `bounds`, … */
function itemWord(node: AstNode): string {
  const kind = (node as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : node.$type.replace('Item', '').toLowerCase();
}

/**
 * Fixes for a target that names no block of the model: the block "did you mean" names, then
 * removing the target (the item, when it is its only target).
 */
function targetFixes(node: AstNode, targets: string[], i: number, model: Model): FixData[] {
  const t = targets[i]!;
  const names = model.layout.blocks.map((b) => b.name);
  const near = /[*]/.test(t) ? undefined : nearest(t, names);
  const remove =
    targets.length > 1
      ? removeFix(node, `'${t}'`, 'targets', i)
      : removeFix(node, `this \`${itemWord(node)}\``);
  return [
    ...(near ? [{ fix: 'replace' as const, candidates: [near], suggested: true }] : []),
    ...(remove ? [remove] : []),
  ];
}

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
      d.error(
        node,
        e instanceof NailsError ? e.message : String(e),
        'targets',
        i,
        targetFixes(node, targets, i, model),
      );
    }
  });
  return ok;
}

export function analyzeRegularize(
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
        const v = checkedNumber(d, st, 'value', setting('regularize.l2', st.target), st.value);
        if (v !== undefined) {
          if (st.target === 'weights') rhoTheta = v;
          else rhoX0 = v;
        }
      }
    } else if (ast.isPenaltyItem(it)) {
      const tau = checkedNumber(d, it, 'tau', setting('regularize', it.kind), it.tau);
      const blocks = checkTargets(d, it, it.targets, model, experiments);
      if (tau !== undefined)
        terms.push({ kind: it.kind, tau, ...(blocks.length ? { blocks } : {}) });
    } else if (ast.isGroupItem(it)) {
      const tau = checkedNumber(d, it, 'tau', setting('regularize', it.kind), it.tau);
      const kind = it.kind === 'group' ? 'group-lasso' : 'group-l0';
      if (it.groups) {
        if (model?.kind === 'custom')
          d.error(
            it,
            'state and input groups are defined for linear, rnn and feedforward models; use l1 or l0 on named parameters of a custom model',
            'groups',
            undefined,
            removeFix(it, `this \`${it.kind}\``),
          );
        else if (it.groups === 'states' && model && model.nx === 0)
          d.error(
            it,
            'state groups need a model with states',
            'groups',
            undefined,
            removeFix(it, `this \`${it.kind}\``),
          );
        if (tau !== undefined) terms.push({ kind, tau, groups: it.groups });
      } else {
        const blocks = checkTargets(d, it, it.targets, model, experiments);
        if (tau !== undefined && blocks.length > 0)
          terms.push({ kind, tau, groups: blocks.map((b) => ({ name: b, blocks: [b] })) });
      }
    } else if (ast.isBudgetItem(it)) {
      const blocks = checkTargets(d, it, it.targets, model, experiments);
      const k = checkedNumber(d, it, 'k', setting('regularize', 'budget'), it.k);
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
  const step = l.step ? checkedNumber(d, l, 'step', setting('constrain', 'step'), l.step) : 1;
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
  if (step === undefined) return undefined;
  return levelRange(from, to, 1, step);
}

export function analyzeConstraints(
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
