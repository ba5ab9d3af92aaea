/**
 * Chart colours from VS Code's theme (CSS variables the workbench sets on the webview's body),
 * normalised to what a canvas takes (`#rrggbb` or `rgba(…)`), read again on every render so that
 * a theme change redraws in the new colours. No colour is hard-coded except as the fallback when
 * a variable is missing (an old VS Code).
 */

/** The series colours, in order: VS Code's chart palette. */
const SERIES_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-red',
  '--vscode-charts-green',
  '--vscode-charts-yellow',
  '--vscode-charts-purple',
  '--vscode-charts-orange',
];
const FALLBACK = ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#b180d7', '#d18616'];

export interface ChartTheme {
  series: string[];
  foreground: string;
  grid: string;
  /** Translucent fill for shaded windows (n_init, part ranges). */
  shade: string;
  /** The body's theme class: vscode-dark, vscode-light, vscode-high-contrast(-light). */
  kind: string;
}

let probe: CanvasRenderingContext2D | null | undefined;

/** A CSS colour as the canvas normalises it (`#rrggbb`, or `rgba(r, g, b, a)` when translucent). */
export function canvasColor(css: string, fallback: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe || css === '') return fallback;
  probe.fillStyle = fallback;
  probe.fillStyle = css;
  return String(probe.fillStyle);
}

/** [r, g, b, a 0–1] of a canvas-normalised colour. */
export function rgba(c: string): [number, number, number, number] {
  if (c.startsWith('#') && c.length >= 7)
    return [
      parseInt(c.slice(1, 3), 16),
      parseInt(c.slice(3, 5), 16),
      parseInt(c.slice(5, 7), 16),
      1,
    ];
  const m = /rgba?\(([^)]*)\)/.exec(c);
  const v = m ? m[1]!.split(',').map(Number) : [0, 0, 0, 1];
  return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0, v[3] ?? 1];
}

/** The theme's colours now. */
export function chartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) =>
    canvasColor(style.getPropertyValue(name).trim(), fallback);
  const foreground = read('--vscode-charts-foreground', read('--vscode-foreground', '#cccccc'));
  const [r, g, b] = rgba(foreground);
  const classes = document.body.className.split(/\s+/);
  return {
    series: SERIES_VARS.map((v, i) => read(v, FALLBACK[i]!)),
    foreground,
    grid: read('--vscode-charts-lines', read('--vscode-editorWidget-border', '#444444')),
    shade: `rgba(${r}, ${g}, ${b}, 0.16)`,
    kind: classes.find((c) => c.startsWith('vscode-') && c !== 'vscode-reduce-motion') ?? '',
  };
}

/** Calls `f` when VS Code switches the theme (the body's class changes). */
export function onThemeChange(f: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    f();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
