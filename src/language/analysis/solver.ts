/**
 * The solver section: method, its settings, starts and ADMM. Names, ranges and their messages come
 * from settings-schema.ts; the rules that tie settings together are here.
 */
import type { Method } from '../../core/fit-job.js';
import { removeFix } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import type { ResolvedSpec } from './types.js';
import { Collector } from './collector.js';
import { checkedName, checkedNumber } from './setting-checks.js';
import { defaultNumber, setting } from '../settings-schema.js';

export function analyzeSolver(
  s: ast.SolverSection | undefined,
  d: Collector,
  hasValidation: boolean,
  hasTerms: boolean,
  /** The model ignores the seed (a custom model without `jitter` starts from its declared values). */
  seedless = false,
): ResolvedSpec['solver'] | undefined {
  const out: ResolvedSpec['solver'] = {
    method: setting('solver', 'method').default as Method,
    options: { maxIterations: defaultNumber(setting('solver', 'iterations')) },
    starts: defaultNumber(setting('solver', 'starts')),
    select: setting('solver', 'select').default as 'train' | 'validation',
    seed: defaultNumber(setting('solver', 'seed')),
    admm: {},
  };
  if (!s) return out;
  if (!checkedName(d, s, 'method', setting('solver', 'method'), s.method)) return undefined;
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
      /** true for nails/nailm; otherwise an error on the setting's key. */
      const gaussNewtonOnly = (what: string): boolean => {
        if (out.method === 'nails' || out.method === 'nailm') return true;
        d.error(
          st,
          `${what} needs solver nails or nailm, not ${out.method}`,
          'key',
          undefined,
          removeFix(st, `\`${st.key}\``),
        );
        return false;
      };
      const x = checkedNumber(d, st, 'value', setting('solver', st.key), st.value);
      if (x === undefined) continue;
      switch (st.key) {
        case 'iterations':
          out.options.maxIterations = x;
          break;
        case 'chunk':
          out.options.chunk = x;
          break;
        case 'seed':
          out.seed = x;
          break;
        case 'seconds':
          out.options.maxSeconds = x;
          break;
        case 'rate':
          if (out.method !== 'adam')
            d.warning(
              st,
              'rate (learning rate) applies to adam only',
              'key',
              undefined,
              removeFix(st, '`rate`'),
            );
          out.options.learningRate = x;
          break;
        case 'shooting':
          if (x < 2)
            d.error(st, `shooting needs windows of at least 2 samples, got ${st.value}`, 'value');
          else if (gaussNewtonOnly('multiple shooting'))
            out.shooting = { ...out.shooting, window: x };
          break;
        case 'screen':
          if (gaussNewtonOnly('screening')) out.screen = x;
          break;
        case 'continuity':
        case 'refine':
          if (!s.settings.some((o) => ast.isNumericSetting(o) && o.key === 'shooting'))
            d.warning(
              st,
              `${st.key} applies to multiple shooting only (add \`shooting N\`)`,
              'key',
            );
          else
            out.shooting = {
              window: 0,
              ...out.shooting,
              [st.key === 'refine' ? 'refine' : 'weight']: x,
            };
          break;
        case 'lambda':
          if (out.method !== 'nailm')
            d.warning(
              st,
              'lambda (initial damping) applies to nailm only',
              'key',
              undefined,
              removeFix(st, '`lambda`'),
            );
          out.options.lambda0 = x;
          break;
        default:
          out.options[st.key] = x;
      }
    } else if (ast.isStartsSetting(st)) {
      const n = checkedNumber(d, st, 'value', setting('solver', 'starts'), st.value);
      if (n !== undefined) out.starts = n;
      if (seedless && n !== undefined && n > 1)
        d.warning(
          st,
          `a custom model starts from its declared parameter values whatever the seed: the ${n} starts would be ${n} copies of one fit; add \`jitter 0.3\` to the model (seeded starts within ±30 %), or use starts 1`,
          'value',
          undefined,
          removeFix(st, '`starts`'),
        );
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
        d.warning(
          st,
          'ADMM settings without any regulariser or constraint have no effect',
          undefined,
          undefined,
          removeFix(st, 'the `admm` settings'),
        );
      for (const a of st.settings) {
        const v = checkedNumber(d, a, 'value', setting('solver.admm', a.key), a.value);
        if (v === undefined) continue;
        if (a.key === 'rho') out.admm.rho = v;
        else if (a.key === 'iterations') out.admm.iterations = v;
        else if (a.key === 'inner') out.admm.inner = v;
        else if (a.key === 'growth') out.admm.rhoGrowth = v;
        else out.admm.polish = v === 1;
      }
    }
  }
  return out;
}
