/**
 * JSON Schema of the files a run or a sweep writes, for users' own tools: generated from the
 * valibot schemas the readers check (run-folder-schema.ts, sweep-file-schema.ts) with
 * @valibot/to-json-schema, written into docs/schema/ by `npm run -s gen:schemas`
 * (scripts/gen-docs.mjs) and compared with what is committed by test/docs/json-schema.test.ts.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import * as prettier from 'prettier';
import * as v from 'valibot';
import {
  historyRecordSchema,
  MODEL_FORMAT,
  REPORT_FORMAT,
  runReportSchema,
  savedModelSchema,
} from './run-folder-schema.js';
import { sweepFileSchema } from './sweep-file-schema.js';
import { SWEEP_FORMAT } from '../protocol/sweep.js';

/** The folder the schemas are written into, relative to the repository root. */
export const SCHEMA_DIR = 'docs/schema';

const ENTRIES = [
  {
    file: 'report.schema.json',
    schema: runReportSchema,
    title: `report.json of a run folder (${REPORT_FORMAT})`,
    description:
      'Status, metrics per part, every start and the iteration history of a training run. A non-finite number is null (older run folders: the strings "NaN", "Infinity", "-Infinity"). Fields not listed are allowed.',
  },
  {
    file: 'model.schema.json',
    schema: savedModelSchema,
    title: `model.json of a run folder (${MODEL_FORMAT})`,
    description:
      'The trained model: configuration, parameter layout, θ, the trained initial states, the scaling and the loss. Fields not listed are allowed.',
  },
  {
    file: 'history.schema.json',
    schema: v.array(historyRecordSchema),
    title: 'The iteration history of a run (report.json `history`)',
    description:
      'One record per solver iteration: iteration, loss value and elapsed seconds, plus the method’s own fields (damping, step, ADMM residuals); history.csv holds the same rows.',
  },
  {
    file: 'sweep.schema.json',
    schema: sweepFileSchema,
    title: `sweep.json of a sweep folder (${SWEEP_FORMAT})`,
    description:
      'The grid, one row per fit (settings, seed, fold, status, metrics), the Pareto front and the best settings. Fields not listed are allowed.',
  },
] as const;

/** File name → the JSON text to write (formatted as the repository's Prettier does). */
export async function jsonSchemaFiles(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of ENTRIES) {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: e.title,
      description: e.description,
      ...toJsonSchema(e.schema, { target: 'draft-07', errorMode: 'throw' }),
    };
    const file = `${root}/${SCHEMA_DIR}/${e.file}`;
    const options = (await prettier.resolveConfig(file)) ?? {};
    out[e.file] = await prettier.format(JSON.stringify(schema), { ...options, filepath: file });
  }
  return out;
}
