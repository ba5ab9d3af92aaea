// Writes the generated parts of the docs, each formatted by the repository's Prettier:
//   schemas   docs/schema/*.schema.json: JSON Schema of report.json, model.json, the history and
//             sweep.json from the readers' valibot schemas (src/io/run-folder-json-schema.ts)
//   settings  the README's settings reference between <!-- settings:begin --> and
//             <!-- settings:end --> from src/language/settings-schema.ts
// Run: npm run -s gen:schemas, npm run -s gen:settings (node with tsx, which reads the sources).
// test/docs/json-schema.test.ts and test/docs/settings-table.test.ts fail when either is stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { SCHEMA_DIR, jsonSchemaFiles } from '../src/io/run-folder-json-schema.ts';
import { withSettingsTable } from '../src/language/settings-table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const what = process.argv[2];

if (what === 'schemas') {
  const dir = path.join(root, SCHEMA_DIR);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(await jsonSchemaFiles(root))) {
    writeFileSync(path.join(dir, file), text);
    console.log(`${SCHEMA_DIR}/${file}`);
  }
} else if (what === 'settings') {
  const file = path.join(root, 'README.md');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(withSettingsTable(readFileSync(file, 'utf8')), {
    ...options,
    filepath: file,
  });
  writeFileSync(file, text);
  console.log('README.md: settings reference written');
} else {
  console.error('usage: node --import tsx scripts/gen-docs.mjs schemas|settings');
  process.exit(2);
}
