/**
 * The run folder's JSON files as valibot schemas, checked on every read (run-folder.ts): a missing
 * or mistyped field is a one-line message naming the file and the field, e.g.
 * `…/report.json: parts[0].metrics: expected an array, got a string`.
 *
 * The schemas check what readers rely on and let other fields through (loose objects), so a file
 * written by a newer version with more fields still loads. Versions: model.json carries `format`
 * (nails-model/1); report.json carries `format` (nails-report/1) since this schema, and a report
 * without one (written before) is checked field by field where present. Another version gets a
 * message naming it.
 *
 * JSON Schema for users' tools: docs/schema/*.schema.json, written from these schemas by
 * `npm run -s gen:schemas` (src/io/run-folder-json-schema.ts).
 */
import * as v from 'valibot';
import { NailsError } from '../core/errors.js';

export const MODEL_FORMAT = 'nails-model/1';
export const REPORT_FORMAT = 'nails-report/1';

/**
 * A number as report.json stores it: non-finite numbers are null, or in older run folders the
 * strings "NaN", "Infinity", "-Infinity".
 */
const jsonNumber = v.union([v.number(), v.null(), v.picklist(['NaN', 'Infinity', '-Infinity'])]);
const numbers = v.array(v.number());
const strings = v.array(v.string());
const channel = v.looseObject({ name: v.string(), unit: v.optional(v.string()) });

export const savedModelSchema = v.looseObject({
  format: v.literal(MODEL_FORMAT),
  experiment: v.string(),
  model: v.looseObject({
    kind: v.picklist(['linear', 'rnn', 'feedforward', 'custom']),
    nx: v.number(),
    nu: v.number(),
    ny: v.number(),
  }),
  layout: v.array(
    v.looseObject({ name: v.string(), offset: v.number(), rows: v.number(), cols: v.number() }),
  ),
  theta: numbers,
  x0s: numbers,
  scaling: v.looseObject({ uMean: numbers, uStd: numbers, yMean: numbers, yStd: numbers }),
  // The loss is rebuilt from its config by the readers that need it (its fields vary by loss).
  loss: v.looseObject({}),
  // Absent in the oldest run folders (readSavedModel defaults them).
  specDir: v.optional(v.string()),
  dataDirs: v.optional(strings),
  created: v.optional(v.string()),
  Ts: v.optional(v.number()),
  inputs: v.optional(v.array(channel)),
  outputs: v.optional(v.array(channel)),
  dataFiles: v.optional(strings),
});

const partEntries = {
  kind: v.string(),
  name: v.string(),
  N: v.number(),
  nInit: v.number(),
  x0Method: v.optional(v.string()),
  outputs: v.optional(strings),
  units: v.optional(strings),
  metrics: v.array(v.record(v.string(), jsonNumber)),
  metric: v.optional(v.looseObject({ unit: v.string(), rmse: v.array(jsonNumber) })),
};

/** One iteration of report.json's `history` (what history.csv holds as rows). */
export const historyRecordSchema = v.looseObject({
  iteration: v.number(),
  value: jsonNumber,
  elapsed: v.optional(jsonNumber),
});

const reportEntries = {
  experiment: v.string(),
  method: v.string(),
  status: v.string(),
  message: v.string(),
  value: jsonNumber,
  iterations: v.number(),
  elapsed: jsonNumber,
  starts: v.array(v.looseObject({ value: jsonNumber, status: v.string() })),
  bestStart: v.number(),
  Ts: v.optional(v.number()),
  history: v.array(historyRecordSchema),
};

/** report.json with `format` nails-report/1: every field readers rely on is there. */
export const runReportSchema = v.looseObject({
  format: v.literal(REPORT_FORMAT),
  ...reportEntries,
  parts: v.array(v.looseObject(partEntries)),
});

/**
 * report.json from before versioning (no `format`): readers took every field as optional, so
 * each is checked only when present.
 */
export const legacyReportSchema = v.partial(
  v.looseObject({ ...reportEntries, parts: v.array(v.partial(v.looseObject(partEntries))) }),
);

/** `parts[0].metrics` from a valibot issue path. */
function fieldPath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(the whole file)';
}

/** What was found, in words: `the string "x"`, `an array`, `null`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** The expected side of an issue in words (`an array`, `a number`, one of the listed values). */
function expected(issue: v.BaseIssue<unknown>): string {
  const e = issue.expected ?? 'a valid value';
  const words: Record<string, string> = {
    Array: 'an array',
    Object: 'an object',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
  };
  return words[e] ?? e;
}

/**
 * `value` checked against `schema`; otherwise a NailsError naming `file` and the first wrong field
 * (a format other than `format` gets a message naming the version found).
 */
export function checkRunFile<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  file: string,
  format: string,
): v.InferOutput<S> {
  const formatFound = (value as { format?: unknown } | null)?.format;
  if (formatFound !== undefined && formatFound !== format)
    throw new NailsError(
      `${file} has format ${JSON.stringify(formatFound)}, which this version of NAILS Studio does not read (it reads ${format}); open it with the version that wrote it`,
      file,
    );
  const r = v.safeParse(schema, value);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const more = r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : '';
  const what =
    issue.input === undefined
      ? 'the field is missing'
      : `expected ${expected(issue)}, got ${describe(issue.input)}`;
  throw new NailsError(`${file}: ${fieldPath(issue)}: ${what}${more}`, file);
}
