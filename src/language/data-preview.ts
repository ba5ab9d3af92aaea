/**
 * The data preview: a spec's data parts as the compiler cuts them (range, decimation, the
 * validation share carved from the end of the training part), with each signal's statistics,
 * before any training. Only the data section needs to be right: a model still being written does
 * not stop the preview. Served to the editor by the `nails/previewData` request (preview-request.ts).
 */
import * as path from 'node:path';
import { decimate } from '../core/data/decimate.js';
import { signalStatistics } from '../core/data/signal-stats.js';
import { NailsError } from '../core/errors.js';
import { generateBinaryOutput } from '../core/generators/binary-output.js';
import type { PreviewData, PreviewPart, PreviewSignal } from '../protocol/data-preview.js';
import { Collector } from './analysis/collector.js';
import { analyzeData } from './analysis/data.js';
import type { ResolvedPart, ResolvedSpec, SpecDiagnostic } from './analysis/types.js';
import { readHeader } from './data-headers.js';
import * as ast from './generated/ast.js';
import { checkSpecFile } from './load-spec.js';
import { channelInfo, type SignalSource } from './part-signals.js';

/** The data check's message for NaN / ±Inf samples (signal-checks.ts). */
const NON_FINITE = /non-finite sample/;

/** One channel of one part before it becomes a PreviewSignal. */
interface Channel {
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
