/**
 * Hover text for the keywords of the .nails language. A setting's keyword is described from
 * settings-schema.ts (doc, range, default, units), found by the grammar rule the keyword is in, so
 * `seed` in `generate`, in `model` and in `solver` each say their own; the keywords that are not
 * settings (sections, blocks, maps) are described here.
 */
import { SETTINGS, keywordOf, settingForKeyword, settingSummary } from './settings-schema.js';

/** The keywords that are not settings: sections, blocks and maps. */
const WRITTEN: Record<string, string> = {
  data: 'Where the input/output data come from (a CSV or MAT file, or a generator), the estimation and test parts, the sampling time and the scaling.',
  output: 'The output map ŷ = g(x, u).',
  state: 'The state map x⁺ = f(x, u).',
  regularize:
    'Regularisers: `l2 weights ρθ x0 ρx0` (smooth), and the ADMM terms `l1`, `l0`, `group states|inputs`, `group_l0`, `budget k`.',
  constrain:
    'Constraint sets on parameter blocks: `bounds`, `integer`, `quantize`, `mixed_integer`, by ADMM (exactly satisfied).',
  admm: 'ADMM settings: rho (penalty), iterations, inner (smooth steps per iteration), growth (ρ multiplier), polish (1 or 0).',
  parameters:
    'The named parameters of a custom model with their initial values: `parameters { a = 0.5 }`.',
};

/**
 * What `word` means where it is written (`rule`: the grammar rule of the keyword, when known):
 * the schema's setting, else the text here; without a rule, the first setting with that keyword.
 */
export function keywordDoc(word: string, rule?: string): string | undefined {
  const d = rule !== undefined ? settingForKeyword(rule, word) : undefined;
  if (d) return settingSummary(d);
  if (Object.hasOwn(WRITTEN, word)) return WRITTEN[word];
  const any = rule === undefined ? SETTINGS.find((s) => keywordOf(s) === word) : undefined;
  return any && settingSummary(any);
}
