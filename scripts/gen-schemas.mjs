// Writes docs/schema/*.schema.json: JSON Schema of report.json, model.json, the history and
// sweep.json from the valibot schemas the readers check (src/io/run-folder-json-schema.ts).
// Run: npm run -s gen:schemas (node with tsx, which reads the TypeScript sources).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_DIR, jsonSchemaFiles } from '../src/io/run-folder-json-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = path.join(root, SCHEMA_DIR);
mkdirSync(dir, { recursive: true });
for (const [file, text] of Object.entries(await jsonSchemaFiles(root))) {
  writeFileSync(path.join(dir, file), text);
  console.log(`${SCHEMA_DIR}/${file}`);
}
