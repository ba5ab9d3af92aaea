/**
 * The input and output channels of one data part: which file each comes from (the part's file,
 * or `from "…"` on its input/output line), which variable and which row/column (`name[k]`), its
 * unit, and the diagnostics on the exact signal when a name, an index or a file is wrong.
 */
import type { AstNode } from 'langium';
import * as path from 'node:path';
import { channelLabel, channelProblem, channelShape, channelValues } from '../core/data/channel.js';
import { nearest } from '../core/data/signal-table.js';
import type { DataHeader, SignalInfo } from './data-headers.js';
import type { FixData } from './fix-data.js';
import type * as ast from './generated/ast.js';

/** Where one channel of a part comes from. */
export interface SignalSource {
  /** Absolute data file. */
  file: string;
  /** Variable or column name in that file. */
  name: string;
  /** 1-based row/column of a matrix variable. */
  index?: number;
}

/** A channel found in its file, for the range checks once the part's range is known. */
export interface FoundChannel {
  label: string;
  info: SignalInfo;
  owner: AstNode;
  role: 'input' | 'output';
}

export interface PartChannels {
  labels: string[];
  sources: SignalSource[];
  units: (string | undefined)[];
  found: FoundChannel[];
  /** Record length of each channel found (they must agree unless a range is given). */
  lengths: number[];
}

export interface Report {
  error(
    node: AstNode,
    message: string,
    property?: string,
    index?: number,
    data?: FixData | FixData[],
  ): void;
}

/** The one channel `info[index]` as a vector SignalInfo (for range checks and lengths). */
export function channelInfo(info: SignalInfo, index?: number): SignalInfo {
  if (channelShape(info).channels === 1) return info;
  const values = channelValues(info, info.name, index);
  const length = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { name: channelLabel(info.name, index), rows: length, cols: 1, length, min, max, values };
}

/**
 * Resolves the channels of `items` (a part's input lines, or the data section's when the part
 * has none). `partHeader` is the file the part reads; `headerOf` reads the file of a `from`.
 */
export function resolveChannels(
  items: readonly (ast.InputItem | ast.OutputItem)[],
  role: 'input' | 'output',
  partHeader: DataHeader | undefined,
  headerOf: (item: ast.InputItem | ast.OutputItem) => DataHeader | undefined,
  d: Report,
): PartChannels {
  const out: PartChannels = { labels: [], sources: [], units: [], found: [], lengths: [] };
  for (const item of items) {
    const h = item.path !== undefined ? headerOf(item) : partHeader;
    for (const ref of item.signals) {
      const label = channelLabel(ref.name, ref.index);
      out.labels.push(label);
      out.units.push(item.unit);
      if (!h) continue;
      out.sources.push({
        file: h.file,
        name: ref.name,
        ...(ref.index !== undefined ? { index: ref.index } : {}),
      });
      const info = h.signals.get(ref.name);
      if (!info) {
        const names = [...h.signals.keys()];
        const near = nearest(ref.name, names);
        d.error(
          ref,
          h.namingHint
            ? `'${ref.name}' is not in ${path.basename(h.file)}: ${h.namingHint}`
            : `'${ref.name}' is not in ${path.basename(h.file)}${near ? ` (did you mean '${near}'?)` : ''}; it has ${names.join(', ')}`,
          'name',
          undefined,
          // The file's variables, the suggestion first.
          {
            fix: 'replace',
            candidates: (near ? [near, ...names.filter((n) => n !== near)] : names).slice(0, 8),
            suggested: near !== undefined && !h.namingHint,
          },
        );
        continue;
      }
      const problem = channelProblem(info, ref.name, ref.index);
      if (problem) {
        d.error(ref, problem, ref.index !== undefined ? 'index' : 'name');
        continue;
      }
      const one = channelInfo(info, ref.index);
      out.lengths.push(one.length);
      out.found.push({ label, info: one, owner: ref, role });
    }
  }
  return out;
}
