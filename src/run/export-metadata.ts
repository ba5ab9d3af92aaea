/**
 * What every export of a run carries besides the parameters: the sampling time, the input and
 * output channels (names, units when known), the scaling u_s = (u − μ_u) / σ_u,
 * y = y_s · σ_y + μ_y, the trained initial state and the spec's data paths — relative, never the
 * training machine's absolute paths. Older run folders lack some of these in model.json: they are
 * taken from report.json, else named u1…, y1….
 */
import * as path from 'node:path';
import type { Scaling } from '../core/data/scaling.js';
import { readReport, runRelative, type Channel, type SavedModel } from '../io/run-folder.js';

/** Version of the exported metadata (and of the JSON export's layout). */
export const EXPORT_FORMAT = 'nails-export/1';

export interface ExportMetadata {
  exportFormat: typeof EXPORT_FORMAT;
  experiment: string;
  /** The run folder's name. */
  run: string;
  /** When the model was trained (ISO 8601). */
  created: string;
  /** Sampling time in seconds, when the spec gives one. */
  Ts?: number;
  /** nu and ny channels, in the model's order. */
  inputs: Channel[];
  outputs: Channel[];
  scaling: Scaling;
  /** x0 of the first training experiment, in the model's scaled state coordinates (nx). */
  x0: number[];
  /**
   * specDir and dataDirs relative to the run folder; files (the spec's data files) relative to
   * the spec's folder or a data directory, as the spec names them.
   */
  data: { specDir: string; dataDirs: string[]; files?: string[] };
}

/** The unit of channel i (named `name`) from a report's `units` list (or a name → unit map). */
function unitOf(units: unknown, i: number, name: string): string | undefined {
  const u = Array.isArray(units)
    ? (units as unknown[])[i]
    : units && typeof units === 'object'
      ? (units as Record<string, unknown>)[name]
      : undefined;
  return typeof u === 'string' && u ? u : undefined;
}

function channels(
  saved: Channel[] | undefined,
  names: string[] | undefined,
  units: unknown,
  n: number,
  prefix: string,
): Channel[] {
  return Array.from({ length: n }, (_, i) => {
    const name = saved?.[i]?.name ?? names?.[i] ?? `${prefix}${i + 1}`;
    const unit = saved?.[i]?.unit ?? unitOf(units, i, name);
    return { name, ...(unit ? { unit } : {}) };
  });
}

/** The metadata of run folder `dir` whose model.json is `saved` (as readSavedModel returns it). */
export function exportMetadata(dir: string, saved: SavedModel): ExportMetadata {
  const report = readReport(dir);
  const train = report?.parts?.find((p) => p.kind === 'train');
  const { nx, nu, ny } = saved.model;
  const Ts = saved.Ts ?? report?.Ts;
  return {
    exportFormat: EXPORT_FORMAT,
    experiment: saved.experiment,
    run: path.basename(path.resolve(dir)),
    created: saved.created,
    ...(typeof Ts === 'number' ? { Ts } : {}),
    inputs: channels(saved.inputs, undefined, undefined, nu, 'u'),
    // Older run folders have no channels in model.json: the report's names and units.
    outputs: channels(saved.outputs, train?.outputs, train?.units, ny, 'y'),
    scaling: saved.scaling,
    x0: saved.x0s.slice(0, nx),
    data: {
      specDir: runRelative(dir, saved.specDir),
      dataDirs: saved.dataDirs.map((d) => runRelative(dir, d)),
      ...(saved.dataFiles ? { files: saved.dataFiles } : {}),
    },
  };
}
