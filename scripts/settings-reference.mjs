// The README's settings reference, generated from package.json's `contributes.configuration`, so
// the two cannot drift: the table between the two marker comments is replaced (--write) or compared
// (--check, exit 1 with the command that fixes it).
//   node scripts/settings-reference.mjs --write | --check [README] [PACKAGE_JSON]
import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';

export const START =
  '<!-- settings-reference:start — generated from package.json by `node scripts/settings-reference.mjs --write`; do not edit -->';
export const END = '<!-- settings-reference:end -->';

/** A markdown table cell: no line breaks, `|` escaped. */
const cell = (s) =>
  String(s)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');

/** How a default value reads in the table. */
function defaultText(value) {
  return value === undefined ? '—' : `\`${JSON.stringify(value)}\``;
}

/** The settings table (markdown, Prettier-formatted) of a manifest's `contributes.configuration`. */
export async function renderSettings(manifest) {
  const config = manifest.contributes?.configuration ?? [];
  const sections = Array.isArray(config) ? config : [config];
  const rows = sections.flatMap((s) =>
    Object.entries(s.properties ?? {}).map(([key, p]) => {
      const type = [p.type ?? 'any'].flat().join(' \\| ');
      const values = p.enum ? ` (${p.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')})` : '';
      const scope = p.scope ? `; scope ${p.scope}` : '';
      const text = p.markdownDescription ?? p.description ?? '';
      return `| \`${key}\` | ${type}${values} | ${defaultText(p.default)} | ${cell(text)}${scope} |`;
    }),
  );
  const table =
    rows.length === 0
      ? 'NAILS Studio contributes no settings.\n'
      : ['| setting | type | default | what it does |', '| --- | --- | --- | --- |', ...rows].join(
          '\n',
        ) + '\n';
  const options = (await prettier.resolveConfig('README.md')) ?? {};
  return prettier.format(table, { ...options, parser: 'markdown' });
}

/** `readme` with the generated table between the markers (which must both be there, in order). */
export async function withSettings(readme, manifest) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a)
    throw new Error(`README.md needs the two lines\n${START}\n${END}\nwhere the settings go`);
  return `${readme.slice(0, a + START.length)}\n\n${await renderSettings(manifest)}\n${readme.slice(b)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, readmeFile = 'README.md', manifestFile = 'package.json'] = process.argv.slice(2);
  if (mode !== '--write' && mode !== '--check') {
    console.error(
      'usage: node scripts/settings-reference.mjs --write | --check [README] [PACKAGE_JSON]',
    );
    process.exit(2);
  }
  try {
    const readme = readFileSync(readmeFile, 'utf8');
    const next = await withSettings(readme, JSON.parse(readFileSync(manifestFile, 'utf8')));
    if (mode === '--write') {
      writeFileSync(readmeFile, next);
      console.log(`${readmeFile}: settings reference ${next === readme ? 'unchanged' : 'updated'}`);
    } else if (next !== readme) {
      console.error(
        `${readmeFile}: the settings reference differs from ${manifestFile}'s contributes.configuration; run node scripts/settings-reference.mjs --write`,
      );
      process.exit(1);
    }
  } catch (e) {
    console.error(`settings-reference: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
