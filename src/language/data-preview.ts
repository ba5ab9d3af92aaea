/**
 * The data preview: a spec's data parts as the compiler cuts them (range, decimation, the
 * validation share carved from the end of the training part), with each signal's statistics,
 * before any training. Only the data section needs to be right: a model still being written does
 * not stop the preview. Served to the editor by the `nails/previewData` request (preview-request.ts).
 */
import * as path from 'node:path';
import { signalStatistics } from '../core/data/signal-stats.js';
import { NailsError } from '../core/errors.js';
import type { PreviewData, PreviewPart, PreviewSignal } from '../protocol/data-preview.js';
import { Collector } from './analysis/collector.js';
import { analyzeData } from './analysis/data.js';
import type { SpecDiagnostic } from './analysis/types.js';
import { cutParts, type CutPart } from './cut-parts.js';
import * as ast from './generated/ast.js';
import { checkSpecFile } from './load-spec.js';

/** The data check's message for NaN / ±Inf samples (signal-checks.ts). */
const NON_FINITE = /non-finite sample/;

/** A cut part as the preview sends it: values with null for non-finite samples, statistics. */
export function toPreviewPart(c: CutPart): PreviewPart {
  const signals: PreviewSignal[] = c.channels.map((ch) => ({
    role: ch.role,
    name: ch.name,
    ...(ch.unit ? { unit: ch.unit } : {}),
    values: Array.from(ch.values, (v) => (Number.isFinite(v) ? v : null)),
    stats: signalStatistics(ch.values),
  }));
  return {
    kind: c.part.kind,
    name: c.part.name,
    source: c.source,
    range: c.range,
    step: c.step,
    nInit: c.part.nInit,
    N: c.channels[0]?.values.length ?? 0,
    signals,
  };
}

/**
 * The preview of a spec file (`text` instead of the file's, e.g. an unsaved editor; `specDir`
 * for relative data paths when the spec is a run folder's snapshot). Throws NailsError with the
 * data section's first error (line and message) when its data cannot be read.
 */
export async function previewSpec(
  file: string,
  dataDirs: string[],
  options: { text?: string; specDir?: string } = {},
): Promise<PreviewData> {
  const check = await checkSpecFile(file, dataDirs, options.text);
  const section = check.spec.sections.find(ast.isDataSection);
  if (!section) throw new NailsError(`${file}: the spec has no data section`, file);
  const d = new Collector();
  const specDir = options.specDir ?? path.dirname(path.resolve(file));
  const data = analyzeData(section, { specDir, dataDirs }, d, new Map());
  const where = (x: SpecDiagnostic) =>
    `${path.basename(file)}:${(x.node.$cstNode?.range.start.line ?? 0) + 1}`;
  // Non-finite samples stop training, not the preview: it shows them (NaN count, gaps).
  const errors = d.list.filter((x) => x.severity === 'error' && !NON_FINITE.test(x.message));
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new NailsError(
      `${where(errors[0]!)}: the data section has an error: ${errors[0]!.message}${more}`,
      file,
    );
  }
  const parts = cutParts(data.resolved);
  const step = parts[0]?.step ?? 1;
  const Ts = data.resolved.Ts;
  return {
    spec: file,
    title: check.spec.name ?? path.basename(file, '.nails'),
    ...(Ts !== undefined ? { Ts: Ts / step } : {}),
    parts: parts.map(toPreviewPart),
    problems: d.list.map((x) => `${where(x)}: ${x.severity}: ${x.message}`),
  };
}
