/**
 * docs/schema/*.schema.json are what the valibot schemas of the run folder and the sweep say today
 * (`npm run -s gen:schemas` writes them: src/io/run-folder-json-schema.ts), and each names its
 * format version and the fields the readers require.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { jsonSchemaFiles, SCHEMA_DIR } from '../../src/io/run-folder-json-schema';
import { ROOT } from '../helpers';

describe('JSON Schema in docs/schema', () => {
  it('the committed files are what gen:schemas writes (run npm run -s gen:schemas)', async () => {
    const want = await jsonSchemaFiles(ROOT);
    const dir = path.join(ROOT, SCHEMA_DIR);
    assert.deepEqual(readdirSync(dir).sort(), Object.keys(want).sort());
    for (const [file, text] of Object.entries(want))
      assert.equal(
        readFileSync(path.join(dir, file), 'utf8'),
        text,
        `${SCHEMA_DIR}/${file} is stale`,
      );
  });

  it('each names its format and the fields readers need', async () => {
    const files = await jsonSchemaFiles(ROOT);
    const parse = (f: string) =>
      JSON.parse(files[f]!) as {
        $schema: string;
        required?: string[];
        properties?: Record<string, { const?: string }>;
        type: string;
      };
    const report = parse('report.schema.json');
    assert.equal(report.properties?.format?.const, 'nails-report/1');
    for (const k of ['parts', 'history', 'status', 'value'])
      assert.ok(report.required?.includes(k), k);
    assert.equal(parse('model.schema.json').properties?.format?.const, 'nails-model/1');
    assert.equal(parse('sweep.schema.json').properties?.format?.const, 'nails-sweep/1');
    assert.equal(parse('history.schema.json').type, 'array');
    for (const f of Object.keys(files)) assert.match(parse(f).$schema, /draft-07/);
  });
});
