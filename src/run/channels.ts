/**
 * Names and units of each part's output channels, for the run report and the results panel:
 * the signal names the spec selects from the data file (`yVal`, `V2`, …), y1… for generated data,
 * and the engineering unit the spec declares (`output y unit V`) or, failing that, the benchmark
 * dataset's unit when the file is one of them (see core/data/datasets).
 */
import * as path from 'node:path';
import { DATASETS } from '../core/data/datasets.js';
import type { CompiledSpec } from '../language/compiler.js';

export interface ChannelInfo {
  name: string;
  unit?: string;
}

/** The unit of a benchmark dataset's output, when `file` is that dataset's file. */
export function datasetUnit(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const norm = file.split(path.sep).join('/');
  return Object.values(DATASETS).find((d) => norm.endsWith(`/${d.file}`) || norm === d.file)?.unit;
}

/** One list per compiled part (same order), one entry per output channel. */
export function partChannels(c: CompiledSpec): ChannelInfo[][] {
  const resolved = c.resolved.data.parts;
  const train = resolved.find((p) => p.kind === 'train');
  return c.parts.map((part) => {
    const ny = part.raw.ny;
    const r =
      resolved.find((p) => p.kind === part.kind && p.name === part.name && p.outputs.length > 0) ??
      // A validation share (`validation 20%`) is cut from the training part: its signals.
      (part.kind === 'validation' ? train : undefined);
    // Generated data name no signals: y1, y2, … as the command line's table says.
    const names =
      c.resolved.data.kind === 'file' && r && r.outputs.length === ny
        ? r.outputs
        : Array.from({ length: ny }, (_, i) => `y${i + 1}`);
    const fileUnit = datasetUnit(r?.file);
    return names.map((name, c) => {
      // A unit declared in the spec (`output y unit V`), else the benchmark file's.
      const unit = r?.outputUnits[c] ?? train?.outputUnits[c] ?? fileUnit;
      return { name, ...(unit ? { unit } : {}) };
    });
  });
}

/**
 * The model's input channels (the training part's input signals; u1… for generated data), with
 * the unit the spec declares (`input u unit V`), if any.
 */
export function inputChannels(c: CompiledSpec): ChannelInfo[] {
  const train = c.resolved.data.parts.find((p) => p.kind === 'train');
  const nu = c.parts[0]?.raw.nu ?? train?.inputs.length ?? 0;
  const names =
    c.resolved.data.kind === 'file' && train && train.inputs.length === nu
      ? train.inputs
      : Array.from({ length: nu }, (_, i) => `u${i + 1}`);
  return names.map((name, i) => {
    const unit = train?.inputUnits[i];
    return { name, ...(unit ? { unit } : {}) };
  });
}
