/**
 * `nails demo`: the paper's binary-output experiment (ALGORITHM.md §8). Generates the seeded data,
 * builds the paper's model, simulates it from its seeded initialisation and prints the metrics.
 */
import { generateBinaryOutput } from '../../core/generators/binary-output.js';
import { makeLoss } from '../../core/losses/index.js';
import { channelMetrics } from '../../core/metrics.js';
import { rnnModel } from '../../core/models/model-factory.js';
import { objective } from '../../core/objective.js';
import { Random } from '../../core/random.js';
import { simulate } from '../../core/simulate.js';

export function runDemo(o: { seed: number }): number {
  const t0 = performance.now();
  const data = generateBinaryOutput({ seed: o.seed });
  const model = rnnModel({
    nx: 3,
    nu: 1,
    ny: 1,
    state: { hidden: [5], linear: false },
    output: { hidden: [5], linear: false, final: 'sigmoid' },
  });
  const theta = model.init(new Random(o.seed));
  const x0 = new Float64Array(3);
  const loss = makeLoss({ name: 'cross_entropy', epsilon: 1e-4 });
  const reg = { rhoTheta: 0.001, rhoX0: 0.01 };
  const v = objective(model, theta, x0, [data.train], loss, reg);
  const ones = data.full.y.reduce((s, y) => s + y, 0);
  const log = (s: string) => process.stdout.write(`${s}\n`);
  log(
    `binary-output system (ALGORITHM.md §8), seed ${o.seed}: ${data.full.N} samples, ${ones} ones, train ${data.train.N} / test ${data.test.N}`,
  );
  log(
    `model: RNN nx=3, ${model.nTheta} parameters (${model.layout.blocks.map((b) => `${b.name} ${b.rows}×${b.cols}`).join(', ')})`,
  );
  log(
    `cross-entropy objective at the seeded initialisation: V = ${v.value.toFixed(6)} (data ${v.data.toFixed(6)}, regularisation ${v.regularization.toFixed(6)})`,
  );
  for (const part of [data.train, data.test]) {
    const sim = simulate(model, theta, part.u, part.N, x0);
    const [m] = channelMetrics(part.y, sim.y, 1);
    log(
      `${part.name.padEnd(5)} accuracy ${m!.accuracy.toFixed(1)} %  RMSE ${m!.rmse.toFixed(4)}  (untrained model)`,
    );
  }
  log(`wall time ${((performance.now() - t0) / 1000).toFixed(3)} s`);
  return 0;
}
