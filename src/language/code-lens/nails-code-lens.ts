/**
 * Code lenses of a spec: above its first line (`experiment …` or the first section) "Train",
 * "Preview data" and the last run's headline metric (opens that run); above `data {` "Preview
 * data". The commands and their arguments are declared in src/protocol/commands.ts.
 */
import { GrammarUtils, type LangiumDocument, type MaybePromise } from 'langium';
import * as path from 'node:path';
import type { CodeLensProvider, LangiumSharedServices } from 'langium/lsp';
import { CodeLensRefreshRequest, type CodeLens, type Range } from 'vscode-languageserver';
import { COMMANDS, lensCommand } from '../../protocol/commands.js';
import * as ast from '../generated/ast.js';
import { LastRunFinder } from './last-run.js';
import { RunsWatcher } from './runs-watcher.js';

/** The lens provider of a language server: its lenses are refreshed when a run finishes. */
export function createCodeLensProvider(shared: LangiumSharedServices): NailsCodeLensProvider {
  const connection = shared.lsp.Connection;
  const refresh = () =>
    void connection?.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  return new NailsCodeLensProvider(
    new LastRunFinder(),
    connection ? new RunsWatcher(refresh) : undefined,
  );
}

/** A zero-width range at the start of `line` (lenses sit above their line). */
function lineStart(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

export class NailsCodeLensProvider implements CodeLensProvider {
  /** `watcher`: refreshes the lenses when a run finishes (absent in tests without an editor). */
  constructor(
    private readonly runs = new LastRunFinder(),
    private readonly watcher?: RunsWatcher,
  ) {}

  provideCodeLens(document: LangiumDocument): MaybePromise<CodeLens[]> {
    const spec = document.parseResult.value as ast.Spec;
    const uri = document.uri.toString();
    const dataLine = spec.sections.find(ast.isDataSection)?.$cstNode?.range.start.line;
    // The spec's first line with content: `experiment …`, else its first section.
    const firstLine =
      GrammarUtils.findNodeForKeyword(spec.$cstNode, 'experiment')?.range.start.line ??
      spec.sections.find((s) => s.$cstNode)?.$cstNode?.range.start.line ??
      0;
    const top = lineStart(firstLine);
    const lenses: CodeLens[] = [
      { range: top, command: lensCommand('$(play) Train', COMMANDS.train, uri) },
    ];
    if (dataLine !== firstLine)
      lenses.push({
        range: top,
        command: lensCommand('Preview data', COMMANDS.previewData, uri),
      });
    if (document.uri.scheme === 'file') {
      this.watcher?.watch(path.dirname(document.uri.fsPath));
      const last = this.runs.find(document.uri.fsPath, spec.name ?? 'spec');
      if (last)
        lenses.push({
          range: top,
          command: lensCommand(last.title, COMMANDS.showResults, { runDir: last.runDir }),
        });
    }
    if (dataLine !== undefined)
      lenses.push({
        range: lineStart(dataLine),
        command: lensCommand('Preview data', COMMANDS.previewData, uri),
      });
    return lenses;
  }
}
