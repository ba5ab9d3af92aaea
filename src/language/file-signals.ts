/** The signals of the data file a spec's data section (or part, or input/output line) reads. */
import * as path from 'node:path';
import { AstUtils, type AstNode } from 'langium';
import { describeSignal, readHeader, resolveDataPath } from './data-headers.js';
import * as ast from './generated/ast.js';
import type { NailsSettings } from './nails-validator.js';

/** The data file's signals for the data section around `node` (empty when unknown). */
export function fileSignals(
  node: AstNode | undefined,
  settings: NailsSettings,
  Ts?: number,
): { name: string; detail: string }[] {
  if (!node) return [];
  const spec = AstUtils.getContainerOfType(node, ast.isSpec);
  const data = spec?.sections.find(ast.isDataSection);
  const part = AstUtils.getContainerOfType(node, ast.isPartEntry);
  const line =
    AstUtils.getContainerOfType(node, ast.isInputItem) ??
    AstUtils.getContainerOfType(node, ast.isOutputItem);
  const file =
    line?.path ??
    (part?.items.find(ast.isPartFileItem) ?? data?.entries.find(ast.isFileEntry))?.path;
  if (file === undefined || !spec || !settings.readFiles) return [];
  const uri = AstUtils.getDocument(spec).uri;
  const specDir = uri.scheme === 'file' ? path.dirname(uri.fsPath) : process.cwd();
  const r = resolveDataPath(file, specDir, settings.dataDirs);
  if (!r.found) return [];
  try {
    return [...readHeader(r.found).signals.values()]
      .filter((s) => s.length > 0)
      .map((s) => ({ name: s.name, detail: describeSignal(s, Ts) }));
  } catch {
    return [];
  }
}
