/**
 * The README's settings reference, generated from settings-schema.ts: a Markdown table between
 * `<!-- settings:begin -->` and `<!-- settings:end -->`, written by `npm run -s gen:settings`
 * (scripts/gen-docs.mjs) and compared with the README by test/docs/settings-table.test.ts.
 */
import {
  SETTINGS,
  rangeText,
  setKeys,
  settingKey,
  syntaxOf,
  type SettingDef,
} from './settings-schema.js';

export const BEGIN = '<!-- settings:begin -->';
export const END = '<!-- settings:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string) => `\`${s}\``;

/** The `--set` column: ✓ when `--set` takes the setting's key, its keys when other, else blank. */
function setCell(d: SettingDef): string {
  const keys = setKeys(d);
  if (keys.length === 1 && keys[0] === settingKey(d)) return '✓';
  return keys.map(code).join(', ');
}

/**
 * The table: one row per setting, in the schema's order (section by section): its key, how it
 * is written, its values, default and units, the `--set` keys, and what it does.
 */
export function settingsTable(): string {
  const rows = SETTINGS.map((d) =>
    [
      code(settingKey(d)),
      code(syntaxOf(d)),
      rangeText(d),
      d.default ?? '',
      d.units ?? '',
      setCell(d),
      d.doc,
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    '| setting | written | values | default | units | `--set` | what it does |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r} |`),
  ].join('\n');
}

/** `readme` with the text between the markers replaced by the table (unformatted). */
export function withSettingsTable(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`the README has no ${BEGIN} … ${END} markers`);
  return `${readme.slice(0, a + BEGIN.length)}\n\n${settingsTable()}\n\n${readme.slice(b)}`;
}
