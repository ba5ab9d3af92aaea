/**
 * The results webview: strict CSP (default-src 'none', the bundle and its stylesheet inlined with a
 * nonce; src/extension/page-html.ts), local resources only from dist/webview, theme colours,
 * state restored after reload (serializer), typed messages.
 */
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
import { messageForPixels } from '../protocol/overview-pixels.js';
import { webviewHtml } from './webview-html.js';

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
  /**
   * Whether the page said `ready` yet. Until then nothing is posted: `ready` sends the latest
   * state, once (posted earlier as well, a long run would cross to the page twice and be drawn
   * twice; bench/results-panel.ts).
   */
  private viewStarted = false;
  /** The plot width the page's charts draw on (from `ready`): long parts are trimmed to it. */
  private pixels: number | undefined;
  /** A `reveal` asked for before the page said `ready`, sent after the state. */
  private pendingReveal: HostToView | undefined;
  /** When the host got there (Date.now(); for bench/results-panel.ts): created, html, ready, posted. */
  readonly marks: Record<string, number> = {};
  /** Reads a run's inputs for the residual cross-correlation (set by the extension on activation). */
  static runInputs: ((runDir: string) => Promise<RunInputs>) | undefined;
  /** Reads the rows of a zoomed range of a run's part (set by the extension on activation). */
  static runRange: ((r: RangeRequest) => Promise<PartRows>) | undefined;
  /** Saves an exported chart (set by the extension on activation). */
  static saveChart: ((format: 'png' | 'svg', name: string, data: string) => void) | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly openLog: () => void,
  ) {
    this.marks.created = Date.now();
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
    panel.webview.html = webviewHtml(
      panel.webview,
      extensionUri,
      'results',
      'NAILS Results',
      'Waiting for a run…',
    );
    this.marks.html = Date.now();
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isViewMessage(m)) return;
      if (m.type === 'ready') {
        this.marks.ready ??= Date.now();
        this.viewStarted = true;
        this.pixels = m.pixels;
        if (this.latest) void panel.webview.postMessage(this.forView(this.latest));
        if (this.latest && this.latestInputs)
          void panel.webview.postMessage({ type: 'inputs', inputs: this.latestInputs });
        if (this.pendingReveal) void panel.webview.postMessage(this.pendingReveal);
        this.pendingReveal = undefined;
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
        this.marks.drawn ??= Date.now();
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
    this.marks.posted ??= Date.now();
    this.sent.push(m);
    if (this.viewStarted) void this.panel.webview.postMessage(this.forView(m));
    // A run's residual cross-correlation needs its inputs: read them, then send them after it.
    if (m.type === 'run' && ResultsPanel.runInputs) {
      const runDir = m.run.runDir;
      void ResultsPanel.runInputs(runDir).then((inputs) => {
        if (this.latest?.type === 'run' && this.latest.run.runDir === runDir)
          this.postInputs(inputs);
      });
    }
  }

  /** What crosses to the page: a long part's overview trimmed to the page's plot width. */
  private forView(m: HostToView): HostToView {
    return messageForPixels(m, this.pixels);
  }

  /** Closes the panel if nothing was posted to it yet (opened ahead of a read that failed). */
  disposeIfEmpty(): void {
    if (!this.latest && ResultsPanel.current === this) this.panel.dispose();
  }

  /** Scrolls the panel to a section of the shown run (the residual analysis, …). */
  reveal(section: 'fitted' | 'residuals' | 'convergence'): void {
    const m: HostToView = { type: 'reveal', section };
    if (this.viewStarted) void this.panel.webview.postMessage(m);
    else this.pendingReveal = m;
  }

  /** A run's inputs: replayed after the run on `ready`; not in `sent` (which lists what was shown). */
  private postInputs(inputs: RunInputs): void {
    this.latestInputs = inputs;
    if (this.viewStarted)
      void this.panel.webview.postMessage({ type: 'inputs', inputs } satisfies HostToView);
  }
}
