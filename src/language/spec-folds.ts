/**
 * Time-series cross-validation of a spec by rolling origin: the training record is cut into K + 1
 * consecutive blocks; fold i trains on blocks 1…i and validates on block i + 1, so validation
 * samples always come after the training window and samples are never shuffled. Each fold is the
 * spec's text with the train part's range set to its window and a `validation cv a..b` part (the
 * train part's signals, a few samples to estimate x0) in place of any validation part.
 */
import { NailsError } from '../core/errors.js';
import type { SweepFold } from '../protocol/sweep.js';
import * as ast from './generated/ast.js';
import { parseSpecText } from './spec-settings.js';

/** The K rolling-origin folds of a record of `n` samples. */
export function foldWindows(n: number, k: number): SweepFold[] {
  if (!Number.isInteger(k) || k < 2) throw new NailsError(`--folds ${k}: use 2 folds or more`);
  const block = Math.floor(n / (k + 1));
  if (block < 10)
    throw new NailsError(
      `--folds ${k}: the training record of ${n} samples is too short (blocks of ${block} samples)`,
    );
  return Array.from({ length: k }, (_, i) => ({
    fold: i + 1,
    of: k,
    train: [0, (i + 1) * block] as [number, number],
    validation: [(i + 1) * block, i === k - 1 ? n : (i + 2) * block] as [number, number],
  }));
}

/** The train part's record: its range when it has one, else `[0, n)` with `n` from the data. */
export function trainRecord(text: string, n: number): [number, number] {
  const p = trainPart(parseSpecText(text));
  return p.range ? [p.range.start, p.range.end] : [0, n];
}

/** The spec text for one fold (windows relative to the train record starting at `offset`). */
export function applyFold(text: string, fold: SweepFold, offset: number): string {
  const spec = parseSpecText(text);
  const train = trainPart(spec);
  const data = train.$container;
  const edits: { start: number; end: number; text: string }[] = [];
  const at = (w: [number, number]) => `${w[0] + offset}..${w[1] + offset}`;
  if (train.range?.$cstNode)
    edits.push({
      start: train.range.$cstNode.offset,
      end: train.range.$cstNode.end,
      text: at(fold.train),
    });
  else {
    const c = train.$cstNode!;
    const after = train.name
      ? c.offset + c.text.indexOf(train.name) + train.name.length
      : c.offset + 5;
    edits.push({ start: after, end: after, text: ` ${at(fold.train)}` });
  }
  for (const v of data.entries.filter(ast.isPartEntry).filter((p) => p.part === 'validation'))
    edits.push({ start: v.$cstNode!.offset, end: v.$cstNode!.end, text: '' });
  const items = train.items
    .filter((i) => !ast.isInitItem(i))
    .map((i) => i.$cstNode!.text)
    .join(' ');
  const length = fold.validation[1] - fold.validation[0];
  const init = Math.min(10, Math.floor(length / 4));
  edits.push({
    start: train.$cstNode!.end,
    end: train.$cstNode!.end,
    text: `\n  validation cv ${at(fold.validation)} { ${items} init ${init} }`,
  });
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function trainPart(spec: ast.Spec): ast.PartEntry {
  const parts = spec.sections
    .filter(ast.isDataSection)
    .flatMap((d) => d.entries.filter(ast.isPartEntry))
    .filter((p) => p.part === 'train');
  if (parts.length !== 1)
    throw new NailsError(`--folds needs a spec with one train part (this one has ${parts.length})`);
  if (
    parts[0]!.items.some(ast.isDecimateItem) ||
    spec.sections.some((s) => ast.isDataSection(s) && s.entries.some(ast.isDecimateItem))
  )
    throw new NailsError('--folds does not work with decimated data yet');
  return parts[0]!;
}
