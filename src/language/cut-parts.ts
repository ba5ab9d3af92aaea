/**
 * A spec's data parts cut out of their records as the compiler cuts them: `range` (or the whole
 * record), then `decimate`; a validation share carved from the end of the training part. Used by
 * the data preview (data-preview.ts) and the recommendation for the spec's data (recommendation.ts).
 */
import * as path from 'node:path';
import { decimate } from '../core/data/decimate.js';
import { NailsError } from '../core/errors.js';
import { generateBinaryOutput } from '../core/generators/binary-output.js';
import type { ResolvedPart, ResolvedSpec } from './analysis/types.js';
import { readHeader } from './data-headers.js';
import { channelInfo, type SignalSource } from './part-signals.js';

/** One channel of one part before it becomes a PreviewSignal. */
export interface Channel {
  role: 'input' | 'output';
  name: string;
  unit: string | undefined;
  values: Float64Array;
}

/** A part cut from its record: where in the record, and its channels. */
export interface CutPart {
  part: ResolvedPart;
  source: string;
  range: [number, number];
  step: number;
  channels: Channel[];
}

/** A channel of a file record: the data file's variable (row/column `index`), from the header cache. */
function fileChannel(src: SignalSource): Float64Array {
  const info = readHeader(src.file).signals.get(src.name);
  if (!info) throw new NailsError(`'${src.name}' is not in ${path.basename(src.file)}`, src.name);
  return channelInfo(info, src.index).values;
}

/**
 * Cuts every part of a resolved data section out of its record, as compileSpec does: `range` (or
 * the whole record), then `decimate`; a validation share (`validation 20%`) is the last share of
 * the first training part, which keeps the rest. `channel` reads a file channel (tests pass their
 * own). Parts are in the spec's order, a carved validation share last.
 */
export function cutParts(
  data: ResolvedSpec['data'],
  channel: (src: SignalSource) => Float64Array = fileChannel,
): CutPart[] {
  const name = (names: string[], i: number, prefix: string) => names[i] ?? `${prefix}${i + 1}`;
  const out: CutPart[] = [];
  if (data.kind === 'generate') {
    const full = generateBinaryOutput({ seed: data.seed, samples: data.samples }).full;
    for (const p of data.parts.filter((q) => q.fraction === undefined)) {
      const [a, b] = p.range ?? [0, full.N];
      out.push({
        part: p,
        source: `generate ${data.generator} seed ${data.seed}`,
        range: [a, b],
        step: 1,
        channels: [
          {
            role: 'input',
            name: name(p.inputs, 0, 'u'),
            unit: p.inputUnits[0],
            values: full.u.slice(a, b),
          },
          {
            role: 'output',
            name: name(p.outputs, 0, 'y'),
            unit: p.outputUnits[0],
            values: full.y.slice(a, b),
          },
        ],
      });
    }
  } else {
    for (const p of data.parts) {
      if (p.inputSources.length === 0 || p.outputSources.length === 0) continue;
      const step = p.decimate?.factor ?? 1;
      let range: [number, number] | undefined = p.range;
      const cut = (src: SignalSource): Float64Array => {
        const all = channel(src);
        const [a, b] = p.range ?? [0, all.length];
        range ??= [a, b];
        return p.decimate ? decimate(all, step, p.decimate.filter, a, b) : all.slice(a, b);
      };
      const channels: Channel[] = [
        ...p.inputSources.map((s, i) => ({
          role: 'input' as const,
          name: name(p.inputs, i, 'u'),
          unit: p.inputUnits[i],
          values: cut(s),
        })),
        ...p.outputSources.map((s, i) => ({
          role: 'output' as const,
          name: name(p.outputs, i, 'y'),
          unit: p.outputUnits[i],
          values: cut(s),
        })),
      ];
      const files = [...new Set([...p.inputSources, ...p.outputSources].map((s) => s.file))];
      out.push({
        part: p,
        source: files.map((f) => path.basename(f)).join(', '),
        range: range ?? [0, 0],
        step,
        channels,
      });
    }
  }
  const share = data.parts.find((p) => p.kind === 'validation' && p.fraction !== undefined);
  const train = out.find((c) => c.part.kind === 'train');
  if (share && train) {
    const N = train.channels[0]?.values.length ?? 0;
    const cut = Math.max(1, Math.min(N - 1, Math.round(N * (1 - share.fraction!))));
    const at = train.range[0] + cut * train.step;
    out.push({
      part: share,
      source: train.source,
      range: [at, train.range[1]],
      step: train.step,
      channels: train.channels.map((c) => ({ ...c, values: c.values.slice(cut) })),
    });
    train.range = [train.range[0], at];
    train.channels = train.channels.map((c) => ({ ...c, values: c.values.slice(0, cut) }));
  }
  return out;
}
