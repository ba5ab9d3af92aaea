/**
 * "NAILS: Run Sweep": asks for the settings (`model.states=2,3; regularize.l1=1e-4:1e-1:log:4`)
 * and the seeds of the active spec, runs the sweep in a job thread on the local pool with a
 * cancellable progress notification (cancel: no more fits start; the fits in flight finish within
 * the grace period, else the thread and its solvers are terminated; re-running resumes), logs one
 * line per fit, and shows the Sweep panel.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SweepFile } from '../protocol/sweep.js';
import { JobCancelledError, type JobClient } from './job-client.js';
import { SweepPanel } from './sweep-panel.js';

export interface SweepDeps {
  log: vscode.LogOutputChannel;
  jobs: JobClient;
  dataDirs: () => string[];
  fail: (what: string, e: unknown) => void;
}

/** The answers to the two prompts, when a caller (a test, a keybinding) gives them. */
export interface SweepAnswers {
  settings: string;
  seeds: string;
}

/** Runs a sweep of `spec`; resolves with the sweep folder (undefined when cancelled at a prompt). */
export async function runSweepFromEditor(
  spec: vscode.Uri,
  deps: SweepDeps,
  given?: SweepAnswers,
): Promise<string | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === spec.toString());
  if (doc?.isDirty) await doc.save();
  // Checked as typed by the job thread (the parsers of `nails sweep --set` and `--seeds`).
  const check = (input: { settings?: string; seeds?: string }) =>
    deps.jobs.request('checkSweepInput', input).catch((e: unknown) => String(e));
  const settings =
    given?.settings ??
    (await vscode.window.showInputBox({
      title: 'NAILS: Run Sweep (1/2)',
      prompt: 'Settings to sweep, separated by ";" (keys as in `nails sweep --set`)',
      value: 'model.states=2,3',
      validateInput: (v) => check({ settings: v }),
    }));
  if (settings === undefined) return undefined;
  const seeds =
    given?.seeds ??
    (await vscode.window.showInputBox({
      title: 'NAILS: Run Sweep (2/2)',
      prompt: 'Seeds (A..B or a list)',
      value: '1..3',
      validateInput: (v) => check({ seeds: v }),
    }));
  if (seeds === undefined) return undefined;
  // The latest state, kept should the job be terminated after a cancel.
  let dir: string | undefined;
  let latest: SweepFile | undefined;
  try {
    const done = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `NAILS sweep of ${path.basename(spec.fsPath)}`,
        cancellable: true,
      },
      async (progress, token) => {
        let total = 0;
        let finished = 0;
        const job = deps.jobs.start(
          'sweep',
          { spec: spec.fsPath, dataDirs: deps.dataDirs(), settings, seeds },
          (e) => {
            if (e.type === 'log') deps.log.info(e.line);
            else if (e.type === 'sweepPlanned') {
              dir = e.dir;
              total = e.pending;
              deps.log.info(`sweep ${e.dir}: ${e.fits} fit(s), ${e.skipped} done before`);
            } else if (e.type === 'sweepRow') {
              latest = e.file;
              finished++;
              const r = e.row;
              deps.log.info(
                `${r.status} ${r.id}${r.error ? `: ${r.error}` : ''} (${r.wall.toFixed(1)} s)`,
              );
              progress.report({
                message: `${finished} of ${total} fits`,
                increment: total ? 100 / total : 100,
              });
            }
          },
        );
        token.onCancellationRequested(() => job.cancel());
        return job.result;
      },
    );
    SweepPanel.show(done.file, done.dir);
    return done.dir;
  } catch (e) {
    // Terminated after a cancel: the rows written so far stand (running it again resumes).
    if (e instanceof JobCancelledError && dir && latest) {
      deps.log.info(`sweep ${dir}: ${e.message}`);
      SweepPanel.show(latest, dir);
      return dir;
    }
    deps.fail('the sweep', e);
    return undefined;
  }
}
