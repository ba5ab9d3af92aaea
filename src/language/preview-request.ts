/**
 * The `nails/previewData` request of the language server: a spec's data parts for the editor's
 * Preview Data panel (the open document's text when it is open), or a run folder's, whose data
 * are found from the original spec's folder. Failures are answered as a message, never thrown.
 */
import * as path from 'node:path';
import { URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Connection } from 'vscode-languageserver';
import { readSavedModel } from '../io/run-folder.js';
import {
  PREVIEW_DATA_REQUEST,
  type PreviewDataParams,
  type PreviewDataResult,
} from '../protocol/data-preview.js';
import { previewSpec } from './data-preview.js';

/** Answers one request (also what the tests call). */
export async function answerPreview(
  params: PreviewDataParams,
  dataDirs: string[],
  openText: (uri: string) => string | undefined = () => undefined,
): Promise<PreviewDataResult> {
  try {
    if (params.runDir) {
      const saved = readSavedModel(params.runDir);
      const data = await previewSpec(
        path.join(params.runDir, 'spec.nails'),
        [...saved.dataDirs, ...dataDirs],
        { specDir: saved.specDir },
      );
      return { ok: true, data };
    }
    if (!params.uri) return { ok: false, message: 'no spec given' };
    const uri = URI.parse(params.uri);
    if (uri.scheme !== 'file') return { ok: false, message: `${params.uri} is not a file` };
    const text = openText(params.uri);
    const data = await previewSpec(uri.fsPath, dataDirs, text !== undefined ? { text } : {});
    return { ok: true, data };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** Registers the request on the server's connection; `dataDirs` reads the current setting. */
export function registerPreviewRequest(
  connection: Connection,
  shared: LangiumSharedServices,
  dataDirs: () => string[],
  readFiles: () => boolean = () => true,
): void {
  connection.onRequest(PREVIEW_DATA_REQUEST, (params: PreviewDataParams) =>
    !readFiles()
      ? Promise.resolve<PreviewDataResult>({
          ok: false,
          message: 'data preview reads data files: trust this workspace to use it',
        })
      : answerPreview(params, dataDirs(), (uri) => {
          const docs = shared.workspace.LangiumDocuments;
          const u = URI.parse(uri);
          return docs.hasDocument(u) ? docs.getDocument(u)?.textDocument.getText() : undefined;
        }),
  );
}
