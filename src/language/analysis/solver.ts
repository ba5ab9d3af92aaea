/**
 * The solver section: method, its settings, starts and ADMM. Ranges and their messages come from
 * settings-schema.ts; the rules that tie settings together are here.
 */
import type { Method } from '../../core/fit-job.js';
import { removeFix } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import type { ResolvedSpec } from './types.js';
import { METHODS } from './vocabulary.js';
import { parseNum, Collector, oneOf, intIn } from './collector.js';
import { findSetting, settingProblem } from '../settings-schema.js';

export function analyzeSolver(
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
      /** The value when settings-schema.ts allows it; otherwise its error on the value. */
      const checked = (): number | undefined => {
        const def = findSetting('solver', st.key);
        const problem = def && settingProblem(def, v, st.value);
        if (problem) d.error(st, problem, 'value');
        return problem ? undefined : v;
      };
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
      const x = checked();
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
      const n = intIn(d, st, 'value', st.value, 1, 'starts', findSetting('solver', 'starts')?.max);
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
        d.warning(
          st,
          'ADMM settings without any regulariser or constraint have no effect',
          undefined,
          undefined,
          removeFix(st, 'the `admm` settings'),
        );
      for (const a of st.settings) {
        const v = parseNum(a.value);
        const def = findSetting('solver.admm', a.key);
        const problem =
          v === undefined
            ? `admm ${a.key} must be a number, got ${a.value}`
            : def && settingProblem(def, v, a.value);
        if (problem || v === undefined) {
          d.error(a, problem ?? '', 'value');
          continue;
        }
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
