/**
 * Extension entry: the language client (diagnostics, completion, hover, outline, formatting from
 * the .nails language server over IPC), the commands, the status item, the log, the Runs view and
 * the results panel. The only folder that imports `vscode`. Training, evaluation, export, sweeps
 * and reading run folders run in the job thread (dist/host-jobs.cjs, src/protocol/host-jobs.ts):
 * this bundle carries no solver, language analysis or run-folder code.
 */
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { DATA_EXTENSIONS, EXPORT_FORMATS } from '../protocol/host-jobs.js';
import { saveChart } from './chart-export.js';
import { JobClient } from './job-client.js';
import { previewData } from './preview-command.js';
import { PreviewPanel } from './preview-panel.js';
import { ResultsPanel } from './results-panel.js';
import { readRunInputs } from './run-inputs.js';
import { RunItem, RunsTree } from './runs-tree.js';
import { runSweepFromEditor, type SweepAnswers } from './sweep-command.js';
import { SweepPanel, type SortKey } from './sweep-panel.js';
import { TrainingController } from './training.js';
import { forwardTrustGrant, registerCommand, trustInitializationOptions } from './trust.js';
import { startOnFirstSpec } from './lazy-client.js';

let client: LanguageClient | undefined;

/** What tests need from the running extension. */
export interface NailsApi {
  training: TrainingController;
  runs: RunsTree;
  jobs: JobClient;
  client: LanguageClient;
  results: () => ResultsPanel | undefined;
  preview: () => PreviewPanel | undefined;
}

function dataDirs(): string[] {
  const dir = vscode.workspace.getConfiguration('nails').get<string>('dataDirectory') ?? '';
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  return [
    ...(dir ? [path.isAbsolute(dir) ? dir : path.resolve(folders[0] ?? '.', dir)] : []),
    ...(process.env.NAILS_DATA_DIR ? [process.env.NAILS_DATA_DIR] : []),
  ];
}

export function activate(context: vscode.ExtensionContext): NailsApi {
  const log = vscode.window.createOutputChannel('NAILS', { log: true });
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  const jobs = new JobClient(context.asAbsolutePath(path.join('dist', 'host-jobs.cjs')));
  const runs = new RunsTree(jobs);
  const showLog = () => log.show();
  const training = new TrainingController({
    extensionUri: context.extensionUri,
    log,
    status,
    jobs,
    dataDirs,
    onRunWritten: () => runs.refresh(),
  });

  const serverModule = context.asAbsolutePath(path.join('dist', 'language-server.cjs'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'nails' }],
    synchronize: { configurationSection: 'nails' },
    outputChannel: log,
    initializationOptions: trustInitializationOptions(),
  };
  client = new LanguageClient('nails', 'NAILS language server', serverOptions, clientOptions);

  // A code lens passes the spec's URI as a string (src/protocol/commands.ts).
  const activeSpec = (uri?: vscode.Uri | string): vscode.Uri | undefined => {
    const u =
      (typeof uri === 'string' ? vscode.Uri.parse(uri) : uri) ??
      vscode.window.activeTextEditor?.document.uri;
    if (!u || !u.fsPath.endsWith('.nails')) {
      void vscode.window.showWarningMessage(
        'NAILS: open a .nails spec first (or run NAILS: Open Example).',
      );
      return undefined;
    }
    return u;
  };
  const pickRun = async (item?: RunItem | { runDir: string }): Promise<string | undefined> => {
    if (item?.runDir) return item.runDir;
    const all = await runs.getChildren();
    if (all.length === 0) {
      void vscode.window.showInformationMessage('NAILS: no runs yet; train a spec first.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      all.map((r) => ({
        label: path.basename(r.runDir),
        description: String(r.description ?? ''),
        runDir: r.runDir,
      })),
      { placeHolder: 'Select a run' },
    );
    return pick?.runDir;
  };
  const fail = (what: string, e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`${what}: ${message}`);
    void vscode.window
      .showErrorMessage(`NAILS: ${what} failed: ${message}`, 'Open Log')
      .then((c) => c === 'Open Log' && showLog());
  };

  /** The results panel's views of run folders (read and checked in the job thread). */
  const readRuns = (runDirs: string[]) => jobs.request('readRuns', { runDirs });
  const lsp = client;
  ResultsPanel.runInputs = (runDir) => readRunInputs(lsp, runDir);
  ResultsPanel.runRange = (r) => jobs.request('readRange', r);
  ResultsPanel.saveChart = (format, name, data) =>
    void saveChart(format, name, data, log).catch((e: unknown) => fail('exporting a chart', e));

  context.subscriptions.push(
    log,
    status,
    { dispose: () => jobs.dispose() },
    vscode.window.registerTreeDataProvider('nails.runs', runs),
    vscode.window.registerWebviewPanelSerializer(ResultsPanel.viewType, {
      deserializeWebviewPanel: (panel) => {
        ResultsPanel.revive(panel, context.extensionUri, showLog);
        return Promise.resolve();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(PreviewPanel.viewType, {
      deserializeWebviewPanel: (panel) => {
        PreviewPanel.revive(panel, context.extensionUri, showLog);
        return Promise.resolve();
      },
    }),
    registerCommand('nails.previewData', (uri?: unknown) =>
      previewData(uri, { extensionUri: context.extensionUri, client: lsp, log, openLog: showLog }),
    ),
    vscode.commands.registerCommand('nails.showLog', showLog),
    registerCommand('nails.train', (uri?: vscode.Uri) => {
      const u = activeSpec(uri);
      return u ? training.train(u) : undefined;
    }),
    registerCommand('nails.runSweep', (uri?: vscode.Uri, answers?: SweepAnswers) => {
      const u = activeSpec(uri);
      return u ? runSweepFromEditor(u, { log, jobs, dataDirs, fail }, answers) : undefined;
    }),
    vscode.commands.registerCommand(SweepPanel.sortCommand, (key: SortKey) => SweepPanel.sort(key)),
    vscode.commands.registerCommand('nails.stop', () => {
      if (!training.stop())
        void vscode.window.showInformationMessage('NAILS: nothing is training.');
    }),
    vscode.commands.registerCommand(
      'nails.showResults',
      async (item?: RunItem | { runDir: string }) => {
        const dir = await pickRun(item);
        if (!dir) return;
        // A new panel's webview loads while the job thread reads the run (each takes a few
        // hundred ms the first time); one that then has nothing to show is closed again.
        const opened = ResultsPanel.active
          ? undefined
          : ResultsPanel.show(context.extensionUri, showLog);
        try {
          if (opened) opened.marks.reading = Date.now();
          const [run] = await readRuns([dir]);
          if (run) ResultsPanel.show(context.extensionUri, showLog).post({ type: 'run', run });
          else opened?.disposeIfEmpty();
        } catch (e) {
          opened?.disposeIfEmpty();
          fail('showing results', e);
        }
      },
    ),
    vscode.commands.registerCommand('nails.compareRuns', async (runDirs?: string[]) => {
      let dirs = Array.isArray(runDirs) && runDirs.length >= 2 ? runDirs : undefined;
      if (!dirs) {
        const all = await runs.getChildren();
        const picks = await vscode.window.showQuickPick(
          all.map((r) => ({
            label: path.basename(r.runDir),
            description: String(r.description ?? ''),
            runDir: r.runDir,
          })),
          { canPickMany: true, placeHolder: 'Select two or more runs' },
        );
        if (!picks || picks.length < 2) return;
        dirs = picks.map((p) => p.runDir);
      }
      try {
        ResultsPanel.show(context.extensionUri, showLog).post({
          type: 'compare',
          runs: await readRuns(dirs),
        });
      } catch (e) {
        fail('comparing runs', e);
      }
    }),
    registerCommand('nails.evaluate', async (item?: RunItem | { runDir: string }) => {
      const dir = await pickRun(item);
      if (!dir) return;
      try {
        const parts = await jobs.start('evaluate', { runDir: dir, dataDirs: dataDirs() }).result;
        for (const p of parts)
          log.info(
            `evaluate ${path.basename(dir)} ${p.kind} ${p.name}: ${p.channels.map((c, i) => `y${i + 1} RMSE ${c.rmse.toPrecision(4)} fit ${c.fit.toFixed(2)} %`).join('; ')}`,
          );
        const test = parts.find((p) => p.kind === 'test');
        void vscode.window.showInformationMessage(
          `NAILS: ${path.basename(dir)} evaluated${test ? `: test fit ${test.channels[0]!.fit.toFixed(2)} %, RMSE ${test.channels[0]!.rmse.toPrecision(4)}` : ''} (details in the log).`,
        );
        return parts.map((p) => ({ kind: p.kind, name: p.name, metrics: p.channels }));
      } catch (e) {
        fail('evaluation', e);
        return undefined;
      }
    }),
    registerCommand(
      'nails.evaluateFile',
      async (item?: RunItem | { runDir: string }, file?: string, nInit?: number) => {
        const dir = await pickRun(item);
        if (!dir) return;
        const data =
          file ??
          (
            await vscode.window.showOpenDialog({
              canSelectMany: false,
              openLabel: 'Evaluate on this file',
              filters: { Data: [...DATA_EXTENSIONS] },
            })
          )?.[0]?.fsPath;
        if (!data) return;
        let init = nInit;
        if (init === undefined) {
          const answer = await vscode.window.showInputBox({
            prompt: 'Samples at the start that only estimate the initial state (n_init)',
            value: '0',
            validateInput: (v) =>
              /^\d+$/.test(v.trim()) ? undefined : 'a whole number of samples, 0 or more',
          });
          if (answer === undefined) return;
          init = Number(answer.trim());
        }
        try {
          const r = await jobs.start('evaluateFile', { runDir: dir, file: data, nInit: init })
            .result;
          const lines = r.metrics
            ? r.metrics.map(
                (m, c) =>
                  `${r.outputs[c]} RMSE ${m.rmse.toPrecision(4)}${r.units[c] ? ` ${r.units[c]}` : ''}, fit ${m.fit.toFixed(2)} %`,
              )
            : [r.finite ? 'no measured outputs: predictions only' : 'simulation not finite'];
          log.info(`evaluate ${path.basename(dir)} on ${data}: ${lines.join('; ')}`);
          log.info(`predictions: ${r.predictions}`);
          void vscode.window
            .showInformationMessage(
              `NAILS: ${path.basename(data)}: ${lines.join('; ')}`,
              'Open Predictions',
            )
            .then((choice) => {
              if (choice) void vscode.window.showTextDocument(vscode.Uri.file(r.predictions));
            });
          return r;
        } catch (e) {
          fail('evaluation on a file', e);
          return undefined;
        }
      },
    ),
    registerCommand(
      'nails.exportModel',
      async (item?: RunItem | { runDir: string }, format?: string) => {
        const dir = await pickRun(item);
        if (!dir) return;
        const f =
          format ??
          (await vscode.window.showQuickPick([...EXPORT_FORMATS], {
            placeHolder: 'Export as JSON, as a C header or as an ONNX simulator',
          }));
        if (!f) return;
        try {
          const file = await jobs.start('export', { runDir: dir, format: f }).result;
          log.info(`exported ${file}`);
          // ONNX is binary: say where it is instead of opening it.
          if (f === 'onnx') void vscode.window.showInformationMessage(`NAILS: exported ${file}`);
          else await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
          return file;
        } catch (e) {
          fail('export', e);
          return undefined;
        }
      },
    ),
    vscode.commands.registerCommand('nails.openExample', async () => {
      const src = context.asAbsolutePath('examples');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!folder) {
        void vscode.window.showWarningMessage(
          'NAILS: open a folder first; the example is copied into it.',
        );
        return;
      }
      const dest = path.join(folder, 'nails-examples');
      if (!existsSync(dest)) {
        mkdirSync(dest, { recursive: true });
        cpSync(src, dest, { recursive: true, filter: (s) => !s.includes(`${path.sep}runs`) });
      }
      const spec = vscode.Uri.file(path.join(dest, 'binary-output.nails'));
      await vscode.window.showTextDocument(spec);
      if (dataDirs().length === 0)
        log.info(
          'The benchmark examples read their data from `nails.dataDirectory` (a folder with cascaded_tanks/, silverbox/, …); the binary-output example needs no data.',
        );
      return spec;
    }),
  );
  context.subscriptions.push(
    startOnFirstSpec(client, log),
    forwardTrustGrant(
      (method, params) => client?.sendNotification(method, params) ?? Promise.resolve(),
    ),
  );
  log.info('NAILS Studio activated');
  return {
    training,
    runs,
    jobs,
    client,
    results: () => ResultsPanel.active,
    preview: () => PreviewPanel.active,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
