/**
 * Parses and checks a .nails file outside an editor (command line, tests): the same services and
 * diagnostics as the language server, reported as `file:line:col: severity: message`.
 */
import { EmptyFileSystem, URI } from 'langium';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { analyzeSpec, type Analysis } from './analysis.js';
import type { Spec } from './generated/ast.js';
import { createNailsServices } from './nails-module.js';

export interface SpecCheck {
  file: string;
  spec: Spec;
  /** Syntax and meaning problems as `file:line:col: severity: message`, in document order. */
  problems: {
    line: number;
    column: number;
    severity: 'error' | 'warning';
    message: string;
    text: string;
  }[];
  errors: number;
  analysis: Analysis;
}

let services: ReturnType<typeof createNailsServices> | undefined;
/** Checks share one workspace: they run one after another (a sweep checks many specs at once). */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Reads, parses and validates a spec file; with `text`, checks that text as if it were the file's
 * (same folder for relative data paths), e.g. a sweep's modified spec.
 */
export function checkSpecFile(file: string, dataDirs: string[], text?: string): Promise<SpecCheck> {
  const next = queue.then(() => checkNow(file, dataDirs, text));
  queue = next.catch(() => undefined);
  return next;
}

async function checkNow(file: string, dataDirs: string[], given?: string): Promise<SpecCheck> {
  let text: string;
  try {
    text = given ?? readFileSync(file, 'utf8');
  } catch {
    throw new NailsError(`cannot read spec file '${file}'`, file);
  }
  services ??= createNailsServices(EmptyFileSystem);
  const { Nails, shared } = services;
  Nails.settings.dataDirs = dataDirs;
  const uri = URI.file(path.resolve(file));
  const docs = shared.workspace.LangiumDocuments;
  if (docs.hasDocument(uri)) docs.deleteDocument(uri);
  const doc = shared.workspace.LangiumDocumentFactory.fromString<Spec>(text, uri);
  docs.addDocument(doc);
  await shared.workspace.DocumentBuilder.build([doc], { validation: true });
  const problems = (doc.diagnostics ?? [])
    // Errors and warnings; information and hints are the editor's.
    .filter((d) => (d.severity ?? 1) <= 2)
    .map((d) => {
      const severity: 'error' | 'warning' = d.severity === 2 ? 'warning' : 'error';
      const line = d.range.start.line + 1;
      const column = d.range.start.character + 1;
      const message = typeof d.message === 'string' ? d.message : d.message.value;
      return {
        line,
        column,
        severity,
        message,
        text: `${file}:${line}:${column}: ${severity}: ${message}`,
      };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
  const spec = doc.parseResult.value;
  const analysis = analyzeSpec(spec, { specDir: path.dirname(path.resolve(file)), dataDirs });
  docs.deleteDocument(uri);
  return {
    file,
    spec,
    problems,
    errors: problems.filter((p) => p.severity === 'error').length,
    analysis,
  };
}
