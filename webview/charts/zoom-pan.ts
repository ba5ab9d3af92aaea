/**
 * Wheel zooms the x axis around the cursor; shift-drag pans it (plain drag selects a range to zoom
 * into, double-click resets) — for records of 100,000+ samples. `full` is the whole x range.
 */
import type uPlot from 'uplot';

export function zoomPan(u: uPlot, full: () => readonly [number, number]): void {
  const over = u.over;
  over.addEventListener('wheel', (e) => {
    e.preventDefault();
    const { min, max } = u.scales.x as { min: number; max: number };
    const [lo, hi] = full();
    const at = u.posToVal(e.offsetX, 'x');
    const f = e.deltaY < 0 ? 0.8 : 1.25;
    const nmin = Math.max(lo, at - (at - min) * f);
    const nmax = Math.min(hi, at + (max - at) * f);
    if (nmax > nmin) u.setScale('x', { min: nmin, max: nmax });
  });
  over.addEventListener(
    'mousedown',
    (e) => {
      if (!e.shiftKey) return;
      e.preventDefault();
      e.stopPropagation();
      const { min, max } = u.scales.x as { min: number; max: number };
      const x0 = e.clientX;
      const perPx = (max - min) / over.clientWidth;
      const [lo, hi] = full();
      const move = (m: MouseEvent) => {
        const d = Math.max(lo - min, Math.min(hi - max, (x0 - m.clientX) * perPx));
        u.setScale('x', { min: min + d, max: max + d });
      };
      const up = () => {
        window.removeEventListener('mousemove', move);
        window.removeEventListener('mouseup', up);
      };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    },
    true,
  );
}
