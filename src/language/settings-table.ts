/**
 * The README's settings reference, generated from settings-schema.ts: a Markdown table between
 * `<!-- settings:begin -->` and `<!-- settings:end -->`, written by `npm run -s gen:settings`
 * (scripts/gen-docs.mjs) and compared with the README by test/docs/settings-table.test.ts.
 */
import { SETTINGS, rangeText, settingKey } from './settings-schema.js';

export const BEGIN = '<!-- settings:begin -->';
export const END = '<!-- settings:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The table (one row per setting: key as `--set` takes it, range, default, units, doc). */
export function settingsTable(): string {
  const rows = SETTINGS.map(
    (d) =>
      `| \`${settingKey(d)}\` | ${cell(rangeText(d))} | ${cell(d.default ?? '')} | ${cell(d.units ?? '')} | ${cell(d.doc)} |`,
  );
  return [
    '| setting | range | default | units | what it does |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** `readme` with the text between the markers replaced by the table (unformatted). */
export function withSettingsTable(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`the README has no ${BEGIN} … ${END} markers`);
  return `${readme.slice(0, a + BEGIN.length)}\n\n${settingsTable()}\n\n${readme.slice(b)}`;
}
