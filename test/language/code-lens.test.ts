import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import type { CodeLens } from 'vscode-languageserver';
import { REPORT_FORMAT, type RunReport } from '../../src/io/run-folder';
import { headline, LastRunFinder } from '../../src/language/code-lens/last-run';
import { RunsWatcher } from '../../src/language/code-lens/runs-watcher';
import type { Spec } from '../../src/language/generated/ast';
import { createNailsServices } from '../../src/language/nails-module';

const { Nails } = createNailsServices(EmptyFileSystem);
const parse = parseHelper<Spec>(Nails);
const SPEC =
  '// a comment first\nexperiment tanks\n\ndata {\n  generate binary_output\n  train 0..1000\n}\nmodel rnn { states 2 }\n';

/** A report.json as the CLI writes it (the fields the schema requires). */
function report(parts: RunReport['parts'], status = 'converged'): RunReport {
  return {
    format: REPORT_FORMAT,
    experiment: 'tanks',
    method: 'nails',
    status,
    message: '',
    value: 0.1,
    valueRow: 'best',
    iterations: 3,
    elapsed: 1,
    starts: [{ value: 0.1, status }],
    bestStart: 0,
    parts,
    history: [{ iteration: 0, value: 1 } as RunReport['history'][number]],
  };
}
const part = (kind: string, rmse: number[], units?: string[]) => ({
  kind,
  name: kind,
  N: 100,
  nInit: 5,
  x0Method: 'estimated',
  metrics: rmse.map((r) => ({ rmse: r, nrmse: 0.1, r2: 0.9, fit: 80 })),
  ...(units ? { units } : {}),
});

function writeRunFolder(specDir: string, name: string, r: RunReport): string {
  const dir = path.join(specDir, 'runs', name);
  mkdirSync(path.join(dir, 'predictions'), { recursive: true });
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(r));
  return dir;
}

async function lenses(specFile: string, text = SPEC): Promise<CodeLens[]> {
  const doc = await parse(text, { documentUri: pathToFileURL(specFile).href });
  return (await Nails.lsp.CodeLensProvider!.provideCodeLens(doc, {
    textDocument: { uri: doc.uri.toString() },
  }))!;
}

const summary = (ls: CodeLens[]) =>
  ls.map((l) => `${l.range.start.line}: ${l.command?.title} → ${l.command?.command}`);

describe('code lenses', () => {
  it('without a previous run: Train and Preview data above the spec, Preview data above data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-lens-'));
    const file = path.join(dir, 'tanks.nails');
    const ls = await lenses(file);
    assert.deepEqual(summary(ls), [
      '1: $(play) Train → nails.train',
      '1: Preview data → nails.previewData',
      '3: Preview data → nails.previewData',
    ]);
    const uri = pathToFileURL(file).href;
    for (const l of ls) assert.deepEqual(l.command?.arguments, [uri]);
  });

  it("with runs: the latest run's test RMSE and time, opening that run folder", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-lens-'));
    const file = path.join(dir, 'tanks.nails');
    writeRunFolder(dir, 'tanks-20261205-140312', report([part('test', [0.5], ['V'])]));
    const latest = writeRunFolder(
      dir,
      'tanks-20261205-140312-2',
      report([part('train', [0.2], ['V']), part('test', [0.27512], ['V'])]),
    );
    // Another experiment's run, newer, and a run still training (no report.json yet).
    writeRunFolder(dir, 'other-20261206-000000', report([part('test', [9])]));
    mkdirSync(path.join(dir, 'runs', 'tanks-20261207-101010'), { recursive: true });
    const ls = await lenses(file);
    const run = ls.find((l) => l.command?.command === 'nails.showResults');
    assert.equal(run?.command?.title, 'last run: test RMSE 0.275 V (2026-12-05 14:03)');
    assert.deepEqual(run?.command?.arguments, [{ runDir: latest }]);
    assert.equal(run?.range.start.line, 1);
  });

  it('a spec without `experiment`: lenses on its first section, runs named spec-…', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-lens-'));
    const file = path.join(dir, 'x.nails');
    writeRunFolder(dir, 'spec-20261205-090000', report([part('train', [0.0012])], 'cancelled'));
    const text = '\n\ndata { generate binary_output train 0..100 }\nmodel rnn { states 2 }\n';
    assert.deepEqual(summary(await lenses(file, text)), [
      '2: $(play) Train → nails.train',
      '2: last run: train RMSE 0.0012 · cancelled (2026-12-05 09:00) → nails.showResults',
      '2: Preview data → nails.previewData',
    ]);
  });

  it('reads a report once per modification time', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-lens-'));
    const file = path.join(dir, 'tanks.nails');
    const run = writeRunFolder(dir, 'tanks-20261205-140312', report([part('test', [1])]));
    const finder = new LastRunFinder();
    assert.match(finder.find(file, 'tanks')!.title, /RMSE 1 /);
    // Rewritten with the same mtime: the cached headline stays; a new mtime is read again.
    const json = path.join(run, 'report.json');
    writeFileSync(json, JSON.stringify(report([part('test', [2])])));
    utimesSync(json, new Date(1e12), new Date(1e12));
    assert.match(finder.find(file, 'tanks')!.title, /RMSE 2 /);
    writeFileSync(json, JSON.stringify(report([part('test', [3])])));
    utimesSync(json, new Date(1e12), new Date(1e12));
    assert.match(finder.find(file, 'tanks')!.title, /RMSE 2 /, 'same mtime: not read again');
  });

  it('an unreadable latest report falls back to the run before', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-lens-'));
    const file = path.join(dir, 'tanks.nails');
    writeRunFolder(dir, 'tanks-20261205-100000', report([part('test', [0.3], ['m'])]));
    const broken = writeRunFolder(dir, 'tanks-20261205-110000', report([]));
    writeFileSync(path.join(broken, 'report.json'), '{ not json');
    assert.equal(
      new LastRunFinder().find(file, 'tanks')?.title,
      'last run: test RMSE 0.3 m (2026-12-05 10:00)',
    );
  });

  it('headline: several outputs, the metric unit, classification, non-finite values', () => {
    assert.equal(
      headline(report([part('test', [0.1, 0.25], ['V', 'A'])])),
      'test RMSE 0.1 V, 0.25 A',
    );
    const withMetric = { ...part('test', [0.1]), metric: { unit: 'mV', rmse: [100] } };
    assert.equal(headline(report([withMetric])), 'test RMSE 100 mV');
    const cls = {
      ...report([{ ...part('test', [0.4]), metrics: [{ accuracy: 97.5 }] }]),
      classification: true,
    };
    assert.equal(headline(cls), 'test accuracy 97.5 %');
    const nan = part('validation', [0]);
    nan.metrics[0]!.rmse = null as unknown as number;
    assert.equal(headline(report([nan], 'diverged')), 'validation RMSE not finite · diverged');
  });

  it('a finished run refreshes the lenses: report.json written, runs/ created after the watch began', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-lens-'));
    let calls = 0;
    const watcher = new RunsWatcher(() => calls++, 50);
    try {
      watcher.watch(dir);
      watcher.watch(dir); // idempotent
      mkdirSync(path.join(dir, 'runs'));
      await new Promise((r) => setTimeout(r, 300)); // runs/ appeared: watched from now on
      const before = calls;
      writeRunFolder(dir, 'tanks-20261205-140312', report([part('test', [1])]));
      const t0 = Date.now();
      while (calls === before && Date.now() - t0 < 5000)
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(calls > before, 'refreshed after report.json was written');
      // Other files in a run folder do not refresh.
      const n = calls;
      writeFileSync(path.join(dir, 'runs', 'tanks-20261205-140312', 'history.csv'), 'k\n');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(calls, n);
    } finally {
      watcher.dispose();
    }
  });
});
