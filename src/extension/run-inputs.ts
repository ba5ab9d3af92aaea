/**
 * The inputs of a run's parts for the residual cross-correlation, read by the language server from
 * the run folder's spec snapshot and the original data (`nails/previewData` with `runDir`).
 */
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RunInputs } from '../protocol/webview-messages.js';
import { requestPreview } from './preview-command.js';

export async function readRunInputs(client: LanguageClient, runDir: string): Promise<RunInputs> {
  try {
    const r = await requestPreview(client, { runDir });
    if (!r.ok) return { runDir, parts: [], message: r.message };
    return {
      runDir,
      parts: r.data.parts.map((p) => ({
        kind: p.kind,
        name: p.name,
        inputs: p.signals
          .filter((s) => s.role === 'input')
          .map((s) => ({ name: s.name, ...(s.unit ? { unit: s.unit } : {}), values: s.values })),
      })),
    };
  } catch (e) {
    return { runDir, parts: [], message: e instanceof Error ? e.message : String(e) };
  }
}
