/**
 * Integration tests inside a real VS Code extension host (run by scripts/vscode-test.mjs).
 * Prints one line per test and the plain `N passed, N failed` summary CI reads.
 */
import { writeFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NailsApi } from '../../src/extension/extension';
import { editorUiTests } from './editor-ui';
import {
  MODEL_FORMAT,
  newRunFolder,
  writeRun,
  type RunReport,
  type SavedModel,
} from '../../src/io/run-folder';
import { measureActivation } from './activation';
import { measurePanelOpen } from './panel-open';
import { lspFeatureTests } from './lsp-features';
import { runRestricted } from './restricted';
import { workspaceKindTest } from './workspace-kind';
import { assert, runTests, screenshot, sleep, until } from './util';

const DATA_DIR = process.env.NAILS_DATA_DIR ?? '';

/**
 * The results panel drew the run's fitted response: for every output channel of every part in
 * report.json, a chart with measured and simulated series of one point per sample, painted on the
 * canvas, and the n_init samples shaded. Read from what the webview reports after drawing (uPlot's
 * data and the canvas pixels), not from a screenshot.
 */
async function assertFittedResponseDrawn(api: NailsApi, runDir: string): Promise<void> {
  const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {
    parts: {
      kind: string;
      name: string;
      N: number;
      nInit: number;
      outputs: string[];
      units?: string[];
    }[];
  };
  const drawn = await until('the panel reports what it drew', () =>
    api
      .results()
      ?.drawn.filter((d) => d.runDir === runDir)
      .pop(),
  );
  const expected = report.parts.reduce((s, p) => s + p.outputs.length, 0);
  assert(
    expected > 0 && drawn.charts.length === expected,
    `${drawn.charts.length} fitted-response charts drawn, expected ${expected}`,
  );
  for (const p of report.parts)
    for (const [i, name] of p.outputs.entries()) {
      const o = { name, unit: p.units?.[i] };
      const c = drawn.charts.find(
        (x) => x.kind === p.kind && x.part === p.name && x.channel === o.name,
      );
      assert(c, `a chart for ${p.kind} ${p.name} ${o.name}`);
      const where = `${p.kind} ${p.name} ${o.name}`;
      assert(c.series.length >= 2, `${where}: ${c.series.length} series drawn`);
      assert(c.unit === o.unit, `${where}: unit ${String(c.unit)}, the data say ${String(o.unit)}`);
      for (const s of c.series) {
        assert(s.points === p.N, `${where} ${s.label}: ${s.points} points, the part has ${p.N}`);
        assert(s.pixels > 0, `${where} ${s.label}: no pixels painted in its colour`);
      }
      assert(
        c.series.some((s) => s.label.includes('measured')) &&
          c.series.some((s) => s.label.includes('simulated')),
        `${where}: measured and simulated (${c.series.map((s) => s.label).join(', ')})`,
      );
      assert(
        c.nInitShaded === p.nInit,
        `${where}: ${c.nInitShaded} samples shaded, n_init ${p.nInit}`,
      );
    }
  console.log(
    `  (drawn: ${drawn.charts.map((c) => `${c.kind} ${c.channel} ${c.series.map((s) => `${s.points} pts/${s.pixels} px`).join(' + ')}${c.nInitShaded ? `, ${c.nInitShaded} shaded` : ''}`).join('; ')})`,
  );
}

/**
 * A run folder with two outputs (level, flow in V; Ts 0.5 s), a train part and a test part whose
 * first 50 samples estimate x0 — written directly, outside the workspace's runs/.
 */
function twoOutputRun(folder: string): string {
  const specFile = path.join(folder, 'two-outputs.nails');
  writeFileSync(specFile, 'experiment two_outputs\n');
  const dir = newRunFolder(path.join(folder, 'fixtures'), 'two_outputs');
  const part = (kind: string, N: number, nInit: number, phase: number) => {
    const y = new Float64Array(N * 2);
    const yhat = new Float64Array(N * 2);
    for (let k = 0; k < N; k++) {
      y[2 * k] = Math.sin(0.02 * k + phase);
      y[2 * k + 1] = 0.5 * Math.cos(0.013 * k + phase);
      yhat[2 * k] = 0.9 * y[2 * k]! + 0.05;
      yhat[2 * k + 1] = 0.9 * y[2 * k + 1]! - 0.05;
    }
    const metrics = { rmse: 0.07, nrmse: 0.1, r2: 0.99, fit: 90, accuracy: 0 };
    return {
      report: {
        kind,
        name: kind,
        N,
        nInit,
        x0Method: nInit > 0 ? 'least squares on n_init samples' : 'trained',
        outputs: ['level', 'flow'],
        units: ['V', 'V'],
        metrics: [metrics, metrics],
      },
      prediction: { name: `${kind}-${kind}`, y, yhat, ny: 2 },
    };
  };
  const parts = [part('train', 1500, 0, 0), part('test', 800, 50, 1)];
  const report: RunReport = {
    experiment: 'two_outputs',
    method: 'NAILM',
    status: 'budget',
    stopTest: 'iterations',
    valueRow: 'last',
    classification: false,
    message: 'stopped: iteration budget used',
    value: 0.01,
    iterations: 3,
    elapsed: 0.5,
    starts: [{ value: 0.01, status: 'budget' }],
    bestStart: 0,
    parts: parts.map((p) => p.report),
    Ts: 0.5,
    history: [1, 2, 3].map((i) => ({
      iteration: i,
      value: 0.1 / i,
      gradNorm: 1,
      stepNorm: 1,
      accepted: true,
      elapsed: 0.1 * i,
      seconds: 0.1,
    })),
  };
  writeRun(
    dir,
    specFile,
    { format: MODEL_FORMAT } as SavedModel,
    report,
    parts.map((p) => p.prediction),
  );
  return dir;
}

export async function run(): Promise<void> {
  // Other parts of the suite (scripts/vscode-test.mjs --untrusted / --suite activation).
  if (process.env.NAILS_SUITE === 'untrusted') return runRestricted();
  if (process.env.NAILS_SUITE === 'activation') return measureActivation();
  if (process.env.NAILS_SUITE === 'panel-open') return measurePanelOpen();
  const installed = process.env.NAILS_SUITE === 'installed';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert(folder, 'a workspace folder is open');
  mkdirSync(folder, { recursive: true });
  const write = (name: string, text: string) => {
    const f = path.join(folder, name);
    writeFileSync(f, text);
    return vscode.Uri.file(f);
  };
  const ext = vscode.extensions.all.find(
    (e) => e.packageJSON && (e.packageJSON as { name?: string }).name === 'nails-studio',
  );
  assert(ext, 'the extension is installed');
  const api = (await ext.activate()) as NailsApi;
  const tests: [string, () => Promise<void>][] = [
    workspaceKindTest,
    [
      'opening a spec with an error shows the diagnostic on its range',
      async () => {
        const uri = write(
          'bad.nails',
          'data {\n  generate binary_output\n  train 0..1000\n}\nmodel rnn { states 2 state { activation tahn } }\n',
        );
        await vscode.window.showTextDocument(uri);
        const d = await until('a diagnostic', () =>
          vscode.languages
            .getDiagnostics(uri)
            .find((x) => x.message.includes("unknown activation 'tahn'")),
        );
        assert(
          d.range.start.line === 4 && d.range.start.character === 40,
          `range ${JSON.stringify(d.range)}`,
        );
        const at = d.range.start.translate(0, 2);
        await vscode.window.showTextDocument(uri, {
          preserveFocus: false,
          selection: new vscode.Range(at, at),
        });
        await sleep(500);
        await vscode.commands.executeCommand('editor.action.showHover');
        await sleep(1000);
        await screenshot('spec-squiggle-hover');
      },
    ],
    [
      "completion offers the data file's variables",
      async () => {
        const text = `data {\n  file "${path.join(DATA_DIR, 'cascaded_tanks', 'dataBenchmark.mat')}"\n  train { input  }\n}\n`;
        const uri = write('complete.nails', text);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc);
        const pos = new vscode.Position(2, 16);
        const list = await until('completion items', async () => {
          const l = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider',
            uri,
            pos,
          );
          return l.items.some((i) => i.label === 'uEst') ? l : undefined;
        });
        for (const v of ['uEst', 'uVal', 'yEst', 'yVal'])
          assert(
            list.items.some((i) => i.label === v),
            `${v} offered`,
          );
      },
    ],
    [
      'Train on an example spec finishes with a run folder and a result panel that received the convergence series',
      async () => {
        const uri = write(
          'quick.nails',
          'experiment quick\ndata {\n  generate binary_output seed 3 samples 2000\n  train 0..1000\n  test 1000..2000 { init 20 }\n}\nmodel rnn {\n  states 3\n  state { hidden [5] }\n  output { hidden [5] final sigmoid }\n}\nloss cross_entropy\nregularize { l2 weights 1e-3 x0 1e-2 }\nsolver nailm { iterations 30 }\n',
        );
        await vscode.window.showTextDocument(uri);
        await until(
          'no diagnostics',
          () => vscode.languages.getDiagnostics(uri).length === 0 || undefined,
        );
        const outcome = await vscode.commands.executeCommand<{
          runDir?: string;
          result?: { status: string };
        }>('nails.train', uri);
        assert(
          outcome?.runDir && existsSync(path.join(outcome.runDir, 'report.json')),
          'a run folder with report.json',
        );
        // The extension host's engine runs a WebAssembly build of the kernel (code-server's
        // Node 20 lacks relaxed SIMD, so this exercises the plain-SIMD fallback there).
        const { kernel } = JSON.parse(
          readFileSync(path.join(outcome.runDir, 'report.json'), 'utf8'),
        ) as { kernel?: string };
        assert(
          kernel === 'wasm-simd' || kernel === 'wasm-relaxed-simd',
          `a WebAssembly accumulation kernel ran in the extension host (report says ${kernel})`,
        );
        const panel = api.results();
        assert(panel, 'the results panel is open');
        const live = panel.sent.filter((m) => m.type === 'live');
        assert(
          live.some((m) => m.type === 'live' && m.history.length > 0),
          'live convergence points were posted',
        );
        const runMsg = panel.sent.find((m) => m.type === 'run');
        assert(
          runMsg &&
            runMsg.type === 'run' &&
            runMsg.run.history.length > 0 &&
            runMsg.run.parts.length === 2,
          'the finished run with its parts was posted',
        );
        await assertFittedResponseDrawn(api, outcome.runDir);
        const runs = await api.runs.getChildren();
        assert(
          runs.some((r) => r.runDir === outcome.runDir),
          'the Runs view lists the run',
        );
        if (installed) {
          assert(
            !ext.extensionPath.startsWith(process.cwd()) || ext.extensionPath.includes('ext'),
            `runs from the installed package (${ext.extensionPath})`,
          );
          console.log(`  (extension loaded from ${ext.extensionPath})`);
          return;
        }
        await screenshot('fitted-response');
        api.runs.refresh();
        await vscode.commands.executeCommand('nails.runs.focus');
        await until(
          'the Runs view lists the run',
          async () => (await api.runs.getChildren()).length > 0 || undefined,
        );
        await sleep(3000);
        await screenshot('runs-view');
      },
    ],
    [
      'Stop cancels a long run and the status says cancelled',
      async () => {
        const uri = write(
          'long.nails',
          'experiment long\ndata {\n  generate binary_output seed 3 samples 20000\n  train 0..20000\n}\nmodel rnn {\n  states 3\n  state { hidden [16] }\n  output { hidden [16] final sigmoid }\n}\nloss cross_entropy\nsolver nailm { iterations 10000 }\n',
        );
        await vscode.window.showTextDocument(uri);
        await until(
          'no diagnostics',
          () => vscode.languages.getDiagnostics(uri).length === 0 || undefined,
        );
        const pending = vscode.commands.executeCommand<{
          runDir?: string;
          result?: { status: string };
        }>('nails.train', uri);
        await until('training', () => api.training.statusText.includes('training') || undefined);
        await until('live convergence points', () => {
          const live = api
            .results()
            ?.sent.filter((m) => m.type === 'live')
            .pop();
          return live && live.type === 'live' && live.history.length >= 5;
        });
        await screenshot('convergence-live');
        const t0 = Date.now();
        await vscode.commands.executeCommand('nails.stop');
        const outcome = await pending;
        const dt = Date.now() - t0;
        assert(
          outcome?.result?.status === 'cancelled',
          `status ${String(outcome?.result?.status)}`,
        );
        assert(
          api.training.statusText.includes('cancelled'),
          `status bar says ${api.training.statusText}`,
        );
        // The run folder is complete: the kept parameters, the report, the history, predictions.
        const runDir = outcome.runDir;
        assert(runDir && existsSync(runDir), `a run folder (${String(runDir)})`);
        for (const f of ['model.json', 'report.json', 'history.csv', 'predictions/train-train.csv'])
          assert(existsSync(path.join(runDir, f)), `${f} in the cancelled run's folder`);
        const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {
          status: string;
          history: unknown[];
          parts: { N: number; metrics: { rmse: number }[] }[];
          cancel?: { answeredMs: number; terminated: boolean };
        };
        assert(report.status === 'cancelled', `report.json status ${report.status}`);
        assert(
          report.parts.length === 1 &&
            report.parts.every((p) => Number.isFinite(p.metrics[0]?.rmse)),
          'metrics of the kept parameters',
        );
        const historyRows = readFileSync(path.join(runDir, 'history.csv'), 'utf8')
          .trim()
          .split('\n');
        assert(
          report.history.length >= 5 && historyRows.length === report.history.length + 1,
          `history.csv has ${historyRows.length - 1} rows, report ${report.history.length} records`,
        );
        const predictionRows = readFileSync(
          path.join(runDir, 'predictions', 'train-train.csv'),
          'utf8',
        )
          .trim()
          .split('\n');
        assert(
          predictionRows.length === report.parts[0]!.N + 1,
          `${predictionRows.length - 1} prediction rows for ${report.parts[0]!.N} samples`,
        );
        assert(
          report.cancel && !report.cancel.terminated && report.cancel.answeredMs < 500,
          `the worker answered the cancel in ${String(report.cancel?.answeredMs)} ms (terminated: ${String(report.cancel?.terminated)})`,
        );
        await assertFittedResponseDrawn(api, runDir);
        console.log(
          `  (worker answered ${Math.round(report.cancel.answeredMs)} ms after the request; outcome ${dt} ms; run folder complete)`,
        );
      },
    ],
  ];
  tests.push(
    [
      'Show Results draws every output of a two-output run with its names, units and the n_init window',
      async () => {
        const runDir = twoOutputRun(folder);
        await vscode.commands.executeCommand('nails.showResults', { runDir });
        await assertFittedResponseDrawn(api, runDir);
        if (!installed) await screenshot('fitted-response-two-outputs');
      },
    ],
    [
      'Show Results on a folder it cannot read leaves no empty panel; a readable run then draws',
      async () => {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await until('no results panel', () => (api.results() ? undefined : true));
        const broken = path.join(folder, 'runs', 'no-report');
        mkdirSync(broken, { recursive: true });
        await vscode.commands.executeCommand('nails.showResults', { runDir: broken });
        // The panel opened ahead of the read is closed: nothing to show (the error goes to a
        // message with Open Log).
        assert(api.results() === undefined, 'no empty results panel is left open');
        // A readable run afterwards still opens and draws.
        const runDir = twoOutputRun(folder);
        await vscode.commands.executeCommand('nails.showResults', { runDir });
        await assertFittedResponseDrawn(api, runDir);
      },
    ],
    [
      'Evaluate, Export (JSON and C header), Compare Runs and Show Results work on the runs',
      async () => {
        const all = await api.runs.getChildren();
        const quick = all.find((r) => path.basename(r.runDir).startsWith('quick-'));
        assert(quick, 'a quick run exists');
        const parts = await vscode.commands.executeCommand<
          { kind: string; metrics: { fit: number }[] }[]
        >('nails.evaluate', { runDir: quick.runDir });
        assert(
          parts?.some((p) => p.kind === 'test' && Number.isFinite(p.metrics[0]!.fit)),
          'evaluation returns test metrics',
        );
        // Evaluate on File…: a record the spec never named (columns u1, y1 as generated data name them).
        const record = path.join(folder, 'new-record.csv');
        writeFileSync(
          record,
          `u1,y1\n${Array.from({ length: 400 }, (_, k) => `${Math.sin(k / 7).toFixed(5)},${k % 9 < 4 ? 1 : 0}`).join('\n')}\n`,
        );
        const onFile = await vscode.commands.executeCommand<{
          N: number;
          metrics?: { rmse: number }[];
          predictions: string;
        }>('nails.evaluateFile', { runDir: quick.runDir }, record, 20);
        assert(onFile?.N === 400, `evaluated 400 samples of the file (got ${String(onFile?.N)})`);
        assert(
          onFile.metrics?.length === 1 && Number.isFinite(onFile.metrics[0]!.rmse),
          'a finite RMSE on the file',
        );
        assert(
          readFileSync(onFile.predictions, 'utf8').trim().split('\n').length === 401,
          'a prediction row per sample',
        );
        for (const f of ['json', 'c']) {
          const file = await vscode.commands.executeCommand<string>(
            'nails.exportModel',
            { runDir: quick.runDir },
            f,
          );
          assert(file && existsSync(file), `exported ${f}`);
        }
        const two = all.slice(0, 2).map((r) => r.runDir);
        assert(two.length === 2, 'two runs to compare');
        await vscode.commands.executeCommand('nails.compareRuns', two);
        const cmp = api.results()?.sent.at(-1);
        assert(cmp?.type === 'compare' && cmp.runs.length === 2, 'the panel received both runs');
        await vscode.commands.executeCommand('nails.showResults', { runDir: quick.runDir });
        const shown = api.results()?.sent.at(-1);
        assert(
          shown?.type === 'run' && shown.run.runDir === quick.runDir,
          'Show Results posts the run',
        );
      },
    ],
    [
      'Open Example creates an example spec in the workspace, and it trains',
      async () => {
        const spec = await vscode.commands.executeCommand<vscode.Uri>('nails.openExample');
        assert(spec && existsSync(spec.fsPath), 'the example spec exists');
        await until(
          'no diagnostics',
          () => vscode.languages.getDiagnostics(spec).length === 0 || undefined,
        );
        const outcome = await vscode.commands.executeCommand<{
          runDir?: string;
          parts?: { kind: string; channels: { accuracy: number }[] }[];
        }>('nails.train', spec);
        assert(outcome?.runDir, 'a run folder');
        const acc = outcome.parts?.find((p) => p.kind === 'test')?.channels[0]?.accuracy ?? 0;
        assert(acc > 90, `test accuracy ${acc} %`);
      },
    ],
    [
      'two Train requests queue: the second waits for the first, both finish',
      async () => {
        const a = write(
          'queue-a.nails',
          'experiment queue_a\ndata {\n  generate binary_output samples 2000\n  train 0..1000\n}\nmodel rnn { states 2 }\nloss mse\nsolver nailm { iterations 15 }\n',
        );
        const b = write(
          'queue-b.nails',
          'experiment queue_b\ndata {\n  generate binary_output samples 2000\n  train 0..1000\n}\nmodel rnn { states 2 }\nloss mse\nsolver nails { iterations 15 }\n',
        );
        await vscode.window.showTextDocument(a);
        await until(
          'no diagnostics',
          () => vscode.languages.getDiagnostics(a).length === 0 || undefined,
        );
        const first = vscode.commands.executeCommand<{ runDir?: string }>('nails.train', a);
        const second = vscode.commands.executeCommand<{ runDir?: string }>('nails.train', b);
        await until(
          'queued',
          () =>
            api.training.statusText.includes('queued') ||
            api.training.statusText.includes('training') ||
            undefined,
        );
        const [ra, rb] = await Promise.all([first, second]);
        assert(ra?.runDir && rb?.runDir, 'both runs wrote a run folder');
        const ta = statSync(path.join(ra.runDir, 'report.json')).mtimeMs;
        const tb = statSync(path.join(rb.runDir, 'report.json')).mtimeMs;
        assert(ta <= tb, 'the first finished before the second');
      },
    ],
    [
      'a diverging model ends in a clear message, not a crash or a stuck progress bar',
      async () => {
        const uri = write(
          'diverge.nails',
          "experiment diverge\ndata {\n  generate binary_output samples 2000\n  train 0..2000\n}\nmodel custom {\n  states 1\n  parameters { a = 50 }\n  state { x1' = a*x1 + u1 }\n  output { y1 = x1 }\n}\nloss mse\nsolver nailm { iterations 5 }\n",
        );
        await vscode.window.showTextDocument(uri);
        await until(
          'no diagnostics',
          () => vscode.languages.getDiagnostics(uri).length === 0 || undefined,
        );
        const outcome = await vscode.commands.executeCommand('nails.train', uri);
        assert(outcome === undefined, 'no successful outcome');
        assert(
          /non-finite/.test(api.training.lastError ?? ''),
          `message: ${String(api.training.lastError)}`,
        );
        assert(api.training.statusText.includes('failed'), `status ${api.training.statusText}`);
      },
    ],
    [
      'Run Sweep: every fit a row, the Sweep panel opens, a second run resumes',
      async () => {
        const uri = write(
          'sweep.nails',
          'experiment sweep\ndata {\n  generate binary_output seed 2 samples 600\n  train 0..300\n  test 300..600 { init 20 }\n}\nmodel linear { states 1 }\nsolver nails { iterations 3 }\n',
        );
        const answers = { settings: 'model.states=1,2', seeds: '1..2' };
        const dir = await vscode.commands.executeCommand<string | undefined>(
          'nails.runSweep',
          uri,
          answers,
        );
        assert(dir, 'the sweep ran');
        const rows = () =>
          (
            JSON.parse(readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as {
              rows: { status: string }[];
            }
          ).rows;
        assert(
          rows().length === 4 && rows().every((r) => r.status === 'done'),
          `rows ${JSON.stringify(rows())}`,
        );
        await until('the Sweep panel', () =>
          vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'NAILS Sweep'),
        );
        const again = await vscode.commands.executeCommand<string | undefined>(
          'nails.runSweep',
          uri,
          answers,
        );
        assert(again === dir && rows().length === 4, 'the same sweep, nothing added');
      },
    ],
    [
      'training a spec with errors says so and jumps to the first diagnostic; nothing typed is lost',
      async () => {
        const uri = write(
          'broken.nails',
          'data {\n  generate binary_output\n  train 0..1000\n}\nmodel rnn { states 2 state { activation tahn } }\n',
        );
        const editor = await vscode.window.showTextDocument(uri);
        await editor.edit((e) => e.insert(new vscode.Position(5, 0), '// typed but not saved\n'));
        await until(
          'the diagnostic',
          () => vscode.languages.getDiagnostics(uri).length > 0 || undefined,
        );
        const outcome = await vscode.commands.executeCommand('nails.train', uri);
        assert(outcome === undefined, 'no training');
        const active = vscode.window.activeTextEditor;
        assert(
          active?.document.uri.toString() === uri.toString() && active.selection.active.line === 4,
          `the cursor is on the error (line ${String(active?.selection.active.line)})`,
        );
        assert(
          active.document.getText().includes('// typed but not saved') && !active.document.isDirty,
          'the edit was saved, not lost',
        );
        assert(api.training.statusText.includes('failed'), `status ${api.training.statusText}`);
      },
    ],
  );
  tests.push(...editorUiTests(api, folder, installed));
  tests.push(...lspFeatureTests(api, folder));
  // Tests that read ../shared/data skip visibly without it (the summary line CI checks).
  const haveData = DATA_DIR !== '' && existsSync(path.join(DATA_DIR, 'cascaded_tanks'));
  const needsData = new Set(["completion offers the data file's variables"]);
  // From the installed .vsix: the Train command works from the package, not only from source.
  const selected = installed ? tests.filter(([name]) => name.startsWith('Train')) : tests;
  await runTests(selected, (name) =>
    needsData.has(name) && !haveData
      ? `data not found at ${DATA_DIR || 'NAILS_DATA_DIR (unset)'}`
      : undefined,
  );
}
