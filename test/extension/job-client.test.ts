/**
 * The extension's job thread (dist/host-jobs.cjs) driven by its client (src/extension/job-client.ts)
 * in plain Node, as the extension host drives it: a training job streams typed progress and ends
 * in a run folder; a cancel stops the solver and keeps a complete run; a thread that does not answer
 * a cancel is terminated after the grace period; a corrupted report.json is one line naming the
 * file and the field (the results panel and the Runs view read run folders through this thread).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { JobCancelledError, JobClient, JobError } from '../../src/extension/job-client';
import type { JobEvent } from '../../src/protocol/host-jobs';
import { ROOT } from '../helpers';

const SCRIPT = path.join(ROOT, 'dist', 'host-jobs.cjs');

function spec(name: string, samples: number, iterations: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nails-jobs-'));
  const file = path.join(dir, `${name}.nails`);
  writeFileSync(
    file,
    `experiment ${name}\ndata {\n  generate binary_output seed 3 samples ${samples}\n  train 0..${samples / 2}\n  test ${samples / 2}..${samples} { init 20 }\n}\nmodel rnn {\n  states 3\n  state { hidden [8] }\n  output { hidden [8] final sigmoid }\n}\nloss cross_entropy\nsolver nailm { iterations ${iterations} }\n`,
  );
  return file;
}

describe('extension job thread', () => {
  const jobs = new JobClient(SCRIPT);
  after(() => jobs.dispose());

  it('trains a spec: typed progress events, then a run folder and scored parts', async () => {
    const events: JobEvent[] = [];
    const out = await jobs.start('train', { spec: spec('quick', 1200, 8), dataDirs: [] }, (e) =>
      events.push(e),
    ).result;
    assert.ok(out.runDir && existsSync(path.join(out.runDir, 'report.json')), 'a run folder');
    assert.equal(out.specError, undefined);
    assert.ok(out.result && out.result.iterations > 0, 'a solver result');
    assert.deepEqual(
      out.parts?.map((p) => p.kind),
      ['train', 'test'],
    );
    assert.ok(
      events.some((e) => e.type === 'trainProgress' && e.point.iteration >= 1),
      'convergence points streamed',
    );
    assert.ok(
      events.some((e) => e.type === 'log' && e.line.includes('NAILM')),
      'log lines streamed',
    );
    const [view] = await jobs.request('readRuns', { runDirs: [out.runDir] });
    assert.equal(view?.runDir, out.runDir);
    assert.equal(view?.parts.length, 2);
    const [summary] = await jobs.request('runSummaries', { runDirs: [out.runDir] });
    assert.equal(summary?.status, out.result.status);
    assert.equal(summary?.problem, undefined);
  });

  it('a spec with errors comes back as its first error, nothing trained', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-jobs-'));
    const file = path.join(dir, 'bad.nails');
    writeFileSync(
      file,
      'data {\n  generate binary_output\n  train 0..1000\n}\nmodel rnn { states 2 state { activation tahn } }\n',
    );
    const out = await jobs.start('train', { spec: file, dataDirs: [] }).result;
    assert.match(out.specError ?? '', /unknown activation 'tahn'/);
    assert.equal(out.runDir, undefined);
  });

  it('cancel stops the solver: status cancelled, the run folder complete, in well under the grace period', async () => {
    let progressed!: () => void;
    const started = new Promise<void>((r) => (progressed = r));
    const job = jobs.start('train', { spec: spec('long', 20000, 100000), dataDirs: [] }, (e) => {
      if (e.type === 'trainProgress' && e.point.iteration >= 2) progressed();
    });
    await started;
    const t0 = performance.now();
    job.cancel();
    const out = await job.result;
    const ms = performance.now() - t0;
    assert.equal(out.result?.status, 'cancelled');
    assert.ok(out.runDir && existsSync(path.join(out.runDir, 'model.json')), 'the kept parameters');
    const report = JSON.parse(readFileSync(path.join(out.runDir, 'report.json'), 'utf8')) as {
      status: string;
    };
    assert.equal(report.status, 'cancelled');
    assert.ok(ms < 10_000, `answered in ${ms.toFixed(0)} ms`);
  });

  it('a job thread that ignores the cancel is terminated after the grace period', async () => {
    const stuck = new JobClient(path.join(ROOT, 'test', 'fixtures', 'stuck-job-thread.cjs'), 300);
    let logged!: () => void;
    const spinning = new Promise<void>((r) => (logged = r));
    const job = stuck.start('train', { spec: 'x.nails', dataDirs: [] }, (e) => {
      if (e.type === 'log') logged();
    });
    await spinning;
    const t0 = performance.now();
    job.cancel();
    await assert.rejects(job.result, (e) => {
      assert.ok(e instanceof JobCancelledError, String(e));
      assert.match(e.message, /did not answer within 300 ms and was terminated/);
      return true;
    });
    assert.ok(performance.now() - t0 < 3000, 'terminated promptly');
  });

  it('a corrupted report.json is one line naming the file and the field (results panel, Runs view)', async () => {
    const out = await jobs.start('train', { spec: spec('broken', 600, 2), dataDirs: [] }).result;
    const runDir = out.runDir!;
    const file = path.join(runDir, 'report.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { parts: { metrics: unknown }[] };
    report.parts[0]!.metrics = 'oops';
    writeFileSync(file, JSON.stringify(report));
    await assert.rejects(jobs.request('readRuns', { runDirs: [runDir] }), (e) => {
      assert.ok(e instanceof JobError && e.userError, String(e));
      assert.equal(e.message.split('\n').length, 1);
      assert.match(
        e.message,
        /report\.json: parts\[0\]\.metrics: expected an array, got the string "oops"/,
      );
      return true;
    });
    const [summary] = await jobs.request('runSummaries', { runDirs: [runDir] });
    assert.match(summary?.problem ?? '', /report\.json: parts\[0\]\.metrics: expected an array/);
    // A missing field names it too.
    delete (report as { parts?: unknown }).parts;
    writeFileSync(file, JSON.stringify(report));
    await assert.rejects(
      jobs.request('readRuns', { runDirs: [runDir] }),
      /report\.json: parts: the field is missing/,
    );
  });

  it('checks the Run Sweep prompts as typed (the parsers of nails sweep)', async () => {
    assert.equal(
      await jobs.request('checkSweepInput', { settings: 'model.states=2,3' }),
      undefined,
    );
    assert.match(
      (await jobs.request('checkSweepInput', { settings: 'model.statse=2' })) ?? '',
      /model\.states/,
    );
    assert.ok(await jobs.request('checkSweepInput', { seeds: 'x..y' }));
  });
});
