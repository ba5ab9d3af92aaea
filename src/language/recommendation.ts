/**
 * The settings `nails new` would recommend (core/recommend.ts) for the training data of the spec
 * being edited: its data section resolved as the checker does (files read through the header
 * cache, data-headers.ts), its parts cut as the compiler does (cut-parts.ts), the
 * linear stage's singular values from at most the first 20,000 training samples
 * (core/linear/order-singular-values.ts). Computed when asked (a hover, the advice check) and
 * cached per data version (each file's size and modification time) and resolved parts, so an edit
 * elsewhere in the spec costs nothing. In Restricted Mode no file is read and nothing is computed.
 */
import { statSync } from 'node:fs';
import { interleaveChannels, makeExperiment, type Experiment } from '../core/data/experiment.js';
import { orderSingularValues } from '../core/linear/order-singular-values.js';
import {
  orderFromSingularValues,
  recommendSettings,
  type Recommendation,
} from '../core/recommend.js';
import { Collector } from './analysis/collector.js';
import { analyzeData } from './analysis/data.js';
import type { AnalysisContext, ResolvedSpec } from './analysis/types.js';
import { cutParts } from './cut-parts.js';
import * as ast from './generated/ast.js';

export interface DataRecommendation {
  recommendation: Recommendation;
  /** Training and (first) test part samples. */
  N: number;
  nTest: number;
  /** Training samples the singular values were computed from (≤ N). */
  orderSamples: number;
  /** The order the singular values suggest; undefined without an estimate (then 2 states are recommended). */
  order: number | undefined;
}

/** A recommendation, or why there is none (Restricted Mode, data that do not resolve). */
export type RecommendationResult =
  ({ ok: true } & DataRecommendation) | { ok: false; reason: string };

/** Recent results by data version and parts (a handful of specs are open at once). */
const cache = new Map<string, DataRecommendation>();
const CACHE_SIZE = 16;
let computed = 0;

/** How many recommendations were computed (not served from the cache) since the server started. */
export function recommendationsComputed(): number {
  return computed;
}

/** The recommendation for the training data of `spec`'s data section (cached; see above). */
export function recommendForSpec(spec: ast.Spec, ctx: AnalysisContext): RecommendationResult {
  if (ctx.readFiles === false)
    return {
      ok: false,
      reason:
        'not computed in Restricted Mode: the data are not read until you trust this workspace',
    };
  const section = spec.sections.find(ast.isDataSection);
  if (!section) return { ok: false, reason: 'the spec has no data section' };
  const d = new Collector();
  let data: ResolvedSpec['data'];
  try {
    data = analyzeData(section, ctx, d, new Map()).resolved;
  } catch {
    return { ok: false, reason: 'the data section could not be resolved' };
  }
  if (d.errors > 0) return { ok: false, reason: 'the data section has errors' };
  const key = versionKey(data);
  const hit = cache.get(key);
  if (hit) return { ok: true, ...hit };
  const r = compute(data);
  if (!r.ok) return r;
  cache.set(key, r);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return r;
}

/** The resolved parts with each file's size and modification time. */
function versionKey(data: ResolvedSpec['data']): string {
  const files = [
    ...new Set(
      data.parts.flatMap((p) => [...p.inputSources, ...p.outputSources].map((s) => s.file)),
    ),
  ].sort();
  const stamps = files.map((f) => {
    try {
      const st = statSync(f);
      return `${f}:${st.size}:${st.mtimeMs}`;
    } catch {
      return `${f}:missing`;
    }
  });
  return JSON.stringify({ data, stamps });
}

function compute(data: ResolvedSpec['data']): RecommendationResult {
  let parts;
  try {
    parts = cutParts(data);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const train = parts.filter((p) => p.part.kind === 'train');
  const test = parts.find((p) => p.part.kind === 'test');
  if (train.length === 0) return { ok: false, reason: 'the spec has no training data' };
  let experiments: Experiment[];
  try {
    experiments = train.map((p) => {
      const cols = (role: 'input' | 'output') =>
        p.channels.filter((c) => c.role === role).map((c) => c.values);
      const [u, y] = [cols('input'), cols('output')];
      return makeExperiment({
        name: p.part.name,
        u: interleaveChannels(u, p.part.name),
        y: interleaveChannels(y, p.part.name),
        nu: u.length,
        ny: y.length,
      });
    });
  } catch (e) {
    // Non-finite samples: the checker reports them; training would stop on them too.
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  computed++;
  const sv = orderSingularValues(experiments);
  const N = sv.total;
  const nTest = test?.channels[0]?.values.length ?? 0;
  const recommendation = recommendSettings({
    N,
    nu: experiments[0]!.nu,
    ny: experiments[0]!.ny,
    nTest,
    singularValues: sv.singularValues,
  });
  return {
    ok: true,
    recommendation,
    N,
    nTest,
    orderSamples: sv.used,
    order: orderFromSingularValues(sv.singularValues),
  };
}
