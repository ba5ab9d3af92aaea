/** Convergence charts: loss versus iteration and versus time (log scale), damping or step, ADMM residuals. */
import type { ConvergencePoint } from '../src/protocol/webview-messages';
import { chart } from './charts/chart';
import { el } from './dom';

export function convergence(
  history: ConvergencePoint[],
  title: string,
  width: number,
): HTMLElement[] {
  const h = history.filter((p) => Number.isFinite(p.value) && p.value > 0);
  if (h.length === 0) return [el('p', 'No iterations yet.')];
  const loss = [{ label: 'loss V', values: h.map((p) => p.value) }];
  const out = [
    chart(
      `${title}: loss versus iteration`,
      h.map((p) => p.iteration),
      loss,
      { logY: true, xlabel: 'iteration' },
      width,
    ).box,
    chart(
      `${title}: loss versus time`,
      h.map((p) => Math.max(p.elapsed, 1e-4)),
      loss,
      { logY: true, logX: true, xlabel: 'seconds' },
      width,
    ).box,
  ];
  const damp = h.filter((p) => (p.lambda ?? p.alpha) !== undefined);
  if (damp.length > 0)
    out.push(
      chart(
        'damping λ / step α',
        damp.map((p) => p.iteration),
        [
          {
            label: damp[0]!.lambda !== undefined ? 'λ' : 'α',
            values: damp.map((p) => p.lambda ?? p.alpha ?? null),
          },
        ],
        { logY: true, xlabel: 'iteration' },
        width,
      ).box,
    );
  const admm = h.filter((p) => p.primal !== undefined);
  if (admm.length > 0)
    out.push(
      chart(
        'ADMM residuals',
        admm.map((p) => p.iteration),
        [
          { label: 'primal', values: admm.map((p) => (p.primal! > 0 ? p.primal! : null)) },
          { label: 'dual', values: admm.map((p) => (p.dual! > 0 ? p.dual! : null)) },
        ],
        { logY: true, xlabel: 'iteration' },
        width,
      ).box,
    );
  return out;
}
