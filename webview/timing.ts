/**
 * Timestamps of the page's start, in ms since the epoch (comparable with the host's Date.now()),
 * reported with what it drew (DrawnReport.timing; bench/results-panel.ts). Imported first, so
 * `script` is the bundle's first line, before the modules it imports run.
 */
export const timing: Record<string, number> = {};

/** Notes when the page got to `name` (the first time only, unless `again`). */
export function mark(name: string, again = false): void {
  if (again || timing[name] === undefined)
    timing[name] = performance.timeOrigin + performance.now();
}

timing.origin = performance.timeOrigin;
mark('script');
for (const e of performance.getEntriesByType('resource'))
  timing[`fetched ${e.name.split('/').pop()?.split('?')[0] ?? e.name}`] =
    performance.timeOrigin + (e as PerformanceResourceTiming).responseEnd;
