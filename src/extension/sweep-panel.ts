/**
 * The Sweep panel: one webview showing the latest sweep (src/extension/sweep-html.ts), re-sorted
 * by its column links; scripts are off and the only command links allowed are `nails.showResults`
 * and the panel's own sort.
 */
import * as vscode from 'vscode';
import type { SweepFile } from '../protocol/sweep.js';
import { COLUMNS, SORT_COMMAND, sweepHtml, type SortKey } from './sweep-html.js';

export type { SortKey };

export class SweepPanel {
  static readonly viewType = 'nails.sweep';
  static readonly sortCommand = SORT_COMMAND;
  private static current: SweepPanel | undefined;
  private sweep: SweepFile | undefined;
  private dir = '';
  private sortBy: SortKey = 'validationRmse';

  private constructor(readonly panel: vscode.WebviewPanel) {
    panel.onDidDispose(() => {
      if (SweepPanel.current === this) SweepPanel.current = undefined;
    });
  }

  /** Shows (or reuses) the panel with a sweep. */
  static show(sweep: SweepFile, dir: string): SweepPanel {
    if (!SweepPanel.current) {
      const panel = vscode.window.createWebviewPanel(
        SweepPanel.viewType,
        'NAILS Sweep',
        vscode.ViewColumn.Beside,
        {
          enableScripts: false,
          enableCommandUris: ['nails.showResults', SweepPanel.sortCommand],
          localResourceRoots: [],
        },
      );
      SweepPanel.current = new SweepPanel(panel);
    }
    const p = SweepPanel.current;
    p.sweep = sweep;
    p.dir = dir;
    p.sortBy = sweep.selectBy;
    p.render();
    p.panel.reveal(undefined, true);
    return p;
  }

  /** Re-sorts the open panel (the column headers' command). */
  static sort(key: SortKey): void {
    const p = SweepPanel.current;
    if (!p || !COLUMNS.some((c) => c.key === key)) return;
    p.sortBy = key;
    p.render();
  }

  private render(): void {
    if (this.sweep) this.panel.webview.html = sweepHtml(this.sweep, this.dir, this.sortBy);
  }
}
