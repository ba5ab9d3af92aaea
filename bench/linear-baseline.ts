/**
 * The linear stage alone on every example spec with states and a regression loss: the linear model
 * of the spec's order nx (PO-MOESP + output-error refinement, src/core/linear/identify-linear.ts,
 * with the spec's loss, ρ terms and scaling), scored like a trained model on every part
 * (evaluateParts: test x0 from the first n_init samples), in engineering units. Compare with the
 * published linear models (e.g. Wiener–Hammerstein 2009: 43–44 mV).
 *
 *   npx tsx bench/linear-baseline.ts [--data-dir ../shared/data] [--out bench/results/linear-baseline] [specs…]
 */
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { identifyLinear, linearTheta } from '../src/core/linear/identify-linear';
import { linearModel } from '../src/core/models/model-factory';
import type { Problem } from '../src/core/solver/problem';
import { compileSpec } from '../src/language/compiler';
import { evaluateParts } from '../src/language/evaluate';
import { checkSpecFile } from '../src/language/load-spec';
import { commandLine, machineInfo } from './machine';

const { values, positionals } = parseArgs({
  options: { 'data-dir': { type: 'string' }, out: { type: 'string' } },
  allowPositionals: true,
});
const dataDir = values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? '../shared/data';
const out = values.out ?? 'bench/results/linear-baseline';
const specs =
  positionals.length > 0
    ? positionals
    : readdirSync('examples')
        .filter((f) => f.endsWith('.nails'))
        .map((f) => path.join('examples', f));

interface Row {
  spec: string;
  nx: number;
  feedthrough: boolean;
  seconds: number;
  horizon: number;
  singularValues: number[];
  stabilization: string;
  refinement: string;
  iterations: number;
  parts: { part: string; rmse: number[] }[];
}

const rows: Row[] = [];
for (const file of specs) {
  const check = await checkSpecFile(file, [dataDir]);
  const resolved = check.analysis.resolved;
  if (!resolved) {
    process.stdout.write(`${file}: does not check, skipped\n`);
    continue;
  }
  const compiled = compileSpec(resolved);
  const fit = compiled.fit;
  if (!fit.linear) {
    process.stdout.write(`${file}: no linear stage (no states or a classification loss)\n`);
    continue;
  }
  if (fit.model.kind === 'custom') {
    process.stdout.write(`${file}: a custom model (its own equations), skipped here\n`);
    continue;
  }
  const feedthrough = fit.model.output.feedthrough && fit.model.output.linear;
  const t0 = performance.now();
  const lin = identifyLinear(fit.train, {
    nx: fit.model.nx,
    feedthrough,
    loss: fit.loss,
    rhoTheta: fit.rhoTheta,
    rhoX0: fit.rhoX0,
  });
  const seconds = (performance.now() - t0) / 1000;
  const model = linearModel({ nx: lin.model.nx, nu: lin.model.nu, ny: lin.model.ny, feedthrough });
  const theta = linearTheta({ model } as Problem, lin.model);
  const parts = evaluateParts(compiled, model, theta, lin.x0s).map((p) => ({
    part: p.kind === p.name ? p.kind : `${p.kind} ${p.name}`,
    rmse: p.channels.map((c) => c.rmse),
  }));
  const row: Row = {
    spec: file,
    nx: fit.model.nx,
    feedthrough,
    seconds,
    horizon: lin.subspace.horizon,
    singularValues: lin.subspace.singularValues.slice(0, 2 * fit.model.nx + 2),
    stabilization: lin.subspace.stabilization,
    refinement: lin.refinement.status,
    iterations: lin.refinement.iterations,
    parts,
  };
  rows.push(row);
  process.stdout.write(
    `${file}: nx ${row.nx}, ${seconds.toFixed(1)} s, ${row.refinement} after ${row.iterations}; ${parts.map((p) => `${p.part} ${p.rmse.map((r) => r.toPrecision(4)).join(', ')}`).join(' | ')}\n`,
  );
}

const md = [
  '# Linear stage alone (PO-MOESP + output-error refinement)',
  '',
  `\`${commandLine()}\``,
  '',
  '| spec | nx | seconds | refinement | test RMSE per part (engineering units) | train RMSE |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.spec} | ${r.nx} | ${r.seconds.toFixed(1)} | ${r.refinement} (${r.iterations}) | ${r.parts
        .filter((p) => !p.part.startsWith('train'))
        .map((p) => `${p.part}: ${p.rmse.map((v) => v.toPrecision(4)).join(', ')}`)
        .join('; ')} | ${r.parts
        .filter((p) => p.part.startsWith('train'))
        .map((p) => p.rmse.map((v) => v.toPrecision(4)).join(', '))
        .join('; ')} |`,
  ),
  '',
];
writeFileSync(`${out}.md`, md.join('\n'));
writeFileSync(
  `${out}.json`,
  `${JSON.stringify({ command: commandLine(), machine: machineInfo(), rows }, null, 1)}\n`,
);
