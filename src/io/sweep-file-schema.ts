/**
 * `sweep.json` (src/protocol/sweep.ts's SweepFile) as a valibot schema, checked when a sweep
 * reads its previous rows (src/sweep/sweep-file.ts) and emitted as JSON Schema into docs/schema
 * (src/io/run-folder-json-schema.ts). Loose objects: fields of newer versions pass.
 */
import * as v from 'valibot';
import { SWEEP_FORMAT } from '../protocol/sweep.js';

const settings = v.record(v.string(), v.string());
const windowOf = v.tuple([v.number(), v.number()]);

export const sweepRowSchema = v.looseObject({
  id: v.string(),
  seed: v.number(),
  settings,
  fold: v.optional(
    v.looseObject({ fold: v.number(), of: v.number(), train: windowOf, validation: windowOf }),
  ),
  status: v.picklist(['done', 'failed']),
  error: v.optional(v.string()),
  run: v.optional(v.string()),
  stop: v.optional(v.string()),
  metrics: v.looseObject({
    trainRmse: v.optional(v.number()),
    validationRmse: v.optional(v.number()),
    testRmse: v.optional(v.number()),
    loss: v.optional(v.number()),
    nonzeros: v.optional(v.number()),
    parameters: v.optional(v.number()),
    states: v.optional(v.number()),
  }),
  wall: v.number(),
  worker: v.optional(v.string()),
});

export const sweepFileSchema = v.looseObject({
  format: v.literal(SWEEP_FORMAT),
  spec: v.string(),
  grid: v.looseObject({
    axes: v.array(v.looseObject({ key: v.string(), values: v.array(v.string()) })),
    seeds: v.array(v.number()),
    iterations: v.optional(v.number()),
    folds: v.optional(v.number()),
  }),
  selectBy: v.picklist(['validationRmse', 'testRmse', 'trainRmse']),
  rows: v.array(sweepRowSchema),
  pareto: v.array(v.string()),
  best: v.optional(v.looseObject({ id: v.string(), settings, metric: v.number() })),
  started: v.string(),
  updated: v.string(),
});
