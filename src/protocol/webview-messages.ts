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

export interface PartView {
  kind: string;
  name: string;
  nInit: number;
  metrics: { rmse: number; nrmse: number; r2: number; fit: number; accuracy: number }[];
  /** Sample index and, per output channel, measured and simulated values (decimated for display). */
  k: number[];
  y: number[][];
  yhat: number[][];
}

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
  nonZeros?: number;
  parameters?: number;
  history: ConvergencePoint[];
  parts: PartView[];
  blocks?: BlockView[];
  removableStates?: number[];
}

export type HostToView =
  | { type: 'live'; title: string; history: ConvergencePoint[] }
  | { type: 'run'; run: RunView }
  | { type: 'compare'; runs: RunView[] };

export type ViewToHost = { type: 'ready' } | { type: 'openLog' };

export function isHostMessage(m: unknown): m is HostToView {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'live') return Array.isArray((m as { history?: unknown }).history);
  if (t === 'run') return typeof (m as { run?: unknown }).run === 'object';
  if (t === 'compare') return Array.isArray((m as { runs?: unknown }).runs);
  return false;
}
