/** The solver section: method, its settings, starts and ADMM. */
import type { Method } from '../../core/fit-job.js';
import { removeFix } from '../fix-data.js';
import * as ast from '../generated/ast.js';
import type { ResolvedSpec } from './types.js';
import { METHODS } from './vocabulary.js';
import { parseNum, Collector, oneOf, intIn } from './collector.js';

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
      const positiveInt = (what: string) =>
        v !== undefined && Number.isInteger(v) && v >= 1
          ? v
          : (d.error(st, `${what} must be a positive integer, got ${st.value}`, 'value'),
            undefined);
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
      const nonNeg = (what: string) =>
        v !== undefined && v >= 0
          ? v
          : (d.error(st, `${what} must be a number ≥ 0, got ${st.value}`, 'value'), undefined);
      switch (st.key) {
        case 'iterations': {
          const x = positiveInt('iterations');
          if (x !== undefined) out.options.maxIterations = x;
          break;
        }
        case 'chunk': {
          const x = positiveInt('chunk');
          if (x !== undefined) out.options.chunk = x;
          break;
        }
        case 'seed': {
          if (v === undefined || !Number.isInteger(v) || v < 0)
            d.error(st, `seed must be an integer ≥ 0, got ${st.value}`, 'value');
          else out.seed = v;
          break;
        }
        case 'seconds': {
          if (v === undefined || !(v > 0))
            d.error(st, `seconds must be positive, got ${st.value}`, 'value');
          else out.options.maxSeconds = v;
          break;
        }
        case 'rate': {
          if (v === undefined || !(v > 0))
            d.error(st, `rate must be positive, got ${st.value}`, 'value');
          else {
            if (out.method !== 'adam')
              d.warning(
                st,
                'rate (learning rate) applies to adam only',
                'key',
                undefined,
                removeFix(st, '`rate`'),
              );
            out.options.learningRate = v;
          }
          break;
        }
        case 'shooting': {
          const x = positiveInt('shooting');
          if (x === undefined) break;
          if (x < 2)
            d.error(st, `shooting needs windows of at least 2 samples, got ${st.value}`, 'value');
          else if (gaussNewtonOnly('multiple shooting'))
            out.shooting = { ...out.shooting, window: x };
          break;
        }
        case 'screen': {
          const x = positiveInt('screen');
          if (x === undefined || !gaussNewtonOnly('screening')) break;
          if (x > 64) d.error(st, `screen at most 64 starts, got ${x}`, 'value');
          else out.screen = x;
          break;
        }
        case 'continuity':
        case 'refine': {
          const refine = st.key === 'refine';
          const x = refine ? positiveInt('refine') : v !== undefined && v > 0 ? v : undefined;
          if (x === undefined) {
            if (!refine) d.error(st, `continuity (ρ_c) must be positive, got ${st.value}`, 'value');
          } else if (!s.settings.some((o) => ast.isNumericSetting(o) && o.key === 'shooting'))
            d.warning(
              st,
              `${st.key} applies to multiple shooting only (add \`shooting N\`)`,
              'key',
            );
          else out.shooting = { window: 0, ...out.shooting, [refine ? 'refine' : 'weight']: x };
          break;
        }
        case 'lambda': {
          const x = nonNeg('lambda');
          if (x !== undefined) {
            if (out.method !== 'nailm')
              d.warning(
                st,
                'lambda (initial damping) applies to nailm only',
                'key',
                undefined,
                removeFix(st, '`lambda`'),
              );
            out.options.lambda0 = x;
          }
          break;
        }
        default: {
          const x = nonNeg(st.key);
          if (x !== undefined) out.options[st.key] = x;
        }
      }
    } else if (ast.isStartsSetting(st)) {
      const n = intIn(d, st, 'value', st.value, 1, 'starts', 256);
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
        const bad = (rule: string) => d.error(a, `admm ${a.key} ${rule}, got ${a.value}`, 'value');
        const ok = (cond: boolean, rule: string): boolean => {
          if (!cond) bad(rule);
          return cond;
        };
        if (v === undefined) bad('must be a number');
        else if (a.key === 'rho') {
          if (ok(v > 0, 'must be positive')) out.admm.rho = v;
        } else if (a.key === 'iterations') {
          if (ok(Number.isInteger(v) && v >= 1, 'must be a positive integer'))
            out.admm.iterations = v;
        } else if (a.key === 'inner') {
          if (ok(Number.isInteger(v) && v >= 1, 'must be a positive integer')) out.admm.inner = v;
        } else if (a.key === 'growth') {
          if (ok(v >= 1, 'must be ≥ 1')) out.admm.rhoGrowth = v;
        } else if (ok(v === 0 || v === 1, 'must be 0 or 1')) out.admm.polish = v === 1;
      }
    }
  }
  return out;
}
