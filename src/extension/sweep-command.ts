/**
 * "NAILS: Run Sweep": asks for the settings (`model.states=2,3; regularize.l1=1e-4:1e-1:log:4`)
 * and the seeds of the active spec, runs the sweep on the local pool with a cancellable progress
 * notification (cancel: the fits in flight finish, no more start; re-running resumes), logs one
 * line per fit, and shows the Sweep panel.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SweepAxis } from '../protocol/sweep.js';
import { parseAxis, parseSeeds } from '../sweep/grid.js';
import { localExecutor } from '../sweep/local-pool.js';
import { prepareSweep, runPrepared } from '../sweep/run-sweep.js';
import { SweepPanel } from './sweep-panel.js';

export interface SweepDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  dataDirs: () => string[];
  fail: (what: string, e: unknown) => void;
}

/** Parses `KEY=V1,V2; KEY=a:b:log:n` (the CLI's --set values, separated by semicolons). */
export function parseSettingsLine(line: string): SweepAxis[] {
  return line
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s)
    .map(parseAxis);
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
  const settings =
    given?.settings ??
    (await vscode.window.showInputBox({
      title: 'NAILS: Run Sweep (1/2)',
      prompt: 'Settings to sweep, separated by ";" (keys as in `nails sweep --set`)',
      value: 'model.states=2,3',
      validateInput: (v) => {
        try {
          parseSettingsLine(v);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    }));
  if (settings === undefined) return undefined;
  const seeds =
    given?.seeds ??
    (await vscode.window.showInputBox({
      title: 'NAILS: Run Sweep (2/2)',
      prompt: 'Seeds (A..B or a list)',
      value: '1..3',
      validateInput: (v) => {
        try {
          parseSeeds(v);
          return undefined;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
    }));
  if (seeds === undefined) return undefined;
  try {
    const prepared = await prepareSweep({
      specFile: spec.fsPath,
      dataDirs: deps.dataDirs(),
      axes: parseSettingsLine(settings),
      seeds: parseSeeds(seeds),
    });
    deps.log.info(
      `sweep ${prepared.dir}: ${prepared.order.length} fit(s), ${prepared.skipped} done before`,
    );
    const total = prepared.pending.length;
    const file = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `NAILS sweep of ${path.basename(spec.fsPath)}`,
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const executor = localExecutor(
          {
            specFile: spec.fsPath,
            dataDirs: deps.dataDirs(),
            sweepDir: prepared.dir,
            worker: 'local',
            workerPath: vscode.Uri.joinPath(deps.extensionUri, 'dist', 'worker.cjs').fsPath,
          },
          undefined,
          abort.signal,
        );
        let finished = 0;
        return runPrepared(prepared, executor, {
          row: (r) => {
            finished++;
            deps.log.info(
              `${r.status} ${r.id}${r.error ? `: ${r.error}` : ''} (${r.wall.toFixed(1)} s)`,
            );
            progress.report({
              message: `${finished} of ${total} fits`,
              increment: total ? 100 / total : 100,
            });
          },
        });
      },
    );
    SweepPanel.show(file, prepared.dir);
    return prepared.dir;
  } catch (e) {
    deps.fail('the sweep', e);
    return undefined;
  }
}
