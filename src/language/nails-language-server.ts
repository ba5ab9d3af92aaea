/**
 * Langium's language server, announcing the kinds of code action it offers (quick fixes and
 * `source.fixAll`), so that an editor asks for "Fix all" (e.g. on save) without guessing.
 */
import { DefaultLanguageServer } from 'langium/lsp';
import {
  CodeActionKind,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';

export class NailsLanguageServer extends DefaultLanguageServer {
  protected override buildInitializeResult(params: InitializeParams): InitializeResult {
    const result = super.buildInitializeResult(params);
    if (result.capabilities.codeActionProvider)
      result.capabilities.codeActionProvider = {
        codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll],
      };
    return result;
  }
}
