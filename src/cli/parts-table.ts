/**
 * The metrics table `nails train` and `nails evaluate` print: one row per output channel of every
 * part, named as the data name it; with a `metric` unit in the spec the RMSE is in that unit. The accuracy column appears only for binary outputs
 * (classification losses); a part whose simulation is not finite says so instead of numbers.
 */
import type { PartResult } from '../language/evaluate.js';

export function formatParts(parts: readonly PartResult[], classification: boolean): string[] {
  const partLabel = (p: PartResult) => `${p.kind}${p.kind === p.name ? '' : ` ${p.name}`}`;
  const w = Math.max(4, ...parts.map((p) => partLabel(p).length));
  const cw = Math.max(7, ...parts.flatMap((p) => p.outputs.map((o) => o.length)));
  // With `metric mV` the RMSE is shown in that unit, the unit after the number.
  const unitWidth = Math.max(0, ...parts.map((p) => (p.metric ? p.metric.unit.length + 1 : 0)));
  const rmse = (p: PartResult, c: number, raw: number) =>
    p.metric ? `${p.metric.rmse[c]!.toPrecision(5)} ${p.metric.unit}` : raw.toPrecision(5);
  const out = [
    `${'part'.padEnd(w)} ${'N'.padStart(7)} ${'n_init'.padStart(7)}   ${'output'.padEnd(cw)} ${'RMSE'.padStart(11 + unitWidth)} ${'NRMSE'.padStart(9)} ${'fit %'.padStart(8)}${classification ? ' accuracy %'.padStart(12) : ''}`,
  ];
  for (const p of parts) {
    const head = `${partLabel(p).padEnd(w)} ${String(p.N).padStart(7)} ${String(p.nInit).padStart(7)}`;
    if (!p.finite) {
      out.push(`${head}   simulation not finite: no metrics`);
      continue;
    }
    p.channels.forEach((m, c) => {
      out.push(
        `${head}   ${(p.outputs[c] ?? `y${c + 1}`).padEnd(cw)} ${rmse(p, c, m.rmse).padStart(11 + unitWidth)} ${m.nrmse.toPrecision(4).padStart(9)} ${m.fit.toFixed(2).padStart(8)}` +
          (classification ? m.accuracy.toFixed(1).padStart(12) : ''),
      );
    });
  }
  return out;
}
