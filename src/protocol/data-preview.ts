/**
 * The data preview: the language-server request that reads a spec's data parts (before any
 * training), and the messages between the extension host and the preview webview. Declared once;
 * the webview checks incoming messages at run time (isPreviewHostMessage).
 */

/** Basic statistics of one signal over a part (non-finite samples excluded; NaN when none is left). */
export interface SignalStats {
  mean: number;
  /** Population standard deviation (divides by the number of finite samples). */
  std: number;
  min: number;
  max: number;
  /** Samples that are NaN or ±Inf. */
  nan: number;
}

/** One input or output channel of a part, as the part selects it (range, decimation). */
export interface PreviewSignal {
  role: 'input' | 'output';
  name: string;
  unit?: string;
  /** The samples; null where the data hold NaN or ±Inf (JSON has no NaN). */
  values: (number | null)[];
  stats: SignalStats;
}

/** A part of the data section (train, validation, test) as the compiler cuts it. */
export interface PreviewPart {
  kind: 'train' | 'validation' | 'test';
  name: string;
  /** The record it is cut from (a file, or `generate binary_output`). */
  source: string;
  /** [start, end) in samples of the record (before decimation). */
  range: [number, number];
  /** Keep every `step`-th record sample (1 without `decimate`). */
  step: number;
  /** The first nInit samples (after decimation) only estimate x0. */
  nInit: number;
  /** Samples in the part (after decimation). */
  N: number;
  signals: PreviewSignal[];
}

/** What Preview Data shows for a spec. */
export interface PreviewData {
  /** The spec's file (or the run folder's snapshot). */
  spec: string;
  title: string;
  /** Sampling time of the record in seconds (before decimation), when the spec gives one. */
  Ts?: number;
  parts: PreviewPart[];
  /** The data section's diagnostics (`spec.nails:3: warning: …`): NaN samples, constant signals. */
  problems: string[];
}

/** LSP request `nails/previewData`: a spec's data parts, or why they cannot be read. */
export const PREVIEW_DATA_REQUEST = 'nails/previewData';

export interface PreviewDataParams {
  /** A `file:` URI of a .nails spec (its open editor's text is used when it is open), or… */
  uri?: string;
  /** …a run folder: its spec.nails snapshot, data resolved from the original spec's folder. */
  runDir?: string;
}

export type PreviewDataResult = { ok: true; data: PreviewData } | { ok: false; message: string };

/** One preview chart as drawn (posted after every render, for tests and diagnostics). */
export interface PreviewDrawnChart {
  part: string;
  kind: string;
  signal: string;
  role: 'input' | 'output';
  /** Finite samples in the series (the full record of the part, not the decimated display). */
  points: number;
  /** Points in the plotted data (min/max per pixel when the part is long). */
  shown: number;
  /** Canvas pixels painted in the series' colour. */
  pixels: number;
  /** Samples shaded as the x0-estimation window (n_init). */
  nInitShaded: number;
}

/** What the preview panel drew, with the theme colours it drew in. */
export interface PreviewDrawn {
  spec: string;
  charts: PreviewDrawnChart[];
  /** The colours read from the theme (series colours, foreground, grid), as the canvas takes them. */
  colors: string[];
  /** VS Code's body class: vscode-dark, vscode-light, vscode-high-contrast, … */
  theme: string;
}

export type PreviewHostToView = { type: 'preview'; data: PreviewData };

export type PreviewViewToHost =
  { type: 'ready' } | { type: 'openLog' } | { type: 'drawn'; drawn: PreviewDrawn };

/** Checks a message from the preview webview at run time. */
export function isPreviewViewMessage(m: unknown): m is PreviewViewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready' || t === 'openLog') return true;
  if (t !== 'drawn') return false;
  const d = (m as { drawn?: unknown }).drawn;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof (d as PreviewDrawn).spec === 'string' &&
    Array.isArray((d as PreviewDrawn).charts) &&
    Array.isArray((d as PreviewDrawn).colors)
  );
}

/** Checks a message from the host at run time (the webview trusts nothing it receives). */
export function isPreviewHostMessage(m: unknown): m is PreviewHostToView {
  if (typeof m !== 'object' || m === null) return false;
  const d = (m as { type?: unknown; data?: unknown }).data;
  return (
    (m as { type?: unknown }).type === 'preview' &&
    typeof d === 'object' &&
    d !== null &&
    Array.isArray((d as PreviewData).parts)
  );
}
