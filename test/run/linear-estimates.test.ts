/**
 * The linear stage shared between the fits of a sweep (src/run/linear-estimates.ts): a fit whose
 * training data and model an earlier fit had takes that fit's estimate instead of computing it
 * again. What must hold: the key separates what the stage reads (data, model, loss, ρ) and nothing
 * else (not the seed, not ℓ1); a fit given the estimate trains to exactly what it would have
 * computed; the estimate is really taken (a marked one comes back), also by every fit of a
 * 2-worker local sweep. Between fits running at the same time: the first claims the stage and
 * publishes it before its solver starts; a random-start fit trains without the stage and takes the
 * claimed one (or computes it when the claimant had none to give); a linear-start fit computes
 * its own rather than wait.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Random } from '../../src/core/random';
import { compileSpec } from '../../src/language/compiler';
import { checkSpecFile } from '../../src/language/load-spec';
import {
  linearStageKey,
  shareLinearStage,
  type LinearEstimates,
  type LinearStagesInFlight,
} from '../../src/run/linear-estimates';
import { givenLinearStageSummary, type LinearStageSummary } from '../../src/core/fit-job';
import { trainSpec, type TrainHooks } from '../../src/run/train-spec';
import type { SweepRow } from '../../src/protocol/sweep';
import { ROOT } from '../helpers';
import { localSweep } from '../sweep/sweep-helpers';

const workerPath = path.join(ROOT, 'dist', 'worker.cjs');

/** A record of a stable nonlinear second-order system driven by a random input (600 samples). */
function csv(seed: number, perturb = false): string {
  const rng = new Random(seed);
  const rows = ['u,y'];
  let x1 = 0;
  let x2 = 0;
  for (let k = 0; k < 600; k++) {
    const u = rng.normal();
    const y = Math.tanh(x1) + 0.05 * x2 + 0.01 * rng.normal();
    rows.push(`${u},${perturb && k === 300 ? y + 1e-9 : y}`);
    const n1 = 0.7 * x1 + 0.2 * x2 + 0.5 * u;
    x2 = -0.3 * x1 + 0.6 * x2 + 0.1 * Math.sin(u);
    x1 = n1;
  }
  return `${rows.join('\n')}\n`;
}

interface Variant {
  states?: number;
  l2?: string;
  l1?: string;
  init?: string;
  loss?: string;
  perturb?: boolean;
}

/** A spec (with its CSV) in a folder of its own. */
function spec(v: Variant = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-linear-estimates-'));
  writeFileSync(path.join(dir, 'rec.csv'), csv(4, v.perturb));
  const file = path.join(dir, 'rec.nails');
  writeFileSync(
    file,
    `experiment rec
data {
  file "rec.csv"
  sampling 1 s
  input u
  output y
  train 0..450
  test 450..600 { init 10 }
  scale standard
}
model rnn {
  states ${v.states ?? 2}
  state { hidden [4] activation tanh linear }
  output { hidden [] linear }
  seed 1
  init ${v.init ?? 'linear'}
}
loss ${v.loss ?? 'mse'}
regularize {
  l2 weights ${v.l2 ?? '1e-4'} x0 1e-4
${v.l1 ? `  l1 ${v.l1}\n` : ''}}
solver nailm { iterations 6 }
`,
  );
  return file;
}

async function key(file: string, seed?: number): Promise<string | undefined> {
  const check = await checkSpecFile(file, []);
  assert.equal(check.errors, 0, JSON.stringify(check.problems));
  const compiled = compileSpec(check.analysis.resolved!);
  if (seed !== undefined) compiled.fit.init = { seed };
  return linearStageKey(compiled.fit);
}

async function train(
  file: string,
  seed: number,
  known?: LinearEstimates,
  inFlight?: LinearStagesInFlight,
  hooks: TrainHooks = {},
) {
  const out = mkdtempSync(path.join(tmpdir(), 'nails-linear-estimates-runs-'));
  const r = await trainSpec(
    file,
    {
      dataDirs: [],
      workerPath,
      out,
      seed,
      ...(known ? { linearEstimates: known } : {}),
      ...(inFlight ? { linearInFlight: inFlight } : {}),
    },
    hooks,
  ).outcome;
  assert.ok(r.result && r.runDir, 'the fit ran');
  const model = JSON.parse(readFileSync(path.join(r.runDir, 'model.json'), 'utf8')) as {
    theta: number[];
    x0s: number[];
  };
  return { result: r.result, model };
}

/** A JSON file of a sweep row's run folder. */
function runFile<T>(sweepDir: string, row: SweepRow, name: string): T {
  return JSON.parse(readFileSync(path.join(sweepDir, row.run!, name), 'utf8')) as T;
}

/** An in-flight map that records each claim made on it (`onClaim` is called as it is made). */
function watchedInFlight(
  onClaim: (key: string, claim: Promise<LinearStageSummary | undefined>) => void = () => undefined,
) {
  const claims: { key: string; claim: Promise<LinearStageSummary | undefined> }[] = [];
  class Watched extends Map<string, Promise<LinearStageSummary | undefined>> {
    override set(key: string, claim: Promise<LinearStageSummary | undefined>) {
      claims.push({ key, claim });
      onClaim(key, claim);
      return super.set(key, claim);
    }
  }
  return { inFlight: new Watched(), claims };
}

describe('linear stages shared between fits (run/linear-estimates.ts)', () => {
  it('the key follows what the stage reads: not the seed or ℓ1; the data, states, ρ and loss', async () => {
    const base = await key(spec());
    assert.ok(base && /^[0-9a-f]{64}$/.test(base));
    assert.equal(await key(spec(), 7), base, 'another seed');
    assert.equal(await key(spec({ l1: '1e-3' })), base, 'an ℓ1 term (ADMM)');
    assert.equal(await key(spec({ init: 'random' })), base, 'a random start (the baseline only)');
    for (const [what, v] of [
      ['one sample changed by 1e-9', { perturb: true }],
      ['another order', { states: 3 }],
      ['another ρ_θ', { l2: '1e-3' }],
      ['another loss', { loss: 'pseudo_huber' }],
    ] as const)
      assert.notEqual(await key(spec(v)), base, what);
  });

  it('a fit given the estimate trains to the same θ and x0, bit for bit, as one computing it', async () => {
    const file = spec();
    const known: LinearEstimates = new Map();
    await train(file, 1, known);
    assert.equal(known.size, 1, 'the first fit left its estimate');
    const shared = await train(file, 2, known);
    const own = await train(file, 2);
    assert.deepEqual(shared.model.theta, own.model.theta);
    assert.deepEqual(shared.model.x0s, own.model.x0s);
    assert.deepEqual(shared.result.linear, own.result.linear);
    assert.equal(shared.result.value, own.result.value);
    assert.equal(known.size, 1);
  });

  it('the known estimate is the one used (a marked copy comes back with the fit)', async () => {
    const file = spec();
    const k = await key(file);
    const known: LinearEstimates = new Map();
    await train(file, 1, known);
    const marked = { ...known.get(k!)!, value: 12345 };
    known.set(k!, marked);
    const r = await train(file, 3, known);
    assert.equal(r.result.linear?.estimate?.value, 12345);
  });

  it('a local sweep on 2 workers hands the known estimate to every fit; a fit without one matches a separate run', async () => {
    const file = spec();
    const sweep = async (known: LinearEstimates, seeds: number[], workers: number) => {
      const { sweepDir, rows } = await localSweep(file, seeds, workers, {
        ctx: { linearEstimates: known },
      });
      assert.ok(rows.length === seeds.length && rows.every((r) => r.status === 'done'));
      return rows.map((r) => ({
        seed: r.seed,
        theta: runFile<{ theta: number[] }>(sweepDir, r, 'model.json').theta,
        value: runFile<{ baseline: { value: number } }>(sweepDir, r, 'linear.json').baseline.value,
      }));
    };
    // A one-fit sweep leaves the estimate; mark it, and every fit of a 2-worker sweep reports the mark.
    const known: LinearEstimates = new Map();
    const [first] = await sweep(known, [3], 1);
    assert.equal(known.size, 1);
    assert.deepEqual(first!.theta, (await train(file, 3)).model.theta, 'as a separate run');
    const k = [...known.keys()][0]!;
    known.set(k, { ...known.get(k)!, value: 12345 });
    const marked = await sweep(known, [1, 2, 4, 5], 2);
    assert.deepEqual(
      marked.map((r) => r.value),
      [12345, 12345, 12345, 12345],
    );
  });

  it('the first of fits running together claims the stage and publishes it before its solver starts', async () => {
    const file = spec({ init: 'random' });
    const k = (await key(file))!;
    const known: LinearEstimates = new Map();
    const events: string[] = [];
    const { inFlight } = watchedInFlight((key, claim) => {
      events.push(`claimed ${key === k ? 'the key' : key}`);
      void claim.then((x) => events.push(`published ${x?.estimate ? 'an estimate' : 'nothing'}`));
    });
    const r = await train(file, 1, known, inFlight, {
      progress: () => {
        if (!events.includes('progress')) events.push('progress');
      },
    });
    assert.deepEqual(events, ['claimed the key', 'published an estimate', 'progress']);
    assert.equal(inFlight.size, 0, 'released');
    assert.deepEqual(known.get(k), r.result.linear?.estimate, 'and known to later fits');
  });

  it('a random-start fit takes the stage another fit is computing, and trains exactly as alone', async () => {
    const file = spec({ init: 'random' });
    const k = (await key(file))!;
    const own = await train(file, 2);
    const other: LinearStageSummary = {
      ...own.result.linear!,
      estimate: { ...own.result.linear!.estimate!, value: 12345 },
    };
    const inFlight: LinearStagesInFlight = new Map();
    // Published only once this fit has iterated: it trains before the stage is there.
    let publish!: (s: LinearStageSummary) => void;
    inFlight.set(k, new Promise((r) => (publish = r)));
    const shared = await train(file, 2, new Map(), inFlight, { progress: () => publish(other) });
    assert.equal(shared.result.linear?.estimate?.value, 12345, "the other fit's estimate");
    assert.deepEqual(
      { ...shared.result.linear, estimate: undefined },
      { ...own.result.linear, estimate: undefined },
      'reported as its own would be',
    );
    assert.deepEqual(shared.model.theta, own.model.theta);
    assert.deepEqual(shared.model.x0s, own.model.x0s);
    assert.equal(shared.result.value, own.result.value);
  });

  it('when the claiming fit had no stage to give, a fit that waited for it computes its own', async () => {
    const file = spec({ init: 'random' });
    const k = (await key(file))!;
    let waitedFor = false;
    const nothing = {
      then(resolve: (s: undefined) => void) {
        waitedFor = true;
        resolve(undefined);
      },
    } as unknown as Promise<LinearStageSummary | undefined>;
    const inFlight: LinearStagesInFlight = new Map([[k, nothing]]);
    const waited = await train(file, 5, new Map(), inFlight);
    assert.ok(waitedFor, 'it waited for the claim');
    const own = await train(file, 5);
    assert.deepEqual(waited.result.linear, own.result.linear);
    assert.deepEqual(waited.model.theta, own.model.theta);
  });

  it('a claiming fit that fails releases its claim with nothing (no fit waits for ever)', async () => {
    const file = spec({ init: 'random' });
    const k = (await key(file))!;
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-linear-estimates-exit-'));
    const exits = path.join(dir, 'exits.cjs');
    writeFileSync(exits, 'process.exit(3);\n');
    const { inFlight, claims } = watchedInFlight();
    const known: LinearEstimates = new Map();
    const out = mkdtempSync(path.join(tmpdir(), 'nails-linear-estimates-runs-'));
    await assert.rejects(
      trainSpec(file, {
        dataDirs: [],
        workerPath: exits,
        out,
        linearEstimates: known,
        linearInFlight: inFlight,
      }).outcome,
      /exited/,
      'the fit fails (its solver thread exits)',
    );
    assert.deepEqual(
      claims.map((c) => c.key),
      [k],
      'it had claimed the stage',
    );
    assert.equal(await claims[0]!.claim, undefined);
    assert.equal(inFlight.size, 0);
    assert.equal(known.size, 0);
  });

  it('only a seeded random start waits: not a linear start, not a given start point', async () => {
    const check = await checkSpecFile(spec({ init: 'random' }), []);
    const fit = compileSpec(check.analysis.resolved!).fit;
    const k = linearStageKey(fit)!;
    const pending = new Promise<LinearStageSummary | undefined>(() => undefined);
    const share = (f: typeof fit) => shareLinearStage(f, k, new Map(), new Map([[k, pending]]));
    assert.equal(share(fit).awaited, pending, 'init random');
    assert.equal(share(fit).spec.linear, undefined, 'trained without the stage');
    for (const [what, f] of [
      ['init linear', { ...fit, linear: { ...fit.linear!, init: true } }],
      ['init from', { ...fit, init: { z: new Float64Array(9) } }],
    ] as const) {
      const s = share(f);
      assert.equal(s.awaited, undefined, what);
      assert.equal(s.spec, f, what);
    }
    // And a given start reports the stage as unused, whoever computed it.
    const own = await train(spec({ init: 'random' }), 1);
    const given = givenLinearStageSummary(
      { ...fit, linear: fit.linear!, init: { z: new Float64Array(9) } },
      own.result.linear!.estimate!,
    );
    assert.deepEqual([given.used, given.note], [false, 'the spec gives the start']);
  });

  it(
    'a linear-start fit computes its own stage rather than wait for a claimed one',
    { timeout: 120_000 },
    async () => {
      const file = spec();
      const k = (await key(file))!;
      const never = new Promise<LinearStageSummary | undefined>(() => undefined);
      const inFlight: LinearStagesInFlight = new Map([[k, never]]);
      const known: LinearEstimates = new Map();
      const r = await train(file, 2, known, inFlight);
      const own = await train(file, 2);
      assert.deepEqual(r.result.linear, own.result.linear);
      assert.deepEqual(r.model.theta, own.model.theta);
      assert.equal(inFlight.get(k), never, 'the claim stays with its fit');
    },
  );

  it('a 2-worker sweep of random-start fits: one stage, the same θ per seed as 1 worker, one baseline for all', async () => {
    const file = spec({ init: 'random' });
    const run = async (workers: number) => {
      const known: LinearEstimates = new Map();
      const { inFlight, claims } = watchedInFlight();
      const { sweepDir, rows } = await localSweep(file, [1, 2, 3, 4], workers, {
        ctx: { linearEstimates: known, linearInFlight: inFlight },
      });
      assert.ok(rows.length === 4 && rows.every((r) => r.status === 'done'), JSON.stringify(rows));
      assert.equal(known.size, 1);
      assert.equal(claims.length, 1, 'the stage computed by one fit of the sweep');
      return rows.map((r) => ({
        theta: runFile<{ theta: number[] }>(sweepDir, r, 'model.json').theta,
        baseline: runFile<{ baseline: unknown }>(sweepDir, r, 'linear.json').baseline,
      }));
    };
    const one = await run(1);
    const two = await run(2);
    assert.deepEqual(
      two.map((r) => r.theta),
      one.map((r) => r.theta),
    );
    for (const r of [...one, ...two]) assert.deepEqual(r.baseline, one[0]!.baseline);
  });
});
