/**
 * Which register tile the Gauss–Newton accumulation can use under V8: the rate of each tile of
 * kernels/tile-shapes.ts (4 × 4 as in kernels/syrk.ts, 6 × 3, 4 × 6) on a chunk of 512 samples ×
 * n_z columns, against 8 and 12 multiply-add chains without loads (the engine's ceiling with as
 * many accumulators), after checking that every tile gives the same M bit for bit. Rates are the
 * median of 7 timed calls after 200 ms of calls, in useful GFLOP/s (rows·n·(n+1) flops).
 *
 *   npx tsx bench/tile-shapes.ts [--out bench/results/tile-shapes.json]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Random } from '../src/core/random';
import { hostProbe } from './host-probe';
import { commandLine, machineInfo } from './machine';
import { compileTileShapes, TileProbe, type TileShape } from './tile-shapes-probe';
import { medianRate } from './wasm-probe';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = values.out ?? 'bench/results/tile-shapes.json';
const rows = 512;
const sizes = [83, 149, 325, 523];
const shapes: TileShape[] = ['tile44', 'tile63', 'tile46'];

const module = compileTileShapes();
const probeBefore = hostProbe();
const results = sizes.map((n) => {
  const A = new Random(n).fillNormal(new Float64Array(rows * n));
  const p = new TileProbe(module, rows, n, A);
  const reference = p.product('tile44');
  const row: Record<string, number | boolean> = { n_z: n, rows };
  for (const s of shapes) {
    const M = p.product(s);
    row[`${s}_same_bits`] = M.every((v, i) => Object.is(v, reference[i]));
    row[`${s}_gflops`] = medianRate(() => p.run(s), rows * n * (n + 1));
  }
  return row;
});
const ceiling = new TileProbe(module, 8, 8, new Float64Array(64));
const chains8 = ceiling.chainRate(8);
const chains12 = ceiling.chainRate(12);
const probeAfter = hostProbe();

console.log(`8 chains ${chains8.toFixed(1)} GFLOP/s, 12 chains ${chains12.toFixed(1)} GFLOP/s`);
console.log(`host probe ${probeBefore.toFixed(2)} / ${probeAfter.toFixed(2)} s`);
console.log('n_z  ' + shapes.map((s) => `${s} GFLOP/s (% of 12 chains, same bits)`).join('  '));
for (const r of results)
  console.log(
    `${String(r.n_z).padStart(4)} ` +
      shapes
        .map((s) => {
          const g = r[`${s}_gflops`] as number;
          return `${g.toFixed(1).padStart(6)} (${((100 * g) / chains12).toFixed(0)} %, ${r[`${s}_same_bits`]})`;
        })
        .join('  '),
  );
writeFileSync(
  out,
  `${JSON.stringify(
    {
      command: commandLine(),
      machine: machineInfo(),
      host_probe_s: [probeBefore, probeAfter],
      chains8_gflops: chains8,
      chains12_gflops: chains12,
      rows: results,
    },
    null,
    1,
  )}\n`,
);
console.log(`written ${out}`);
