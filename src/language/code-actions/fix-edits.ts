/**
 * The text edits of each repair (../fix-data.ts) in a spec: a replacement, a section skeleton,
 * a clamped sample range, a deletion (of whole lines when nothing else is on them), a value
 * recommended for the data.
 */
import type { LangiumDocument } from 'langium';
import type { Position, Range, TextEdit } from 'vscode-languageserver';
import type { FixData } from '../fix-data.js';
import * as ast from '../generated/ast.js';

/** One repair as an edit, with the title the editor shows. */
export interface FixEdit {
  title: string;
  edit: TextEdit;
}

/** What a missing required section starts as; the user fills in the names. */
export const SECTION_SKELETONS: Record<'data' | 'model', string> = {
  data: 'data {\n  file "data.csv"\n  train { input u output y }\n}',
  model: 'model rnn {\n  states 2\n}',
};

/** The edits of `fix` for a diagnostic on `range` (one per candidate for a replacement). */
export function fixEdits(document: LangiumDocument, range: Range, fix: FixData): FixEdit[] {
  switch (fix.fix) {
    case 'replace':
      return fix.candidates.map((c) => ({
        title: `Change to '${c}'`,
        edit: { range, newText: c },
      }));
    case 'clamp-range': {
      const text = `${fix.start}..${fix.end}`;
      return [{ title: `Clamp the range to the record: ${text}`, edit: { range, newText: text } }];
    }
    case 'remove':
      return [{ title: `Remove ${fix.what}`, edit: removal(document, fix.range) }];
    case 'recommend':
      return [
        {
          title: `Use the recommended ${fix.setting} ${fix.value}`,
          edit: { range, newText: fix.value },
        },
      ];
    case 'add-section':
      return [
        { title: `Add a \`${fix.section}\` section`, edit: addSection(document, fix.section) },
      ];
  }
}

/**
 * Deletes `range`; when only blanks (and a comment) share its lines, the whole lines go, else
 * the range and the blanks after it.
 */
export function removal(document: LangiumDocument, range: Range): TextEdit {
  const doc = document.textDocument;
  const lineText = (line: number) =>
    doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const before = lineText(range.start.line).slice(0, range.start.character);
  const after = lineText(range.end.line).slice(range.end.character);
  if (/^\s*$/.test(before) && /^\s*(\/\/.*)?\s*$/.test(after)) {
    const end: Position =
      range.end.line + 1 < doc.lineCount
        ? { line: range.end.line + 1, character: 0 }
        : { line: range.end.line, character: range.end.character + after.length };
    return { range: { start: { line: range.start.line, character: 0 }, end }, newText: '' };
  }
  const blanks = /^[ \t]*/.exec(after)![0].length;
  return {
    range: {
      start: range.start,
      end: { line: range.end.line, character: range.end.character + blanks },
    },
    newText: '',
  };
}

/**
 * Inserts a skeleton of a missing section: `data` before the first section, `model` after the
 * data section (else before the first section); at the end of a spec without sections.
 */
export function addSection(document: LangiumDocument, section: 'data' | 'model'): TextEdit {
  const spec = document.parseResult.value as ast.Spec;
  const sections = spec.sections.filter((s) => s.$cstNode);
  const data = sections.find(ast.isDataSection);
  const skeleton = SECTION_SKELETONS[section];
  if (section === 'model' && data?.$cstNode) {
    const at = data.$cstNode.range.end;
    return { range: { start: at, end: at }, newText: `\n\n${skeleton}` };
  }
  const first = sections[0]?.$cstNode;
  if (first) {
    const at = first.range.start;
    return { range: { start: at, end: at }, newText: `${skeleton}\n\n` };
  }
  const doc = document.textDocument;
  const end = doc.positionAt(doc.getText().length);
  const text = doc.getText();
  const lead = text.trim() === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return { range: { start: end, end }, newText: `${lead}${skeleton}\n` };
}
