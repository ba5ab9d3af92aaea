/** The Runs view: run folders found under `runs/` folders of the workspace, newest first. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readReport, type RunReport } from '../io/run-folder.js';

export class RunItem extends vscode.TreeItem {
  constructor(readonly runDir: string) {
    super(path.basename(runDir), vscode.TreeItemCollapsibleState.None);
    let report: RunReport | undefined;
    let problem: string | undefined;
    try {
      report = readReport(runDir);
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
    const test = report?.parts.find((p) => p.kind === 'test')?.metrics[0];
    this.description = report
      ? `${report.status}${test ? ` · test fit ${Number(test.fit).toFixed(1)} %` : ''}`
      : 'unreadable report';
    this.tooltip = report ? `${report.method}: ${report.message}\n${runDir}` : (problem ?? runDir);
    this.contextValue = 'nailsRun';
    this.iconPath = new vscode.ThemeIcon(
      report?.status === 'cancelled'
        ? 'debug-stop'
        : report?.status === 'diverged'
          ? 'error'
          : 'graph-line',
    );
    this.command = { command: 'nails.showResults', title: 'Show Results', arguments: [this] };
  }
}

export class RunsTree implements vscode.TreeDataProvider<RunItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: RunItem): vscode.TreeItem {
    return item;
  }

  async getChildren(): Promise<RunItem[]> {
    const reports = await vscode.workspace.findFiles(
      '**/runs/*/report.json',
      '**/node_modules/**',
      500,
    );
    return reports
      .map((u) => path.dirname(u.fsPath))
      .filter((d) => existsSync(path.join(d, 'model.json')))
      .sort((a, b) => path.basename(b).localeCompare(path.basename(a)))
      .map((d) => new RunItem(d));
  }
}
