/**
 * A model whose state and output equations are expressions (a `model custom` in a spec):
 *
 *   x⁺_i = f_i(x, u; θ),   y_r = g_r(x, u; θ)
 *
 * with θ the named scalar parameters. All derivatives ∂f/∂x, ∂f/∂u, ∂f/∂θ, ∂g/∂… are derived
 * symbolically once (expression.ts) and compiled; entries that are identically zero are skipped.
 */
import { NailsError } from '../errors.js';
import type { Random } from '../random.js';
import { checkExpr, compile, diff, variables, type Compiled, type Expr } from './expression.js';
import type { Model, StepJacobians } from './model.js';
import type { CustomModelConfig } from './model-config.js';
import { ParameterLayout } from './parameter-layout.js';

export type { CustomModelConfig } from './model-config.js';

interface Sparse {
  /** Flat index into the Jacobian buffer, and the compiled derivative. */
  at: number[];
  fn: Compiled[];
}

export class CustomModel implements Model {
  readonly kind = 'custom';
  readonly nx: number;
  readonly nu: number;
  readonly ny: number;
  readonly layout = new ParameterLayout();
  readonly config: CustomModelConfig;
  private readonly f: Compiled[];
  private readonly g: Compiled[];
  private readonly d: Record<'fx' | 'fu' | 'ftheta' | 'gx' | 'gu' | 'gtheta', Sparse>;

  constructor(config: CustomModelConfig) {
    const { nx, nu, ny } = config;
    if (config.state.length !== nx)
      throw new NailsError(
        `a custom model with ${nx} states needs ${nx} state equations, got ${config.state.length}`,
        'state',
      );
    if (config.output.length !== ny)
      throw new NailsError(
        `a custom model with ${ny} outputs needs ${ny} output equations, got ${config.output.length}`,
        'output',
      );
    this.config = config;
    this.nx = nx;
    this.nu = nu;
    this.ny = ny;
    const np = config.parameters.length;
    for (const p of config.parameters) this.layout.add(p.name, 1, 1);
    config.state.forEach((e, i) => checkExpr(e, { nx, nu, np }, `x${i + 1}'`));
    config.output.forEach((e, r) => checkExpr(e, { nx, nu, np }, `y${r + 1}`));
    this.f = config.state.map(compile);
    this.g = config.output.map(compile);
    const sparse = (eqs: Expr[], k: 'x' | 'u' | 'p', n: number): Sparse => {
      const s: Sparse = { at: [], fn: [] };
      eqs.forEach((e, row) => {
        // Only the variables the equation contains: with hundreds of parameters, differentiating
        // by each (most giving 0) was most of the time to build the model (and to check a spec).
        const used = new Set(variables(e).flatMap((v) => (v.k === k ? [v.i] : [])));
        for (const c of [...used].sort((a, b) => a - b)) {
          const de = diff(e, { k, i: c });
          if (de.k === 'num' && de.v === 0) continue;
          s.at.push(row * n + c);
          s.fn.push(compile(de));
        }
      });
      return s;
    };
    this.d = {
      fx: sparse(config.state, 'x', nx),
      fu: sparse(config.state, 'u', nu),
      ftheta: sparse(config.state, 'p', np),
      gx: sparse(config.output, 'x', nx),
      gu: sparse(config.output, 'u', nu),
      gtheta: sparse(config.output, 'p', np),
    };
  }

  get nTheta(): number {
    return this.layout.size;
  }

  /**
   * The declared initial values; with `jitter` j > 0 each is multiplied by (1 + j·U(−1, 1)), U drawn
   * from `rng` in parameter order (so a seed is one start, and the seeds of `starts` differ).
   */
  init(rng: Random): Float64Array {
    const j = this.config.jitter ?? 0;
    return Float64Array.from(this.config.parameters, (p) =>
      j > 0 ? p.init * (1 + j * (2 * rng.uniform() - 1)) : p.init,
    );
  }

  step(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    xNext: Float64Array,
    y: Float64Array,
    yOff: number,
  ): void {
    for (let i = 0; i < this.nx; i++) xNext[i] = this.f[i]!(x, u, uOff, theta);
    for (let r = 0; r < this.ny; r++) y[yOff + r] = this.g[r]!(x, u, uOff, theta);
  }

  jacobians(
    theta: Float64Array,
    x: Float64Array,
    u: Float64Array,
    uOff: number,
    out: StepJacobians,
  ): void {
    this.step(theta, x, u, uOff, out.xNext, out.y, 0);
    for (const key of ['fx', 'fu', 'ftheta', 'gx', 'gu', 'gtheta'] as const) {
      const buf = out[key];
      buf.fill(0);
      const s = this.d[key];
      for (let k = 0; k < s.at.length; k++) buf[s.at[k]!] = s.fn[k]!(x, u, uOff, theta);
    }
  }
}
