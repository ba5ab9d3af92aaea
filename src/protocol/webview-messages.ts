/**
 * Messages between the extension host and the results webview. Declared once; the webview checks
 * incoming messages at run time (isHostMessage). The view says `ready` and the host replays the
 * latest state.
 */

/** One iteration of a run, as the convergence chart needs it. */
export interface ConvergencePoint {
  iteration: number;
  value: number;
  elapsed: number;
  lambda?: number;
  alpha?: number;
  primal?: number;
  dual?: number;
}

/** An output channel: its name in the data (`yVal`, `V2`, … or `y1`… when the data give none) and unit. */
export interface ChannelView {
  name: string;
  /** Engineering unit when known (the benchmark datasets), else absent. */
  unit?: string;
}

export interface PartView {
  kind: string;
  name: string;
  /** Samples in the part (the predictions file's rows). */
  N: number;
  /** The first nInit samples only estimate x0 (metrics skip them); the chart shades them. */
  nInit: number;
  /** One per output channel, in the order of y / yhat. */
  outputs: ChannelView[];
  metrics: { rmse: number; nrmse: number; r2: number; fit: number; accuracy: number }[];
  /**
   * Set when the part is longer than the host sends whole: k, y and yhat are then an overview
   * (per bucket the rows of each series' minimum and maximum) and a zoomed chart asks the host for
   * the visible range (`range` message) at full resolution.
   */
  overview?: boolean;
  /** Sample index and, per output channel (ny × points), measured and simulated values (decimated for display). */
  k: number[];
  y: number[][];
  yhat: number[][];
}

/** Rows of a part (whole rows: k, and per output channel the measured and simulated value). */
export type PartRows = Pick<PartView, 'k' | 'y' | 'yhat'>;

/** A parameter block of the model: shape, non-zeros and the values it uses (sparse / quantised models). */
export interface BlockView {
  name: string;
  rows: number;
  cols: number;
  nonZeros: number;
  distinct: number;
  levels: number[];
}

export interface RunView {
  title: string;
  runDir: string;
  method: string;
  status: string;
  message: string;
  value: number;
  iterations: number;
  wallSeconds: number;
  /** Sampling time in seconds, when the spec gives one. */
  Ts?: number;
  /** false for regression outputs (the accuracy column is then left out); absent when unknown. */
  classification?: boolean;
  nonZeros?: number;
  parameters?: number;
  history: ConvergencePoint[];
  parts: PartView[];
  blocks?: BlockView[];
  removableStates?: number[];
}

/** The inputs of a run's parts (read from its data by the language server) for the cross-correlation. */
export interface RunInputs {
  runDir: string;
  /** Per part: each input channel's samples, as the part was cut for training (null: non-finite). */
  parts: {
    kind: string;
    name: string;
    inputs: { name: string; unit?: string; values: (number | null)[] }[];
  }[];
  /** Why the inputs could not be read (then `parts` is empty). */
  message?: string;
}

export type HostToView =
  | { type: 'live'; title: string; history: ConvergencePoint[] }
  | { type: 'run'; run: RunView }
  | { type: 'compare'; runs: RunView[] }
  | { type: 'inputs'; inputs: RunInputs }
  /** Scrolls the shown run to a section (not state: the view does not keep it). */
  | { type: 'reveal'; section: 'fitted' | 'residuals' | 'convergence' }
  /** The answer to a view's `range` request (same id), or `rows` absent when it failed. */
  | { type: 'range'; id: number; rows?: PartRows };

/** A zoomed chart of an overview part asks for the rows of k in [from, to] on `pixels` columns. */
export interface RangeRequest {
  runDir: string;
  /** Index of the part in the run's report. */
  part: number;
  from: number;
  to: number;
  pixels: number;
}

/** One series of a chart as uPlot holds it after drawing. */
export interface DrawnSeries {
  label: string;
  /** Finite points in the series' data. */
  points: number;
  /** Canvas pixels painted in the series' colour (0 when nothing was drawn). */
  pixels: number;
}

/** A fitted-response chart as drawn: one per output channel of each part. */
export interface DrawnChart {
  kind: string;
  part: string;
  channel: string;
  unit?: string;
  series: DrawnSeries[];
  /** Samples shaded as the x0-estimation window (n_init). */
  nInitShaded: number;
}

/** What the panel drew for a run (posted after every render, for tests and diagnostics). */
export interface DrawnReport {
  runDir: string;
  charts: DrawnChart[];
  /** The theme colours drawn with (series colours, foreground, grid) and the body's theme class. */
  colors?: string[];
  theme?: string;
  /**
   * When the page got there, in ms since the epoch (the view's performance.timeOrigin +
   * performance.now(); for bench/results-panel.ts): the frame's start (`origin`), the bundle's
   * first line (`script`), `ready` posted, the run message received, the charts drawn.
   */
  timing?: Record<string, number>;
}

/** One residual-analysis chart as drawn. */
export interface DrawnResidualChart {
  what: 'residual' | 'autocorrelation' | 'cross-correlation';
  output: string;
  /** The input of a cross-correlation. */
  input?: string;
  series: DrawnSeries[];
  /** Residual samples the correlation uses (after n_init) and the half-width of its 99 % band. */
  N: number;
  band?: number;
  /** Lags whose correlation lies outside the band (lag 0 of the autocorrelation excluded). */
  outside?: number;
}

/** The residual analysis of one part of a run, as drawn. */
export interface DrawnResiduals {
  runDir: string;
  kind: string;
  part: string;
  charts: DrawnResidualChart[];
  colors: string[];
  theme: string;
}

export type ViewToHost =
  /** The page is listening; `pixels`: the plot width its charts draw on (CSS pixels). */
  | { type: 'ready'; pixels?: number }
  | { type: 'openLog' }
  | { type: 'drawn'; drawn: DrawnReport }
  | { type: 'residuals'; drawn: DrawnResiduals }
  | { type: 'export'; format: 'png' | 'svg'; name: string; data: string }
  | { type: 'range'; id: number; request: RangeRequest };

/** Checks a message from the webview at run time (the host trusts nothing it receives). */
export function isViewMessage(m: unknown): m is ViewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready') {
    const px = (m as { pixels?: unknown }).pixels;
    return (
      px === undefined || (typeof px === 'number' && Number.isInteger(px) && px >= 1 && px <= 16384)
    );
  }
  if (t === 'openLog') return true;
  if (t === 'export') {
    const e = m as { format?: unknown; name?: unknown; data?: unknown };
    return (
      (e.format === 'png' || e.format === 'svg') &&
      typeof e.name === 'string' &&
      typeof e.data === 'string'
    );
  }
  if (t === 'range') {
    const { id, request: r } = m as { id?: unknown; request?: Partial<RangeRequest> };
    return (
      typeof id === 'number' &&
      typeof r === 'object' &&
      r !== null &&
      typeof r.runDir === 'string' &&
      [r.part, r.from, r.to, r.pixels].every((v) => typeof v === 'number' && Number.isFinite(v))
    );
  }
  if (t === 'drawn' || t === 'residuals') {
    const d = (m as { drawn?: unknown }).drawn;
    return (
      typeof d === 'object' &&
      d !== null &&
      typeof (d as DrawnReport).runDir === 'string' &&
      Array.isArray((d as DrawnReport).charts)
    );
  }
  return false;
}

export function isHostMessage(m: unknown): m is HostToView {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'live') return Array.isArray((m as { history?: unknown }).history);
  if (t === 'run') return typeof (m as { run?: unknown }).run === 'object';
  if (t === 'compare') return Array.isArray((m as { runs?: unknown }).runs);
  if (t === 'range') {
    const { id, rows } = m as { id?: unknown; rows?: Partial<PartRows> };
    return (
      typeof id === 'number' &&
      (rows === undefined ||
        (Array.isArray(rows.k) && Array.isArray(rows.y) && Array.isArray(rows.yhat)))
    );
  }
  if (t === 'reveal') {
    const s = (m as { section?: unknown }).section;
    return s === 'fitted' || s === 'residuals' || s === 'convergence';
  }
  if (t === 'inputs') {
    const i = (m as { inputs?: unknown }).inputs;
    return typeof i === 'object' && i !== null && Array.isArray((i as RunInputs).parts);
  }
  return false;
}
