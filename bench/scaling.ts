/**
 * Memory and time per NAILM iteration versus record length, for an RNN of about 300 parameters.
 * Run each size in its own process under /usr/bin/time -v to read the peak resident set size:
 *
 *   /usr/bin/time -v npx tsx bench/scaling.ts --samples 1000000
 *
 * Prints one JSON line: samples, parameters, seconds per Gauss–Newton pass and per accepted NAILM
 * iteration (mean), and the in-process peak RSS.
 */
import { parseArgs } from 'node:util';
import { defaultChunk } from '../src/core/solver/chunk';
import { accumulateGaussNewton, GaussNewtonWorkspace } from '../src/core/solver/gauss-newton';
import { nailm } from '../src/core/solver/nailm';
import { scalingProblem } from './cases';

const { values } = parseArgs({
  options: {
    samples: { type: 'string' },
    iterations: { type: 'string' },
    hidden: { type: 'string' },
  },
});
const N = Number(values.samples ?? 100000);
const iterations = Number(values.iterations ?? 3);
const hidden = Number(values.hidden ?? 12);
// A system to fit: a random stable response (so the steps are meaningful).
const { model, p, z0 } = scalingProblem(N, hidden);
const ws = new GaussNewtonWorkspace(p, defaultChunk(p));
const t0 = performance.now();
accumulateGaussNewton(p, z0, {}, ws);
const pass = (performance.now() - t0) / 1000;
const r = nailm(p, z0, { maxIterations: iterations });
// Accepted iterations include a Gauss–Newton pass; rejected ones only a simulation.
const per = r.history.filter((h) => h.accepted).map((h) => h.seconds);
process.stdout.write(
  `${JSON.stringify({
    samples: N,
    parameters: model.nTheta + model.nx,
    gn_pass_s: pass,
    nailm_accepted_iteration_mean_s: per.reduce((a, b) => a + b, 0) / per.length,
    accepted: per.length,
    iterations: r.iterations,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
