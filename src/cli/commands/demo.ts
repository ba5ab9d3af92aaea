/**
 * `nails demo`: the paper's binary-output experiment (ALGORITHM.md §8), trained with NAILM in a
 * solver worker thread. Prints progress, train and test accuracy (test x0 re-estimated by least
 * squares on the test record with θ fixed), the number of iterations and the wall time.
 */
import {
  generateBinaryOutput,
  PAPER_BINARY_OUTPUT_OBJECTIVE as OBJECTIVE,
  paperBinaryOutputModel,
} from '../../core/generators/binary-output.js';
import { makeLoss } from '../../core/losses/index.js';
import { channelMetrics } from '../../core/metrics.js';
import { simulate } from '../../core/simulate.js';
import { estimateX0LeastSquares } from '../../core/solver/x0-estimation.js';
import { startFit } from '../../worker/solver-host.js';
import { progressLine } from './train.js';

export async function runDemo(o: { seed: number; iterations: number }): Promise<number> {
  const t0 = performance.now();
  const log = (s: string) => process.stdout.write(`${s}\n`);
  const data = generateBinaryOutput({ seed: o.seed });
  const model = paperBinaryOutputModel();
  const ones = data.full.y.reduce((s, y) => s + y, 0);
  log(
    `binary-output system (ALGORITHM.md §8), data seed ${o.seed}: ${data.full.N} samples (${ones} ones), train ${data.train.N} / test ${data.test.N}`,
  );
  log(
    `model: RNN nx = 3, ${model.nTheta} parameters; loss cross-entropy (ε = 1e-4), ρ_θ = ${OBJECTIVE.rhoTheta}, ρ_x0 = ${OBJECTIVE.rhoX0}; solver NAILM, ${o.iterations} iterations at most`,
  );
  let shown = -1;
  const handle = startFit(
    {
      model: model.config,
      train: [data.train],
      ...OBJECTIVE,
      method: 'nailm',
      options: { maxIterations: o.iterations },
      init: { seed: o.seed },
    },
    {
      progressIntervalMs: 200,
      onProgress: (r) => {
        shown = r.iteration;
        log(progressLine(r, '  '));
      },
    },
  );
  process.once('SIGINT', () => handle.cancel());
  const r = await handle.result;
  // Progress is throttled: end it on the returned point, the value the final line reports.
  const last = r.history.at(-1);
  if (last && last.iteration !== shown) log(progressLine(last, '  '));
  const theta = r.z.subarray(0, r.nTheta);
  const x0 = r.z.subarray(r.nTheta);
  const train = simulate(model, theta, data.train.u, data.train.N, x0);
  const [mTrain] = channelMetrics(data.train.y, train.y, 1);
  const loss = makeLoss(OBJECTIVE.loss);
  const x0Test = estimateX0LeastSquares(model, theta, data.test.u, data.test.y, { loss }).x0;
  const test = simulate(model, theta, data.test.u, data.test.N, x0Test);
  const [mTest] = channelMetrics(data.test.y, test.y, 1);
  log(`${r.message} (${r.status})`);
  log(
    `iterations ${r.iterations}, final loss ${r.value.toExponential(4)}, solver time ${r.elapsed.toFixed(2)} s`,
  );
  log(`train accuracy ${mTrain!.accuracy.toFixed(1)} %`);
  log(`test  accuracy ${mTest!.accuracy.toFixed(1)} % (x0 re-estimated on the test record)`);
  log(`wall time ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return r.status === 'diverged' ? 1 : 0;
}
