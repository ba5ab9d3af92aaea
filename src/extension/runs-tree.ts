/**
 * The Runs view: run folders found under `runs/` folders of the workspace, newest first, each
 * described from its report.json (read in the job thread: a report that does not read shows the
 * one-line message naming the file and the field).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../protocol/host-jobs.js';
import type { JobClient } from './job-client.js';

export class RunItem extends vscode.TreeItem {
  readonly runDir: string;

  constructor(summary: RunSummary) {
    super(path.basename(summary.runDir), vscode.TreeItemCollapsibleState.None);
    const s = summary;
    this.runDir = s.runDir;
    const fit = s.testFit;
    this.description = s.problem
      ? 'unreadable report'
      : `${s.status ?? '?'}${fit !== undefined ? ` · test fit ${fit.toFixed(1)} %` : ''}`;
    this.tooltip = s.problem ?? `${s.method ?? ''}: ${s.message ?? ''}\n${s.runDir}`;
    this.contextValue = 'nailsRun';
    this.iconPath = new vscode.ThemeIcon(
      s.problem
        ? 'warning'
        : s.status === 'cancelled'
          ? 'debug-stop'
          : s.status === 'diverged'
            ? 'error'
            : 'graph-line',
    );
    this.command = { command: 'nails.showResults', title: 'Show Results', arguments: [this] };
  }
}

export class RunsTree implements vscode.TreeDataProvider<RunItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly jobs: JobClient) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  async getChildren(): Promise<RunItem[]> {
    const [reports, models] = await Promise.all(
      ['report.json', 'model.json'].map((f) =>
        vscode.workspace.findFiles(`**/runs/*/${f}`, '**/node_modules/**', 500),
      ),
    );
    const withModel = new Set(models!.map((u) => path.dirname(u.fsPath)));
    const runDirs = reports!
      .map((u) => path.dirname(u.fsPath))
      .filter((d) => withModel.has(d))
      .sort((a, b) => path.basename(b).localeCompare(path.basename(a)));
    if (runDirs.length === 0) return [];
    const summaries = await this.jobs.request('runSummaries', { runDirs });
    return summaries.map((s) => new RunItem(s));
  }
}
