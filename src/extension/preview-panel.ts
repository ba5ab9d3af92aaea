/**
 * The data preview webview (`nails.preview`): one panel, the latest spec's data replayed when the
 * view says `ready`, state restored after reload (serializer), typed messages (protocol/data-preview).
 */
import * as vscode from 'vscode';
import {
  isPreviewViewMessage,
  type PreviewDrawn,
  type PreviewHostToView,
} from '../protocol/data-preview.js';
import { webviewHtml } from './webview-html.js';

export class PreviewPanel {
  static readonly viewType = 'nails.preview';
  private static current: PreviewPanel | undefined;
  private latest: PreviewHostToView | undefined;
  /** What the webview reported drawing, latest last (the last 20 renders; for tests). */
  readonly drawn: PreviewDrawn[] = [];

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly openLog: () => void,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
    panel.webview.html = webviewHtml(
      panel.webview,
      extensionUri,
      'preview',
      'NAILS Data Preview',
      'Reading the data…',
    );
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isPreviewViewMessage(m)) return;
      if (m.type === 'ready' && this.latest) void panel.webview.postMessage(this.latest);
      else if (m.type === 'openLog') this.openLog();
      else if (m.type === 'drawn') {
        this.drawn.push(m.drawn);
        if (this.drawn.length > 20) this.drawn.shift();
      }
    });
    panel.onDidDispose(() => {
      if (PreviewPanel.current === this) PreviewPanel.current = undefined;
    });
  }

  static show(extensionUri: vscode.Uri, openLog: () => void): PreviewPanel {
    if (PreviewPanel.current) {
      PreviewPanel.current.panel.reveal(undefined, true);
      return PreviewPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      PreviewPanel.viewType,
      'NAILS Data Preview',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {},
    );
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, openLog);
    return PreviewPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, openLog: () => void): void {
    PreviewPanel.current = new PreviewPanel(panel, extensionUri, openLog);
  }

  static get active(): PreviewPanel | undefined {
    return PreviewPanel.current;
  }

  post(m: PreviewHostToView): void {
    this.latest = m;
    this.panel.title = `Data: ${m.data.title}`;
    void this.panel.webview.postMessage(m);
  }
}
