import { describe, it } from 'node:test';
import { makeExperiment } from '../../src/core/data/experiment';
import { makeLoss } from '../../src/core/losses';
import { rnnModel } from '../../src/core/models/model-factory';
import { Random } from '../../src/core/random';
import { accumulateGaussNewton } from '../../src/core/solver/gauss-newton';
import { evaluateV, packZ, quadraticTerm, type Problem } from '../../src/core/solver/problem';
import { assertClose } from '../helpers';

describe('the objective value by simulation and by the Gauss–Newton pass', () => {
  it("includes ADMM's augmented quadratic in both (the line search compares like with like)", () => {
    const rng = new Random(21);
    const model = rnnModel({
      nx: 2,
      nu: 1,
      ny: 1,
      state: { hidden: [3] },
      output: { hidden: [2] },
    });
    const N = 120;
    const exp = makeExperiment({
      u: rng.fillNormal(new Float64Array(N)),
      y: rng.fillNormal(new Float64Array(N)),
    });
    const base: Problem = {
      model,
      experiments: [exp],
      loss: makeLoss({ name: 'mse' }),
      rhoTheta: 1e-3,
      rhoX0: 1e-2,
      trainX0: true,
    };
    const z = packZ(base, model.init(rng), Float64Array.of(0.3, -0.2));
    const index = Int32Array.of(0, 3, 5, model.nTheta + 1);
    const center = Float64Array.of(0.1, -0.4, 0, 0.25);
    const p: Problem = { ...base, quadratic: { index, weight: 7, center } };
    const q = quadraticTerm(p, z);
    let expected = 0;
    for (let k = 0; k < index.length; k++) expected += 3.5 * (z[index[k]!]! - center[k]!) ** 2;
    assertClose([q], [expected], 1e-14, 0, 'the quadratic');
    assertClose([evaluateV(p, z)], [evaluateV(base, z) + expected], 1e-13, 0, 'V by simulation');
    assertClose(
      [accumulateGaussNewton(p, z).value],
      [evaluateV(p, z)],
      1e-13,
      0,
      'V by the GN pass',
    );
  });
});
