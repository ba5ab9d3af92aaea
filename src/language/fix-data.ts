/**
 * The repairs a diagnostic offers, carried in its LSP `data` field as `{ fixes: FixData[] }`:
 * the analysis (and the parser's keyword recovery) say what would fix the problem, and the code
 * actions (./code-actions/) turn that into edits without reading the message.
 */
import { GrammarUtils, type AstNode } from 'langium';
import type { Range } from 'vscode-languageserver';

export type FixData =
  /**
   * Replace the diagnostic's range with one of `candidates` (at most a handful). `suggested`: the
   * first is the one "did you mean" names (a preferred quick fix, safe in "Fix all").
   */
  | { fix: 'replace'; candidates: string[]; suggested: boolean }
  /** Insert a skeleton of a required section the spec lacks. */
  | { fix: 'add-section'; section: 'data' | 'model' }
  /**
   * Replace the diagnostic's range (a sample range `a..b`) by `start..end`, inside the record;
   * `safe` when only the end moved (then it is part of "Fix all").
   */
  | { fix: 'clamp-range'; start: number; end: number; safe: boolean }
  /** Delete `range` (whole lines when nothing else is on them); `what` names it in the title. */
  | { fix: 'remove'; range: Range; what: string }
  /**
   * Replace the diagnostic's range (a setting's value) by the value recommended for the data
   * (../recommend-advice.ts); `setting` names it in the title. A choice, never part of "Fix all".
   */
  | { fix: 'recommend'; setting: string; value: string };

/** A diagnostic's `data` as the language server publishes it. */
export interface DiagnosticFixes {
  fixes: FixData[];
}

/** The fixes in a diagnostic's `data` (it comes back from the client untyped): ours, checked. */
export function fixesOf(data: unknown): FixData[] {
  const list = (data as { fixes?: unknown } | null | undefined)?.fixes;
  return Array.isArray(list) ? list.filter(isFixData) : [];
}

function isFixData(data: unknown): data is FixData {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  switch (d.fix) {
    case 'replace':
      return Array.isArray(d.candidates) && d.candidates.every((c) => typeof c === 'string');
    case 'add-section':
      return d.section === 'data' || d.section === 'model';
    case 'clamp-range':
      return typeof d.start === 'number' && typeof d.end === 'number';
    case 'remove':
      return typeof d.range === 'object' && d.range !== null && typeof d.what === 'string';
    case 'recommend':
      return typeof d.setting === 'string' && typeof d.value === 'string';
    default:
      return false;
  }
}

/** The fix that deletes `node` (or its `property`, element `index`), named `what` in the title. */
export function removeFix(
  node: AstNode,
  what: string,
  property?: string,
  index?: number,
): FixData | undefined {
  const cst =
    property === undefined
      ? node.$cstNode
      : GrammarUtils.findNodeForProperty(node.$cstNode, property, index);
  return cst ? { fix: 'remove', range: cst.range, what } : undefined;
}
