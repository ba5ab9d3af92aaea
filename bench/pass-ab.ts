/**
 * In-process A/B of the Gauss–Newton pass between two checkouts of this repository (a kernel or
 * solver change against its parent): both trees' modules are imported into one process, each
 * builds bench/cases.ts's scaling problem (n_z = 325 with the default hidden size) and its own
 * workspace, and their passes alternate, `repeats` of A then `repeats` of B per round, so that a
 * host that speeds up or slows down meanwhile moves both alike. Prints both passes' loss value
 * (equal when the change keeps the sums), the median and fastest pass of each, and A / B.
 *
 *   npx tsx bench/pass-ab.ts --a /path/to/parent --b . [--samples 100000] [--rounds 7]
 *       [--repeats 3] [--derivatives wasm|typescript]
 *
 * Each tree needs its generated kernels built (node scripts/build-kernels.mjs) and node_modules
 * (a symbolic link to this checkout's is enough). The figures of BENCHMARKS.md's "Session 21"
 * section were made with it.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { median } from './median';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    samples: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '7' },
    repeats: { type: 'string', default: '3' },
    derivatives: { type: 'string', default: 'wasm' },
  },
});

/** One tree's pass, ready to run, and its first result's loss. */
interface Side {
  run: () => void;
  value: number;
}

async function side(root: string, samples: number, derivatives: string): Promise<Side> {
  const at = (file: string): string => pathToFileURL(path.resolve(root, file)).href;
  const cases = (await import(at('bench/cases.ts'))) as typeof import('./cases');
  const gn = (await import(
    at('src/core/solver/gauss-newton.ts')
  )) as typeof import('../src/core/solver/gauss-newton');
  const chunks = (await import(
    at('src/core/solver/chunk.ts')
  )) as typeof import('../src/core/solver/chunk');
  const { p, z0 } = cases.scalingProblem(samples);
  const chunk = chunks.defaultChunk(p);
  const engine = derivatives === 'typescript' ? 'typescript' : 'wasm';
  const ws = new gn.GaussNewtonWorkspace(p, chunk, undefined, engine);
  const o = { chunk };
  const value = gn.accumulateGaussNewton(p, z0, o, ws).value;
  return { run: () => void gn.accumulateGaussNewton(p, z0, o, ws), value };
}

if (!values.a) {
  process.stderr.write('pass-ab: --a DIR (the tree to compare against) is required\n');
  process.exit(2);
}
const samples = Number(values.samples);
const rounds = Number(values.rounds);
const repeats = Number(values.repeats);
const A = await side(values.a, samples, values.derivatives);
const B = await side(values.b, samples, values.derivatives);
const ta: number[] = [];
const tb: number[] = [];
for (let r = 0; r < rounds; r++)
  for (const [s, t] of [
    [A, ta],
    [B, tb],
  ] as const)
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      s.run();
      t.push((performance.now() - t0) / 1000);
    }
const ma = median(ta);
const mb = median(tb);
process.stdout.write(
  `loss A ${A.value} B ${B.value}\n` +
    `A median ${ma.toFixed(4)} s (fastest ${Math.min(...ta).toFixed(4)}), ` +
    `B median ${mb.toFixed(4)} s (fastest ${Math.min(...tb).toFixed(4)}), ` +
    `A / B ${(ma / mb).toFixed(4)} over ${ta.length} passes each\n`,
);
