/**
 * Opening a long fitted response, measured inside the real extension host (bench/results-panel.ts
 * --vscode runs it through scripts/vscode-test.mjs --suite panel-open): a run folder whose test
 * part has NAILS_PANEL_SAMPLES samples (default 1e6) is written with the trainer's writer, then
 * the time from `nails.showResults` to the webview reporting that it drew the fitted response
 * (job-thread read, host, webview message, decimation and the canvas drawing — the first panel
 * of the window, so the webview's own start is included). Prints one `PANEL {json}` line; with
 * NAILS_PANEL_OUT, also writes the JSON there.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { NailsApi } from '../../src/extension/extension';
import type { DrawnSeries } from '../../src/protocol/webview-messages';
import { writeLongRun } from '../fixtures/long-run';
import { assert, runTests, sleep } from './util';

export interface PanelSample {
  samples: number;
  /** ms from the command to the webview's drawn report for the run (the window's first panel). */
  openMs: number;
  /** The same for a second run of the same length, the panel already open. */
  reopenMs: number;
  /** The job thread's read of a third such run alone (`readRuns`), as the command does it. */
  readMs: number;
  series: DrawnSeries[];
  /**
   * The first opening, stage by stage: ms after the command of the host's marks (ResultsPanel.marks:
   * panel created, html set, `ready` received, run posted, drawn report received) and the
   * webview's (DrawnReport.timing, prefixed `view `).
   */
  stages: Record<string, number>;
  /** The same for the second opening (host marks only: the page was already there). */
  reopenStages: Record<string, number>;
  vscodeVersion: string;
}

export async function measurePanelOpen(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert(folder, 'a workspace folder is open');
  const ext = vscode.extensions.all.find(
    (e) => (e.packageJSON as { name?: string } | undefined)?.name === 'nails-studio',
  );
  assert(ext, 'the extension is installed');
  const N = Number(process.env.NAILS_PANEL_SAMPLES ?? 1e6);
  await runTests([
    [
      `a ${N}-sample fitted response opens in the results panel`,
      async () => {
        const api = (await ext.activate()) as NailsApi;
        const spec = path.join(folder, 'long.nails');
        writeFileSync(spec, 'experiment long\n');
        const open = async (): Promise<[number, DrawnSeries[], Record<string, number>]> => {
          const runDir = writeLongRun(folder, spec, N);
          // The panel's marks are its first ones: a second opening starts them again.
          const marks = api.results()?.marks ?? {};
          for (const k of Object.keys(marks)) delete marks[k];
          const start = Date.now();
          const t0 = performance.now();
          await vscode.commands.executeCommand('nails.showResults', { runDir });
          let drawn;
          while (!(drawn = api.results()?.drawn.find((d) => d.runDir === runDir))) {
            assert(performance.now() - t0 < 60_000, 'the panel drew the run within 60 s');
            await sleep(5);
          }
          const ms = performance.now() - t0;
          const stages = Object.fromEntries(
            [
              ...Object.entries(api.results()?.marks ?? {}),
              ...Object.entries(drawn.timing ?? {}).map(([k, v]) => [`view ${k}`, v] as const),
            ]
              .map(([k, v]) => [k, v - start] as const)
              .sort((a, b) => a[1] - b[1]),
          );
          return [ms, drawn.charts[0]?.series ?? [], stages];
        };
        const [openMs, series, stages] = await open();
        const [reopenMs, , reopenStages] = await open();
        const third = writeLongRun(folder, spec, N);
        const t1 = performance.now();
        await api.jobs.request('readRuns', { runDirs: [third] });
        const readMs = performance.now() - t1;
        const sample: PanelSample = {
          samples: N,
          openMs,
          reopenMs,
          readMs,
          series,
          stages,
          reopenStages,
          vscodeVersion: vscode.version,
        };
        assert(
          sample.series.length === 2 && sample.series.every((s) => s.pixels > 0),
          `measured and simulated painted: ${JSON.stringify(sample.series)}`,
        );
        console.log(`PANEL ${JSON.stringify(sample)}`);
        if (process.env.NAILS_PANEL_OUT)
          writeFileSync(process.env.NAILS_PANEL_OUT, JSON.stringify(sample));
      },
    ],
  ]);
}
