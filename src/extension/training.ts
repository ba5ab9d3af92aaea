/**
 * Training from the editor: the active spec is saved, checked (errors: say so and jump to the
 * first), then trained by the shared run service in a job thread (src/extension/job-client.ts:
 * the solver in its worker threads), with a cancellable progress notification, a status bar item,
 * live convergence in the results panel, and a clear message with "Open Log" when anything fails.
 * Runs are queued; the editor never blocks.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainJobResult } from '../protocol/host-jobs.js';
import type { ConvergencePoint } from '../protocol/webview-messages.js';
import { JobError, type JobClient, type JobHandle } from './job-client.js';
import { ResultsPanel } from './results-panel.js';

export interface TrainingDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  status: vscode.StatusBarItem;
  jobs: JobClient;
  dataDirs: () => string[];
  onRunWritten: (runDir: string) => void;
}

export class TrainingController {
  private queue: Promise<unknown> = Promise.resolve();
  private current: JobHandle<'train'> | undefined;
  private pending = 0;
  /** The last outcome (for tests and the status item). */
  lastOutcome: TrainJobResult | undefined;
  lastError: string | undefined;

  constructor(private readonly deps: TrainingDeps) {
    this.setStatus('idle');
  }

  private setStatus(
    state: 'idle' | 'queued' | 'training' | 'done' | 'cancelled' | 'failed',
    detail = '',
  ): void {
    const s = this.deps.status;
    const icon = {
      idle: '$(graph-line)',
      queued: '$(clock)',
      training: '$(sync~spin)',
      done: '$(check)',
      cancelled: '$(debug-stop)',
      failed: '$(error)',
    }[state];
    s.text = `${icon} NAILS${state === 'idle' ? '' : `: ${state}`}${detail ? ` ${detail}` : ''}`;
    s.tooltip =
      state === 'training'
        ? 'Training — click to show the results panel; NAILS: Stop cancels'
        : 'NAILS — click to show the latest results';
    s.backgroundColor =
      state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    s.command = 'nails.showResults';
    s.show();
  }

  get statusText(): string {
    return this.deps.status.text;
  }

  /** Queues a training run of `uri`; resolves when it has finished (or failed). */
  train(uri: vscode.Uri): Promise<TrainJobResult | undefined> {
    this.pending++;
    if (this.current) this.setStatus('queued', `(${this.pending - 1} waiting)`);
    const run = this.queue.then(() => this.runOne(uri)).finally(() => this.pending--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  stop(): boolean {
    if (!this.current) return false;
    this.deps.log.info('stop requested');
    this.current.cancel();
    return true;
  }

  private async runOne(uri: vscode.Uri): Promise<TrainJobResult | undefined> {
    const { log } = this.deps;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save();
    const errors = vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    if (errors.length > 0) {
      const first = errors[0]!;
      const editor = await vscode.window.showTextDocument(uri, { selection: first.range });
      editor.revealRange(first.range);
      void vscode.window.showErrorMessage(
        `NAILS: ${path.basename(uri.fsPath)} has ${errors.length} error(s); the first: ${first.message}`,
      );
      this.setStatus('failed', '(spec errors)');
      return undefined;
    }
    const panel = ResultsPanel.show(this.deps.extensionUri, () => log.show());
    const history: ConvergencePoint[] = [];
    const title = path.basename(uri.fsPath);
    panel.post({ type: 'live', title, history: [] });
    this.setStatus('training', title);
    log.info(`training ${uri.fsPath}`);
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `NAILS: training ${title}`,
          cancellable: true,
        },
        async (progress, token) => {
          const handle = this.deps.jobs.start(
            'train',
            { spec: uri.fsPath, dataDirs: this.deps.dataDirs() },
            (e) => {
              if (e.type === 'log') log.info(e.line);
              else if (e.type === 'trainProgress') {
                if (e.start === 0) {
                  history.push(e.point);
                  panel.post({ type: 'live', title, history: [...history] });
                }
                progress.report({
                  message: `start ${e.start + 1}, iteration ${e.point.iteration}, loss ${e.point.value.toExponential(3)}`,
                });
              }
            },
          );
          this.current = handle;
          token.onCancellationRequested(() => handle.cancel());
          const outcome = await handle.result;
          this.lastOutcome = outcome;
          if (!outcome.result || !outcome.runDir)
            throw new JobError(outcome.specError ?? 'the spec did not check', true);
          const r = outcome.result;
          if (r.status === 'diverged')
            throw new JobError(
              `${r.message} (the run folder ${outcome.runDir} keeps the report)`,
              true,
            );
          log.info(
            `${r.message}; iterations ${r.iterations}, loss ${r.value}; accumulation kernel ${r.kernel ?? 'n/a'}; run folder ${outcome.runDir}`,
          );
          for (const line of r.recovery) log.info(`recovery: ${line}`);
          // A model that is not a verified fit is said where the user looks, not only in the log.
          if (r.status === 'degenerate' || r.status === 'stalled')
            void vscode.window
              .showWarningMessage(`NAILS: ${title}: ${r.message}`, 'Open Log')
              .then((c) => {
                if (c === 'Open Log') log.show();
              });
          if (r.cancel)
            log.info(
              `cancel answered ${Math.round(r.cancel.answeredMs)} ms after the request${r.cancel.terminated ? ' (the worker was terminated)' : ''}`,
            );
          if (r.cancel?.terminated || outcome.scoringError)
            void vscode.window
              .showWarningMessage(
                `NAILS: ${title}: ${outcome.scoringError ? `scoring failed (${outcome.scoringError})` : r.message}; the run folder keeps the parameters.`,
                'Open Log',
              )
              .then((c) => {
                if (c === 'Open Log') log.show();
              });
          const [view] = await this.deps.jobs.request('readRuns', { runDirs: [outcome.runDir] });
          if (view) panel.post({ type: 'run', run: view });
          this.setStatus(r.status === 'cancelled' ? 'cancelled' : 'done', title);
          this.deps.onRunWritten(outcome.runDir);
          return outcome;
        },
      );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.lastError = message;
      log.error(
        e instanceof JobError
          ? `${message}${e.userError ? '' : `\n${e.detail ?? ''}`}`
          : `${message}\n${e instanceof Error ? (e.stack ?? '') : ''}`,
      );
      this.setStatus('failed', title);
      void vscode.window
        .showErrorMessage(`NAILS: training ${title} failed: ${message.split('\n')[0]}`, 'Open Log')
        .then((c) => {
          if (c === 'Open Log') log.show();
        });
      return undefined;
    } finally {
      this.current = undefined;
    }
  }
}
