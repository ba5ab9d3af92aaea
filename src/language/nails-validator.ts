/**
 * The validator of a spec: the analysis's diagnostics (./analysis.ts) on their node and property,
 * and the misspelled keywords the parser recovered from (./keyword-recovery.ts) on the word.
 * Each carries its repairs in `data` (./fix-data.ts) for the quick fixes. In the language server
 * (`settings.advise`), a spec without errors also gets information diagnostics where it is far
 * from what is recommended for its data (./recommend-advice.ts).
 */
import { AstUtils, type ValidationAcceptor } from 'langium';
import * as path from 'node:path';
import { analyzeSpec, type Analysis, type AnalysisContext } from './analysis.js';
import type { DiagnosticFixes } from './fix-data.js';
import type * as ast from './generated/ast.js';
import { keywordTypoMessage, keywordTypos } from './keyword-recovery.js';
import { adviceFor } from './recommend-advice.js';
import { recommendForSpec } from './recommendation.js';

/** Settings the host can change (the language server reads `nails.dataDirectory`). */
export class NailsSettings {
  dataDirs: string[] = process.env.NAILS_DATA_DIR ? [process.env.NAILS_DATA_DIR] : [];
  /** False in an untrusted workspace: no data or init file is read (src/language/trust.ts). */
  readFiles = true;
  /**
   * Information diagnostics where the spec is far from what is recommended for its data (the
   * language server sets it; `nails check` and training do not compute recommendations).
   */
  advise = false;
}

/** Where a document's spec finds its files, with the current settings. */
export function documentContext(spec: ast.Spec, settings: NailsSettings): AnalysisContext {
  const uri = AstUtils.getDocument(spec).uri;
  const specDir = uri.scheme === 'file' ? path.dirname(uri.fsPath) : process.cwd();
  return { specDir, dataDirs: settings.dataDirs, readFiles: settings.readFiles };
}

/** Analysis of a document's spec with the current settings. */
export function analyzeDocumentSpec(spec: ast.Spec, settings: NailsSettings): Analysis {
  return analyzeSpec(spec, documentContext(spec, settings));
}

export class NailsValidator {
  constructor(private readonly settings: NailsSettings) {}

  checkSpec(spec: ast.Spec, accept: ValidationAcceptor): void {
    for (const t of keywordTypos(spec)) {
      const data: DiagnosticFixes = {
        fixes: [{ fix: 'replace', candidates: [t.keyword], suggested: true }],
      };
      accept('error', keywordTypoMessage(t), { node: spec, range: t.range, data });
    }
    let analysis: Analysis;
    try {
      analysis = analyzeDocumentSpec(spec, this.settings);
    } catch (e) {
      accept('error', `internal error while checking the spec: ${String(e)}`, { node: spec });
      return;
    }
    for (const d of analysis.diagnostics) {
      const data: DiagnosticFixes | undefined = d.data ? { fixes: d.data } : undefined;
      accept(d.severity, d.message, {
        node: d.node,
        ...(d.property ? { property: d.property } : {}),
        ...(d.index !== undefined ? { index: d.index } : {}),
        ...(data ? { data } : {}),
      });
    }
    if (this.settings.advise && !analysis.diagnostics.some((d) => d.severity === 'error'))
      this.advise(spec, accept);
  }

  private advise(spec: ast.Spec, accept: ValidationAcceptor): void {
    const r = recommendForSpec(spec, documentContext(spec, this.settings));
    if (!r.ok) return;
    for (const a of adviceFor(spec, r)) {
      const data: DiagnosticFixes = { fixes: [a.fix] };
      accept('info', a.message, { node: a.node, property: a.property, data });
    }
  }
}
