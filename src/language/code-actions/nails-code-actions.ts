/**
 * Quick fixes for the spec's diagnostics, from the repairs they carry (../fix-data.ts): did-you-
 * mean replacements of keywords, values and data variables, skeletons of missing sections,
 * sample ranges clamped to the record, and removal of settings that do not fit the model. "Fix
 * all" (source.fixAll, and a quick fix when there are several) applies the safe ones together:
 * the "did you mean" replacements and ranges whose end is clamped.
 */
import type { LangiumDocument, MaybePromise } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import { fixesOf, type FixData } from '../fix-data.js';
import { fixEdits } from './fix-edits.js';

const FIX_ALL_TITLE = 'Fix all obvious problems in this spec';

/** Whether a repair may be applied without a person choosing (it is what "did you mean" says). */
function isSafe(fix: FixData): boolean {
  return (fix.fix === 'replace' && fix.suggested) || (fix.fix === 'clamp-range' && fix.safe);
}

/** The safe edits of all `diagnostics`, one per diagnostic, without overlaps. */
export function safeEdits(
  document: LangiumDocument,
  diagnostics: readonly Diagnostic[],
): TextEdit[] {
  const doc = document.textDocument;
  const edits: TextEdit[] = [];
  for (const d of diagnostics) {
    const fix = fixesOf(d.data).find(isSafe);
    const e = fix && fixEdits(document, d.range, fix)[0]?.edit;
    if (e) edits.push(e);
  }
  edits.sort((a, b) => doc.offsetAt(a.range.start) - doc.offsetAt(b.range.start));
  return edits.filter(
    (e, i) => i === 0 || doc.offsetAt(e.range.start) >= doc.offsetAt(edits[i - 1]!.range.end),
  );
}

export class NailsCodeActionProvider implements CodeActionProvider {
  getCodeActions(document: LangiumDocument, params: CodeActionParams): MaybePromise<CodeAction[]> {
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const wants = (kind: string) =>
      !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of params.context.diagnostics) {
        for (const fix of fixesOf(d.data)) {
          fixEdits(document, d.range, fix).forEach((f, i) =>
            actions.push({
              title: f.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [d],
              ...(i === 0 && isSafe(fix) ? { isPreferred: true } : {}),
              edit: { changes: { [uri]: [f.edit] } },
            }),
          );
        }
      }
    }
    const all = safeEdits(document, document.diagnostics ?? []);
    // A quick fix for all of them only when there is more than the one at hand.
    if (all.length > 1 && actions.length > 0)
      actions.push({
        title: FIX_ALL_TITLE,
        kind: CodeActionKind.QuickFix,
        edit: { changes: { [uri]: all } },
      });
    // Source actions only when asked for (the editor's "Source Action…" menu, fix on save).
    if (only && wants(CodeActionKind.SourceFixAll) && all.length > 0)
      actions.push({
        title: FIX_ALL_TITLE,
        kind: CodeActionKind.SourceFixAll,
        edit: { changes: { [uri]: all } },
      });
    return actions;
  }
}
