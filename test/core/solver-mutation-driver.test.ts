/**
 * The iteration driver, its stop messages, the degeneracy tests and the recovery, with scripted
 * searches and methods whose every figure is known: each stop test just at and just past its
 * boundary, the exact messages, the history and the recovery's bookkeeping (renumbering, the
 * shared budget, the counters). Written to kill the mutants that checking the reason alone leaves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adam } from '../../src/core/solver/adam.js';
import { Cancelled } from '../../src/core/solver/cancellation.js';
import { DEGENERATE_GAIN, degeneracy } from '../../src/core/solver/degenerate.js';
import { drive, stopMessage, type Search, type StepOutcome } from '../../src/core/solver/driver.js';
import { evaluateV } from '../../src/core/solver/problem.js';
import { RECOVERY_ATTEMPTS, solveWithRecovery } from '../../src/core/solver/recovery.js';
import {
  firstOrderMeasure,
  norm2,
  normInf,
  resolveOptions,
  type IterationRecord,
  type SolverOptions,
  type SolverResult,
} from '../../src/core/solver/types.js';
import { affineProblem } from './solver-test-models.js';

/** y = 2u on u = −1, 1: var(y) = 4, the best constant (0) has loss 4. */
const P = affineProblem([-1, 1], [-2, 2]);

function busy(ms: number): void {
  const t = performance.now();
  while (performance.now() - t < ms) {
    /* wait */
  }
}

/** A search that replays scripted outcomes (z is fixed unless a step sets it). */
class Scripted implements Search {
  readonly method = 'scripted';
  readonly z: Float64Array;
  simulations = 3;
  sensitivities = 4;
  steps = 0;
  constructor(
    private readonly s0: { value: number; gradNorm: number } | (() => never),
    private readonly outcomes: (StepOutcome | (() => StepOutcome))[],
    z = Float64Array.of(0, 0),
    private readonly waitMs = 0,
  ) {
    this.z = z;
  }
  start() {
    return typeof this.s0 === 'function' ? this.s0() : this.s0;
  }
  step(): StepOutcome {
    busy(this.waitMs);
    const o = this.outcomes[Math.min(this.steps++, this.outcomes.length - 1)]!;
    return typeof o === 'function' ? o() : o;
  }
}

const acc = (value: number, gradNorm: number, stepNorm = 1): StepOutcome => ({
  accepted: true,
  value,
  gradNorm,
  stepNorm,
});
const rej = (value: number, extra: Partial<StepOutcome> = {}): StepOutcome => ({
  accepted: false,
  value,
  gradNorm: 123,
  stepNorm: 7,
  ...extra,
});

function run(search: Scripted, o: SolverOptions = {}, check = false): SolverResult {
  return drive(P, search, resolveOptions(o, P), { checkDegenerate: check });
}

describe('the driver: each stop test at its boundary', () => {
  it('a start that is not finite is diverged, with no iteration', () => {
    const r = run(new Scripted({ value: Infinity, gradNorm: NaN }, [acc(1, 1)]));
    assert.equal(r.status, 'diverged');
    assert.equal(r.stopTest, 'start-not-finite');
    assert.equal(r.iterations, 0);
    assert.equal(r.history.length, 0);
    assert.equal(
      r.message,
      'diverged: the initial parameters simulate to non-finite values; start from a stable model',
    );
  });

  it('a start with m = gtol exactly is converged; just above, the driver iterates', () => {
    // m = ‖∇V‖∞ / |V| = 1e-6 / 1 = gtol.
    const at = run(new Scripted({ value: -1, gradNorm: 1e-6 }, [acc(1, 1)]));
    assert.equal(at.status, 'converged');
    assert.equal(at.stopTest, 'gradient');
    assert.equal(at.iterations, 0);
    assert.equal(at.firstOrder, 1e-6);
    assert.equal(at.message, 'converged: first-order measure ‖∇V‖∞/|V| = 1.0e-6 ≤ gtol 0.000001');
    const above = run(new Scripted({ value: 1, gradNorm: 1.5e-6 }, [acc(1, 0)]));
    assert.equal(above.status, 'converged');
    assert.equal(above.iterations, 1);
  });

  it('after an accepted step, m = gtol exactly converges; m just above does not', () => {
    const at = run(new Scripted({ value: 8, gradNorm: 8 }, [acc(4, 2e-6), acc(1, 0)]), {
      gtol: 5e-7,
    });
    assert.equal(at.status, 'converged');
    assert.equal(at.iterations, 1);
    assert.equal(at.value, 4);
    assert.equal(at.initialValue, 8);
    assert.equal(at.firstOrder, 5e-7);
    const above = run(new Scripted({ value: 8, gradNorm: 8 }, [acc(4, 2.4e-6), acc(1, 0)]), {
      gtol: 5e-7,
    });
    assert.equal(above.iterations, 2);
  });

  it('the measure is floored at 1e-8·|V₀| when V reaches 0', () => {
    const r = run(new Scripted({ value: 100, gradNorm: 100 }, [acc(0, 1e-12), acc(0, 0)]), {
      gtol: 1e-6,
    });
    // 1e-12 / max(0, 1e-8·100) = 1e-6 ≤ gtol.
    assert.equal(r.iterations, 1);
    assert.equal(r.status, 'converged');
    assert.ok(Math.abs(r.firstOrder - 1e-6) < 1e-18, `${r.firstOrder}`);
  });

  it('a rejected step keeps the accepted gradient: a search that cannot go on with m ≤ gtol is converged', () => {
    // Accepted: m = 1/1 > gtol 0.5. Then a rejected "cannot" outcome reports V = 4 at the same
    // gradient: m = 1/4 ≤ 0.5 → converged (the rejected step's gradNorm 123 must not be used).
    const r = run(
      new Scripted({ value: 2, gradNorm: 2 }, [acc(1, 1), rej(4, { cannot: 'damping-cap' })]),
      { gtol: 0.5 },
    );
    assert.equal(r.status, 'converged');
    assert.equal(r.stopTest, 'gradient');
    assert.equal(r.firstOrder, 0.25);
    assert.equal(r.history[1]!.gradNorm, NaN);
    assert.equal(r.history[0]!.gradNorm, 1);
  });

  it('a search that cannot go on with m > gtol is stalled, by its own test, with the figures', () => {
    for (const cannot of ['damping-cap', 'line-search'] as const) {
      const r = run(new Scripted({ value: 2, gradNorm: 4 }, [rej(2, { cannot })]), { gtol: 0.5 });
      assert.equal(r.status, 'stalled');
      assert.equal(r.stopTest, cannot);
      assert.equal(r.iterations, 1);
      assert.equal(r.firstOrder, 2);
      assert.equal(
        r.message,
        cannot === 'damping-cap'
          ? 'stalled: the damping reached its cap without an acceptable step; first-order measure 2.0e+0 > gtol 0.5: not a verified minimum'
          : 'stalled: the line search found no decrease along the search direction; first-order measure 2.0e+0 > gtol 0.5: not a verified minimum',
      );
    }
  });

  it("the search's own convergence test (ADMM's residuals) is converged whatever m", () => {
    const r = run(
      new Scripted({ value: 2, gradNorm: 4 }, [rej(2, { converged: 'admm-residuals' })]),
    );
    assert.equal(r.status, 'converged');
    assert.equal(r.stopTest, 'admm-residuals');
    assert.equal(r.message, 'converged: ADMM primal and dual residuals below tolerance');
  });

  it('small step: ‖Δz‖ = xtol·(‖z‖ + xtol) stalls, just above does not, a rejected one never', () => {
    const z = Float64Array.of(3, 4); // ‖z‖ = 5: threshold 0.5·5.5 = 2.75
    const at = run(new Scripted({ value: 9, gradNorm: 9 }, [acc(8, 8, 2.75)], z), {
      xtol: 0.5,
      ftol: 0,
    });
    assert.equal(at.status, 'stalled');
    assert.equal(at.stopTest, 'small-step');
    assert.equal(at.iterations, 1);
    assert.equal(
      at.message,
      'stalled: the step fell below xtol; first-order measure 1.0e+0 > gtol 0.000001: not a verified minimum',
    );
    const above = run(
      new Scripted(
        { value: 9, gradNorm: 9 },
        [acc(8, 8, 2.76), rej(8, { cannot: 'line-search' })],
        z,
      ),
      { xtol: 0.5, ftol: 0 },
    );
    assert.equal(above.stopTest, 'line-search');
    assert.equal(above.iterations, 2);
    const rejected = run(
      new Scripted(
        { value: 9, gradNorm: 9 },
        [rej(9, { stepNorm: 0 }), rej(9, { cannot: 'line-search' })],
        z,
      ),
      { xtol: 0.5, ftol: 0 },
    );
    assert.equal(rejected.stopTest, 'line-search');
    assert.equal(rejected.iterations, 2);
  });

  it('xtol = 0 switches the small-step test off (a zero step does not stall)', () => {
    const r = run(
      new Scripted({ value: 9, gradNorm: 9 }, [acc(8, 8, 0), rej(8, { cannot: 'line-search' })]),
      { xtol: 0, ftol: 0 },
    );
    assert.equal(r.stopTest, 'line-search');
    assert.equal(r.iterations, 2);
  });

  it('no decrease: V_{k−W} − V_k = ftol·|V_k| stalls at iteration W exactly, a larger decrease does not', () => {
    // W = 2, ftol = 1: stalled when V_{k−2} − V_k ≤ V_k. V goes 16 → 12 → 5 (16 − 5 > 5) → 4
    // (12 − 4 > 4) → 2.5 (5 − 2.5 = 2.5: stalled).
    const script = [acc(12, 12), acc(5, 5), acc(4, 4), acc(2.5, 2.5), acc(1, 1)];
    const r = run(new Scripted({ value: 16, gradNorm: 16 }, script), {
      ftol: 1,
      stallWindow: 2,
      gtol: 1e-9,
    });
    assert.equal(r.status, 'stalled');
    assert.equal(r.stopTest, 'no-decrease');
    assert.equal(r.iterations, 4);
    assert.equal(r.value, 2.5);
    assert.equal(
      r.message,
      'stalled: the loss fell by less than ftol 1 (relative) over 2 iterations; first-order measure 1.0e+0 > gtol 1e-9: not a verified minimum',
    );
    // Constant V: the window is compared from the start value, so it stalls at iteration W = 3.
    const flat = run(new Scripted({ value: 5, gradNorm: 5 }, [rej(5)]), {
      ftol: 1e-3,
      stallWindow: 3,
    });
    assert.equal(flat.stopTest, 'no-decrease');
    assert.equal(flat.iterations, 3);
  });

  it('ftol = 0 switches the no-decrease test off', () => {
    const r = run(new Scripted({ value: 5, gradNorm: 5 }, [rej(5)]), {
      ftol: 0,
      stallWindow: 1,
      maxIterations: 4,
    });
    assert.equal(r.status, 'budget');
    assert.equal(r.stopTest, 'iterations');
    assert.equal(r.iterations, 4);
    assert.equal(r.message, 'budget: the iteration budget (4) was used');
  });

  it('the time budget is checked before each iteration', () => {
    const r = run(new Scripted({ value: 5, gradNorm: 5 }, [rej(5)], undefined, 30), {
      maxSeconds: 0.02,
      ftol: 0,
    });
    assert.equal(r.status, 'budget');
    assert.equal(r.stopTest, 'seconds');
    assert.equal(r.iterations, 1);
    assert.equal(r.message, 'budget: the time budget (0.02 s) was used');
  });

  it('cancel between iterations: cancelled, with the iterations done', () => {
    let n = 0;
    const r = run(new Scripted({ value: 5, gradNorm: 5 }, [acc(4, 4), acc(3, 3), acc(2, 2)]), {
      shouldStop: () => ++n > 2,
    });
    assert.equal(r.status, 'cancelled');
    assert.equal(r.stopTest, 'cancel');
    assert.equal(r.iterations, 2);
    assert.equal(r.value, 3);
    assert.equal(r.message, 'cancelled: best parameters so far returned');
  });

  it('a cancel inside the start reports V at the starting point (its initial value too)', () => {
    const z = Float64Array.of(1, 0); // ŷ = u: V = ((−1+2)² + (1−2)²)/2 = 1
    const r = run(
      new Scripted(
        () => {
          throw new Cancelled();
        },
        [],
        z,
      ),
    );
    assert.equal(r.status, 'cancelled');
    assert.equal(r.value, 1);
    assert.equal(r.initialValue, 1);
    assert.equal(r.iterations, 0);
  });

  it('a cancel inside a step keeps the last accepted V (no re-evaluation)', () => {
    const r = run(
      new Scripted({ value: 7, gradNorm: 7 }, [
        acc(6, 6),
        () => {
          throw new Cancelled();
        },
      ]),
    );
    assert.equal(r.status, 'cancelled');
    assert.equal(r.value, 6);
    assert.equal(r.initialValue, 7);
  });

  it('any other error is not swallowed', () => {
    assert.throws(
      () =>
        run(
          new Scripted({ value: 7, gradNorm: 7 }, [
            () => {
              throw new RangeError('boom');
            },
          ]),
        ),
      /boom/,
    );
  });
});

describe('the driver: history and result', () => {
  it('records every iteration with its figures, λ and α only when given, and real times', () => {
    const seen: [IterationRecord, number[]][] = [];
    const search = new Scripted(
      { value: 10, gradNorm: 10 },
      [
        { ...acc(8, 5, 0.5), lambda: 0.25 },
        rej(8, { alpha: 0.125, stepNorm: 3 }),
        { ...acc(6, 4, 0.75), alpha: 1, lambda: 2 },
      ],
      undefined,
      2,
    );
    const r = run(search, {
      maxIterations: 3,
      onIteration: (rec, z) => seen.push([rec, [...z]]),
    });
    assert.equal(r.method, 'scripted');
    assert.equal(r.simulations, 3);
    assert.equal(r.sensitivities, 4);
    assert.deepEqual(r.recovery, []);
    assert.equal(r.history.length, 3);
    assert.deepEqual(
      r.history.map((h) => [h.iteration, h.value, h.gradNorm, h.stepNorm, h.accepted]),
      [
        [1, 8, 5, 0.5, true],
        [2, 8, NaN, 3, false],
        [3, 6, 4, 0.75, true],
      ],
    );
    assert.deepEqual(
      r.history.map((h) => ['lambda' in h, h.lambda, 'alpha' in h, h.alpha]),
      [
        [true, 0.25, false, undefined],
        [false, undefined, true, 0.125],
        [true, 2, true, 1],
      ],
    );
    assert.deepEqual(
      seen.map(([h]) => h),
      r.history,
    );
    // Seconds since the start and in the iteration: each step waits 2 ms.
    let prev = 0;
    for (const h of r.history) {
      assert.ok(h.seconds >= 0.0019 && h.seconds < 1, `seconds ${h.seconds}`);
      assert.ok(h.elapsed >= prev + 0.0019 && h.elapsed < 1, `elapsed ${h.elapsed}`);
      prev = h.elapsed;
    }
    assert.ok(r.elapsed >= prev && r.elapsed < 1, `elapsed ${r.elapsed}`);
    assert.equal(r.status, 'budget');
  });

  it('theta and x0s are views of the returned z', () => {
    const z = Float64Array.of(1, 2);
    const r = run(new Scripted({ value: 1, gradNorm: 0 }, [], z));
    assert.equal(r.z, z);
    assert.deepEqual([...r.theta], [1, 2]);
    assert.equal(r.x0s.length, 0);
  });
});

describe('stop messages', () => {
  it('say the figures, or ? when they are unknown', () => {
    assert.equal(
      stopMessage({ reason: 'converged', test: 'gradient' }),
      'converged: first-order measure ‖∇V‖∞/|V| = ? ≤ gtol ?',
    );
    assert.equal(
      stopMessage({ reason: 'converged', test: 'gradient' }, { firstOrder: NaN, gtol: 0.01 }),
      'converged: first-order measure ‖∇V‖∞/|V| = ? ≤ gtol 0.01',
    );
    assert.equal(
      stopMessage({ reason: 'converged', test: 'gradient' }, { firstOrder: 0.000123 }),
      'converged: first-order measure ‖∇V‖∞/|V| = 1.2e-4 ≤ gtol ?',
    );
    assert.equal(
      stopMessage({ reason: 'stalled', test: 'no-decrease' }),
      'stalled: the loss fell by less than ftol ? (relative) over ? iterations; first-order measure ? > gtol ?: not a verified minimum',
    );
    assert.equal(
      stopMessage({ reason: 'stalled', test: 'small-step' }, { gtol: 0.25, firstOrder: 3 }),
      'stalled: the step fell below xtol; first-order measure 3.0e+0 > gtol 0.25: not a verified minimum',
    );
    assert.equal(
      stopMessage({ reason: 'stalled', test: 'damping-cap' }),
      'stalled: the damping reached its cap without an acceptable step; first-order measure ? > gtol ?: not a verified minimum',
    );
    assert.equal(
      stopMessage({ reason: 'stalled', test: 'line-search' }),
      'stalled: the line search found no decrease along the search direction; first-order measure ? > gtol ?: not a verified minimum',
    );
    assert.equal(
      stopMessage({ reason: 'budget', test: 'iterations' }),
      'budget: the iteration budget was used',
    );
    assert.equal(
      stopMessage({ reason: 'budget', test: 'seconds' }),
      'budget: the time budget was used',
    );
    assert.equal(
      stopMessage({ reason: 'budget', test: 'seconds' }, { seconds: 30 }),
      'budget: the time budget (30 s) was used',
    );
    assert.equal(
      stopMessage({ reason: 'cancelled', test: 'cancel' }),
      'cancelled: best parameters so far returned',
    );
    assert.equal(
      stopMessage({ reason: 'converged', test: 'admm-residuals' }),
      'converged: ADMM primal and dual residuals below tolerance',
    );
    assert.equal(
      stopMessage({ reason: 'degenerate', test: 'constant-output' }),
      "degenerate: the model's output is constant over the training record",
    );
    assert.equal(
      stopMessage({ reason: 'degenerate', test: 'no-better-than-constant' }),
      'degenerate: the model is no better than a constant output (within 3 % of its loss)',
    );
    assert.equal(
      stopMessage({ reason: 'diverged', test: 'start-not-finite' }),
      'diverged: the initial parameters simulate to non-finite values; start from a stable model',
    );
  });
});

describe('options and measures (types.ts)', () => {
  it('the documented defaults, and given values kept', () => {
    const o = resolveOptions({}, P);
    assert.deepEqual(
      [o.maxIterations, o.maxSeconds, o.ftol, o.xtol, o.gtol, o.stallWindow, o.chunk],
      [100, Infinity, 1e-9, 1e-10, 1e-6, 10, 512],
    );
    const g = resolveOptions(
      {
        maxIterations: 7,
        maxSeconds: 3,
        ftol: 0,
        xtol: 0,
        gtol: 0,
        stallWindow: 2,
        chunk: 64,
      },
      P,
    );
    assert.deepEqual(
      [g.maxIterations, g.maxSeconds, g.ftol, g.xtol, g.gtol, g.stallWindow, g.chunk],
      [7, 3, 0, 0, 0, 2, 64],
    );
  });

  it('Cancelled is an Error named Cancelled', () => {
    const c = new Cancelled();
    assert.ok(c instanceof Error);
    assert.equal(c.name, 'Cancelled');
    assert.equal(c.message, 'cancelled');
  });

  it('the first-order measure, ‖·‖∞ and ‖·‖₂', () => {
    assert.equal(firstOrderMeasure(2, -4, 1), 0.5);
    assert.equal(firstOrderMeasure(3, 1e-12, -100), 3e6);
    assert.equal(firstOrderMeasure(0, 0, 0), 0);
    assert.ok(firstOrderMeasure(1e-300, 0, 0) > 1e10);
    assert.equal(normInf(Float64Array.of(1, -5, 3)), 5);
    assert.equal(normInf(new Float64Array(0)), 0);
    assert.equal(norm2(Float64Array.of(3, -4)), 5);
  });
});

describe('degeneracy', () => {
  // y = 2u on u = ±1 (mean 0, std 2; the best constant 0 has loss 4). ŷ = a·u + b.
  it('constant output at spread 1e-3 exactly (the boundary is inclusive), with the figures', () => {
    const d = degeneracy(P, Float64Array.of(2e-3, 0));
    assert.equal(d?.test, 'constant-output');
    assert.equal(d.outputSpread, 1e-3);
    assert.equal(d.constantLoss, 4);
    assert.ok(Math.abs(d.loss - (2 - 2e-3) ** 2) < 1e-12);
    const more = degeneracy(P, Float64Array.of(2.2e-3, 0));
    assert.equal(more?.test, 'no-better-than-constant');
    assert.ok(Math.abs(more.outputSpread - 1.1e-3) < 1e-15);
  });

  it('the spread is the largest channel ratio std(ŷ)/std(y)', () => {
    const d = degeneracy(P, Float64Array.of(-0.02, 5));
    assert.ok(d && Math.abs(d.outputSpread - 0.01) < 1e-10, `${d?.outputSpread}`);
  });

  it(`no better than constant: loss ≥ (1 − ${DEGENERATE_GAIN})·constant loss, just below it not`, () => {
    // loss = (2 − a)²: ≥ 3.88 ⇔ a ≤ 0.030227.
    const d = degeneracy(P, Float64Array.of(0.03, 0));
    assert.equal(d?.test, 'no-better-than-constant');
    assert.ok(Math.abs(d.loss - 1.97 ** 2) < 1e-12);
    assert.equal(d.constantLoss, 4);
    assert.equal(degeneracy(P, Float64Array.of(0.0305, 0)), undefined);
    assert.equal(degeneracy(P, Float64Array.of(2, 0)), undefined);
  });

  it('several samples and experiments: the constant is the mean of every record', () => {
    // u = 0..3, y = u + 10: mean 11.5; a model that predicts 11.5 everywhere.
    const p = affineProblem([0, 1, 2, 3], [10, 11, 12, 13]);
    const d = degeneracy(p, Float64Array.of(0, 11.5));
    assert.equal(d?.test, 'constant-output');
    assert.equal(d.outputSpread, 0);
    assert.equal(d.constantLoss, 1.25);
    assert.equal(d.loss, 1.25);
    // A model off by a constant: not constant (spread 1), no better than the mean (loss 1.25 + 4).
    const off = degeneracy(p, Float64Array.of(1, 12));
    assert.equal(off?.test, 'no-better-than-constant');
    assert.equal(off.outputSpread, 1);
    assert.equal(off.loss, 4);
    assert.equal(degeneracy(p, Float64Array.of(1, 10)), undefined);
  });

  it('the logit of the mean is tried for outputs in (0, 1): the best constant of the logistic loss', () => {
    // y ∈ {0, 1} with mean 1/4; logistic loss on a logit output: best constant logit(1/4) with
    // loss H(1/4) = −(¼ ln ¼ + ¾ ln ¾).
    const p = affineProblem([1, 2, 3, 4], [0, 1, 0, 0], { name: 'logistic' });
    const d = degeneracy(p, Float64Array.of(0, 0));
    const h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    assert.equal(d?.test, 'constant-output');
    assert.ok(Math.abs(d.constantLoss - h) < 1e-12, `${d.constantLoss} vs ${h}`);
    assert.equal(d.loss, Math.log(2));
  });

  it('two outputs: the spread is the largest channel ratio, the constant loss sums the channels', () => {
    // u = 0..3; y₀ = u (mean 1.5, var 1.25), y₁ = 2u + 10 (mean 13, var 5): best constant loss 6.25.
    // ŷ₀ = 0.05u + 1.425 (ratio 0.05), ŷ₁ = 13: loss Σ(1.425 − 0.95u)²/4 + 5 = 6.128125 ≥ 0.97·6.25.
    const p = affineProblem([0, 1, 2, 3], [0, 10, 1, 12, 2, 14, 3, 16], { name: 'mse' }, 2);
    const d = degeneracy(p, Float64Array.of(0.05, 1.425, 0, 13));
    assert.equal(d?.test, 'no-better-than-constant');
    assert.ok(Math.abs(d.outputSpread - 0.05) < 1e-12, `${d.outputSpread}`);
    assert.ok(Math.abs(d.constantLoss - 6.25) < 1e-12, `${d.constantLoss}`);
    assert.ok(Math.abs(d.loss - 6.128125) < 1e-12, `${d.loss}`);
    // Channel 1 fitted exactly instead: loss 1.128125, not degenerate.
    assert.equal(degeneracy(p, Float64Array.of(0.05, 1.425, 2, 10)), undefined);
  });

  it('data without variation, or a model that does not simulate, are never degenerate', () => {
    assert.equal(degeneracy(affineProblem([1, 2], [3, 3]), Float64Array.of(0, 3)), undefined);
    assert.equal(degeneracy(P, Float64Array.of(NaN, 0)), undefined);
  });

  it('the driver names the degenerate test with its figures instead of converged', () => {
    const c = drive(
      P,
      new Scripted({ value: 4, gradNorm: 0 }, [], Float64Array.of(0, 0)),
      resolveOptions({}, P),
    );
    assert.equal(c.status, 'degenerate');
    assert.equal(c.stopTest, 'constant-output');
    assert.equal(
      c.message,
      "degenerate: the model's output is constant over the training record (output spread 0.0e+0 of the data's)",
    );
    const n = drive(
      P,
      new Scripted(
        { value: 3.9, gradNorm: 1 },
        [rej(3.9, { cannot: 'line-search' })],
        Float64Array.of(0.03, 0),
      ),
      resolveOptions({}, P),
    );
    assert.equal(n.status, 'degenerate');
    assert.equal(n.stopTest, 'no-better-than-constant');
    assert.equal(
      n.message,
      'degenerate: the model is no better than a constant output (within 3 % of its loss) (data loss 3.8809e+0, best constant 4.0000e+0)',
    );
    // Not checked on a budget stop, nor when asked not to.
    const b = drive(
      P,
      new Scripted({ value: 4, gradNorm: 1 }, [rej(4)], Float64Array.of(0, 0)),
      resolveOptions({ maxIterations: 1, ftol: 0 }, P),
    );
    assert.equal(b.status, 'budget');
    const off = drive(
      P,
      new Scripted({ value: 4, gradNorm: 0 }, [], Float64Array.of(0, 0)),
      resolveOptions({}, P),
      { checkDegenerate: false },
    );
    assert.equal(off.status, 'converged');
    // Stalled points are checked as well.
    const s = drive(
      P,
      new Scripted(
        { value: 4, gradNorm: 1 },
        [rej(4, { cannot: 'damping-cap' })],
        Float64Array.of(0, 0),
      ),
      resolveOptions({}, P),
    );
    assert.equal(s.status, 'degenerate');
  });
});

describe('the recovery from degenerate points', () => {
  /** A method that replays results, recording where and with what budget it was called. */
  function scriptedMethod(results: Partial<SolverResult>[]) {
    const calls: { z: number[]; maxIterations: number | undefined }[] = [];
    const method = (z: Float64Array, o: SolverOptions): SolverResult => {
      const r = results[calls.length]!;
      calls.push({ z: [...z], maxIterations: o.maxIterations });
      const iterations = r.iterations ?? 0;
      const history: IterationRecord[] = [];
      for (let k = 1; k <= iterations; k++) {
        const rec: IterationRecord = {
          iteration: k,
          value: r.value ?? 0,
          gradNorm: 0,
          stepNorm: 0,
          accepted: true,
          elapsed: k / 10,
          seconds: 0.1,
        };
        history.push(rec);
        o.onIteration?.(rec, z);
      }
      return {
        method: 'M',
        z: Float64Array.from(z),
        theta: z,
        x0s: new Float64Array(0),
        value: 0,
        initialValue: 99,
        status: 'converged',
        stopTest: 'gradient',
        message: '',
        firstOrder: 0,
        recovery: [],
        iterations,
        history,
        simulations: 0,
        sensitivities: 0,
        elapsed: 0,
        ...r,
      };
    };
    return { method, calls };
  }
  const z0 = Float64Array.of(0.5, 0.25);
  const warm = (epochs: number) =>
    adam(P, z0, { maxIterations: epochs, learningRate: 1e-2, ftol: 0, xtol: 0, gtol: 0 });
  const degen = {
    status: 'degenerate' as const,
    stopTest: 'constant-output' as const,
    value: 4,
  };

  it('a run that is not degenerate is returned as it is', () => {
    const { method, calls } = scriptedMethod([{ iterations: 2, value: 1 }]);
    const seen: number[] = [];
    const r = solveWithRecovery(P, z0, method, { onIteration: (rec) => seen.push(rec.iteration) });
    assert.equal(calls.length, 1);
    assert.deepEqual(r.recovery, []);
    assert.equal(r.history.length, 2);
    assert.deepEqual(seen, [1, 2]);
  });

  it('one attempt: 50 Adam epochs from z₀, then the method on the budget left; everything renumbered and counted', () => {
    const { method, calls } = scriptedMethod([
      { ...degen, iterations: 3, elapsed: 10, simulations: 7, sensitivities: 5, initialValue: 42 },
      { iterations: 2, value: 0.5, elapsed: 20, simulations: 11, sensitivities: 13 },
    ]);
    const seen: IterationRecord[] = [];
    const r = solveWithRecovery(P, z0, method, {
      maxIterations: 10,
      onIteration: (rec) => seen.push(rec),
    });
    const w = warm(RECOVERY_ATTEMPTS[0]!.epochs);
    assert.equal(w.iterations, 50);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[0], { z: [...z0], maxIterations: 10 });
    assert.deepEqual(calls[1], { z: [...w.z], maxIterations: 7 });
    assert.equal(r.status, 'converged');
    assert.equal(r.value, 0.5);
    assert.equal(r.initialValue, 42);
    assert.equal(r.iterations, 3 + 50 + 2);
    assert.equal(r.simulations, 7 + 0 + 11);
    assert.equal(r.sensitivities, 5 + 51 + 13);
    assert.deepEqual(
      r.history.map((h) => h.iteration),
      Array.from({ length: 55 }, (_, k) => k + 1),
    );
    assert.deepEqual(seen, r.history);
    // Times are shifted by the phases before: the method's second run starts after 10 s + Adam's.
    assert.equal(r.history[0]!.elapsed, 0.1);
    assert.ok(r.history[3]!.elapsed >= 10 && r.history[3]!.elapsed < 11);
    const adamTime = r.history[52]!.elapsed - 10;
    assert.ok(Math.abs(r.history[53]!.elapsed - (10 + adamTime + 0.1)) < 0.5);
    assert.ok(r.elapsed >= 30 && r.elapsed < 31, `${r.elapsed}`);
    assert.deepEqual(r.recovery, [
      `M ended degenerate at V = 4.0000e+0 (constant-output); 50 Adam epochs (learning rate 0.01) from the start reached V = ${w.value.toExponential(4)}, then M converged at V = 5.0000e-1`,
    ]);
  });

  it('two attempts when the first also ends degenerate (300 epochs, the budget still shared)', () => {
    const { method, calls } = scriptedMethod([
      { ...degen, iterations: 4 },
      { ...degen, iterations: 5, value: 3 },
      { iterations: 1, value: 0.25 },
    ]);
    const r = solveWithRecovery(P, z0, method, {});
    assert.equal(calls.length, 3);
    assert.deepEqual(
      calls.map((c) => c.maxIterations),
      [undefined, 96, 91],
    );
    assert.deepEqual(calls[2]!.z, [...warm(300).z]);
    assert.equal(r.iterations, 4 + 50 + 5 + 300 + 1);
    assert.equal(r.history.length, r.iterations);
    assert.equal(r.history.at(-1)!.iteration, r.iterations);
    assert.equal(r.recovery.length, 2);
    assert.match(r.recovery[1]!, /^M ended degenerate at V = 3\.0000e\+0 .* 300 Adam epochs/);
    assert.equal(r.value, 0.25);
    assert.equal(r.sensitivities, 51 + 301);
  });

  it('the run after the Adam phase is returned even when its V is higher than the degenerate one', () => {
    // result is always degenerate when an attempt is made, so `again` always replaces it.
    const { method } = scriptedMethod([
      { ...degen, iterations: 1 },
      { iterations: 1, value: 6, status: 'stalled', stopTest: 'no-decrease' },
    ]);
    const r = solveWithRecovery(P, z0, method, {});
    assert.equal(r.status, 'stalled');
    assert.equal(r.value, 6);
    assert.equal(r.recovery.length, 1);
  });

  it('no budget left, or a stop request: no recovery', () => {
    const used = scriptedMethod([{ ...degen, iterations: 10 }, {}]);
    const r = solveWithRecovery(P, z0, used.method, { maxIterations: 10 });
    assert.equal(used.calls.length, 1);
    assert.equal(r.status, 'degenerate');
    assert.deepEqual(r.recovery, []);
    const one = scriptedMethod([{ ...degen, iterations: 9 }, { iterations: 1 }]);
    assert.equal(solveWithRecovery(P, z0, one.method, { maxIterations: 10 }).recovery.length, 1);
    assert.deepEqual(one.calls[1]!.maxIterations, 1);
    const stop = scriptedMethod([{ ...degen, iterations: 1 }, {}]);
    const s = solveWithRecovery(P, z0, stop.method, { shouldStop: () => true });
    assert.equal(stop.calls.length, 1);
    assert.equal(s.status, 'degenerate');
    const go = scriptedMethod([{ ...degen, iterations: 1 }, {}]);
    solveWithRecovery(P, z0, go.method, { shouldStop: () => false });
    assert.equal(go.calls.length, 2);
  });

  it('the Adam phase starts at the starting point z₀ and its V is that of its z', () => {
    const w = warm(50);
    assert.ok(w.value < evaluateV(P, z0));
    assert.equal(evaluateV(P, w.z), w.value);
  });
});
