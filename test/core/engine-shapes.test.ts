/**
 * What keeps a solver thread's optimized code optimized: each check runs a child process with V8's
 * natives syntax, optimizes a reader the way the pass and the search read these objects, then does
 * what a fit does mid-way (ADMM's augmented problem, another caller's options) and asserts the
 * reader is still optimized, or that the objects share one map. Each fails on Node 22 with the
 * code it replaced (checked: a spread passed to makeProblem, `makeProblem({ ...p, ...change })`;
 * the spread in resolveOptions). On Node 20 (V8 11.3) the first passes with the spread too; the
 * second fails there as well.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { wasmKernelAvailable } from '../../src/core/linalg/syrk-wasm';
import { ROOT } from '../helpers';

/** Runs `lines` as an ES module with natives syntax (`%…` inside eval) and returns its stdout. */
function natives(lines: string[]): string {
  const r = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', lines.join('\n')],
    { encoding: 'utf8', cwd: ROOT },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** Optimizes `read` on `arg` and prints whether it is still optimized after `then` ran. */
const stillOptimized = (setup: string[], read: string, arg: string, then: string[]) => [
  ...setup,
  `function read(x) { ${read} }`,
  "eval('%PrepareFunctionForOptimization(read)');",
  `read(${arg}); read(${arg});`,
  "eval('%OptimizeFunctionOnNextCall(read)');",
  `read(${arg});`,
  // Bit 4: optimized code is installed (V8's OptimizationStatus::kOptimized).
  "const optimized = () => (eval('%GetOptimizationStatus(read)') & 16) !== 0;",
  "if (!optimized()) { console.log('not optimized'); process.exit(0); }",
  ...then,
  "console.log(optimized() ? 'kept' : 'deoptimized');",
];

describe('solver objects keep one shape mid-fit (no deoptimization)', () => {
  it("ADMM's augmented problem, made with makeProblem(p, change), keeps code optimized on the base problem", () => {
    const out = natives(
      stillOptimized(
        [
          "const { makeProblem } = await import('./src/core/solver/problem.ts');",
          'const base = makeProblem({ model: { nx: 1 }, experiments: [], loss: { name: "mse" },',
          '  rhoTheta: 0.5, rhoX0: 0.5, trainX0: true });',
        ],
        'return x.quadratic === undefined ? x.rhoTheta : x.quadratic.weight;',
        'base',
        [
          'const q = { index: Int32Array.of(0), weight: 0.25, center: Float64Array.of(0) };',
          'const aug = makeProblem(base, { quadratic: q });',
          'const polish = makeProblem(base, { fixed: new Uint8Array(1) });',
          "if (aug.quadratic !== q || polish.fixed === undefined) throw new Error('change lost');",
        ],
      ),
    );
    assert.equal(out, 'kept');
  });

  it('resolved options have one map whichever options a caller passed', () => {
    const out = natives([
      "const { resolveOptions } = await import('./src/core/solver/types.ts');",
      'const p = { model: { nx: 2, ny: 1, nTheta: 20 }, trainX0: false };',
      'const a = resolveOptions({}, p);',
      'const b = resolveOptions({ chunk: 64, shouldStop: () => false, maxIterations: 3 }, p);',
      "console.log(eval('%HaveSameMap(a, b)') ? 'same' : 'different', b.chunk, a.chunk);",
    ]);
    assert.equal(out, 'same 64 512');
  });
});

describe('kernel instances share one shape', () => {
  it('the exports of two instances are objects of one hidden class (monomorphic loads, no deopts)', () => {
    // On V8 12 (Node 22, the pinned version) each WebAssembly instance's own exports object has a
    // map of its own (this test fails with them: checked); the loader hands out a plain object
    // literal instead.
    const out = natives([
      "const { choleskyInstance } = await import('./src/core/linalg/syrk-wasm.ts');",
      'const a = choleskyInstance(), b = choleskyInstance();',
      "if (!a || !b) { console.log('no-wasm'); process.exit(0); }",
      "console.log(eval('%HaveSameMap(a, b)') && a !== b ? 'same' : 'different');",
    ]);
    assert.equal(out, wasmKernelAvailable() ? 'same' : 'no-wasm');
  });

  it("the simulated loss optimized on one model's kernel stays optimized on another model's", () => {
    // Each model has its own kernel instance, so its exported functions are other function
    // objects; RnnKernel.simulate calls through `call` so that the optimized simulateLossKernel
    // does not assume the first one (with a plain method call it is deoptimized, "wrong call
    // target": checked).
    const out = natives([
      "const { rnnModel } = await import('./src/core/models/model-factory.ts');",
      "const { simulationKernel } = await import('./src/core/solver/simulation-kernel.ts');",
      "const { simulateLossKernel: f } = await import('./src/core/solver/rnn-simulate-loss.ts');",
      "const { makeExperiment } = await import('./src/core/data/experiment.ts');",
      "const { makeLoss } = await import('./src/core/losses/index.ts');",
      "const { Random } = await import('./src/core/random.ts');",
      'const rng = new Random(1);',
      'const m1 = rnnModel({ nx: 2, nu: 1, ny: 1 }), m2 = rnnModel({ nx: 2, nu: 1, ny: 1 });',
      'const k1 = simulationKernel(m1), k2 = simulationKernel(m2);',
      "if (!k1 || !k2) { console.log('no-wasm'); process.exit(0); }",
      'const u = rng.fillNormal(new Float64Array(300)), y = rng.fillNormal(new Float64Array(300));',
      'const ex = [makeExperiment({ u, y })], loss = makeLoss({ name: "mse" });',
      'const run = (k, th) => f(k, th, ex, new Float64Array(2), loss);',
      'const t1 = m1.init(rng), t2 = m2.init(rng);',
      "eval('%PrepareFunctionForOptimization(f)');",
      'for (let i = 0; i < 5; i++) run(k1, t1);',
      "eval('%OptimizeFunctionOnNextCall(f)');",
      'run(k1, t1);',
      "const optimized = () => (eval('%GetOptimizationStatus(f)') & 16) !== 0;",
      "if (!optimized()) { console.log('not optimized'); process.exit(0); }",
      'const r = run(k2, t2);',
      "if (k1 === k2 || !r.finite || !(r.sum > 0)) throw new Error('one kernel, or no loss');",
      "console.log(optimized() ? 'kept' : 'deoptimized');",
    ]);
    assert.equal(out, wasmKernelAvailable() ? 'kept' : 'no-wasm');
  });
});
