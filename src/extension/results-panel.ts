/**
 * The results webview: strict CSP (default-src 'none', nonce script), local resources only from
 * dist/webview, theme colours, state restored after reload (serializer), typed messages.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  isViewMessage,
  type DrawnReport,
  type DrawnResiduals,
  type HostToView,
  type PartRows,
  type RangeRequest,
  type RunInputs,
} from '../protocol/webview-messages.js';

export class ResultsPanel {
  static readonly viewType = 'nails.results';
  private static current: ResultsPanel | undefined;
  private latest: HostToView | undefined;
  /** Every message posted, for tests (the webview receives them through postMessage). */
  readonly sent: HostToView[] = [];
  /** What the webview reported drawing, latest last (the last 20 renders; for tests). */
  readonly drawn: DrawnReport[] = [];
  /** The residual analyses the webview reported drawing, latest last (the last 20; for tests). */
  readonly residuals: DrawnResiduals[] = [];
  private latestInputs: RunInputs | undefined;
  /** Reads a run's inputs for the residual cross-correlation (set by the extension on activation). */
  static runInputs: ((runDir: string) => Promise<RunInputs>) | undefined;
  /** Reads the rows of a zoomed range of a run's part (set by the extension on activation). */
  static runRange: ((r: RangeRequest) => Promise<PartRows>) | undefined;
  /** Saves an exported chart (set by the extension on activation). */
  static saveChart: ((format: 'png' | 'svg', name: string, data: string) => void) | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly openLog: () => void,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
    panel.webview.html = this.html();
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isViewMessage(m)) return;
      if (m.type === 'ready' && this.latest) {
        void panel.webview.postMessage(this.latest);
        if (this.latestInputs)
          void panel.webview.postMessage({ type: 'inputs', inputs: this.latestInputs });
      } else if (m.type === 'openLog') this.openLog();
      else if (m.type === 'export') ResultsPanel.saveChart?.(m.format, m.name, m.data);
      else if (m.type === 'range') {
        const answer = (rows?: PartRows) =>
          void panel.webview.postMessage({
            type: 'range',
            id: m.id,
            ...(rows ? { rows } : {}),
          } satisfies HostToView);
        // Only ranges of the run shown (the view names a folder; the host reads no other).
        const shown = this.latest?.type === 'run' ? this.latest.run.runDir : undefined;
        if (m.request.runDir !== shown || !ResultsPanel.runRange) answer();
        else void ResultsPanel.runRange(m.request).then(answer, () => answer());
      } else if (m.type === 'residuals') {
        this.residuals.push(m.drawn);
        if (this.residuals.length > 20) this.residuals.shift();
      } else if (m.type === 'drawn') {
        this.drawn.push(m.drawn);
        if (this.drawn.length > 20) this.drawn.shift();
      }
    });
    panel.onDidDispose(() => {
      if (ResultsPanel.current === this) ResultsPanel.current = undefined;
    });
  }

  static show(extensionUri: vscode.Uri, openLog: () => void): ResultsPanel {
    if (ResultsPanel.current) {
      ResultsPanel.current.panel.reveal(undefined, true);
      return ResultsPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      ResultsPanel.viewType,
      'NAILS Results',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {},
    );
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, openLog);
    return ResultsPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, openLog: () => void): void {
    ResultsPanel.current = new ResultsPanel(panel, extensionUri, openLog);
  }

  static get active(): ResultsPanel | undefined {
    return ResultsPanel.current;
  }

  post(m: HostToView): void {
    if (m.type === 'inputs') return this.postInputs(m.inputs);
    if (m.type === 'reveal') return this.reveal(m.section);
    this.latest = m;
    this.sent.push(m);
    void this.panel.webview.postMessage(m);
    // A run's residual cross-correlation needs its inputs: read them, then send them after it.
    if (m.type === 'run' && ResultsPanel.runInputs) {
      const runDir = m.run.runDir;
      void ResultsPanel.runInputs(runDir).then((inputs) => {
        if (this.latest?.type === 'run' && this.latest.run.runDir === runDir)
          this.postInputs(inputs);
      });
    }
  }

  /** Closes the panel if nothing was posted to it yet (opened ahead of a read that failed). */
  disposeIfEmpty(): void {
    if (!this.latest && ResultsPanel.current === this) this.panel.dispose();
  }

  /** Scrolls the panel to a section of the shown run (the residual analysis, …). */
  reveal(section: 'fitted' | 'residuals' | 'convergence'): void {
    void this.panel.webview.postMessage({ type: 'reveal', section } satisfies HostToView);
  }

  /** A run's inputs: replayed after the run on `ready`; not in `sent` (which lists what was shown). */
  private postInputs(inputs: RunInputs): void {
    this.latestInputs = inputs;
    void this.panel.webview.postMessage({ type: 'inputs', inputs } satisfies HostToView);
  }

  private html(): string {
    const w = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = w.asWebviewUri(
      vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'results.js'),
    );
    const style = w.asWebviewUri(
      vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'results.css'),
    );
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${w.cspSource} data:; style-src ${w.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style.toString()}" rel="stylesheet">
<title>NAILS Results</title></head>
<body><div id="root"><p>Waiting for a run…</p></div>
<script nonce="${nonce}" src="${script.toString()}"></script></body></html>`;
  }
}
