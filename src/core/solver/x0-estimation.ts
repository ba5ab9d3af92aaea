/**
 * Initial state on new data (ALGORITHM.md §6), θ fixed:
 *
 * (a) `leastSquares`: min_x0 (1/n) Σ_{k<n} ℓ(y[k], ŷ[k](x0)) + ρ ‖x0‖² over the first n samples
 *     (the benchmarks' n_init) or the whole record, by Levenberg–Marquardt with the same
 *     forward sensitivities as training: S_0 = I, S_{k+1} = f_x S_k, J_k = g_x S_k.
 * (b) `ekf`: an extended Kalman filter forward over the window, then a Rauch–Tung–Striebel
 *     smoother back to k = 0; returns the smoothed x̂_{0|n}.
 * (c) zero or a given x0 need no estimation.
 */
import { NailsError } from '../errors.js';
import {
  choleskyInPlace,
  choleskySolveColumnsInPlace,
  choleskySolveInPlace,
} from '../linalg/cholesky.js';
import type { Loss } from '../losses/loss.js';
import { squaredError } from '../losses/squared-error.js';
import { allocJacobians, type Model } from '../models/model.js';
import { simulate } from '../simulate.js';

export interface X0Estimate {
  x0: Float64Array;
  /** The windowed loss (least squares) or the innovation cost (EKF) at x0. */
  value: number;
  iterations: number;
  method: 'least-squares' | 'ekf';
}

function windowLength(N: number, window: number | undefined, model: Model): number {
  const n = window ?? N;
  if (!(Number.isInteger(n) && n >= 1 && n <= N)) {
    throw new NailsError(
      `the x0 estimation window ${n} must be an integer in [1, ${N}] (the record has ${N} samples)`,
      'window',
    );
  }
  if (model.nx === 0) return 0;
  return n;
}

function windowValue(
  model: Model,
  theta: Float64Array,
  u: Float64Array,
  y: Float64Array,
  n: number,
  x0: Float64Array,
  loss: Loss,
  rho: number,
): number {
  const sim = simulate(model, theta, u.subarray(0, n * model.nu), n, x0);
  if (!sim.finite) return Infinity;
  let s = 0;
  for (let k = 0; k < n; k++) s += loss.evaluate(y, k * model.ny, sim.y, k * model.ny, model.ny);
  let r = 0;
  for (const v of x0) r += v * v;
  return s / n + rho * r;
}

/**
 * (a) Least squares in x0 with θ fixed, on samples [0, window) (default: the whole record).
 * u: N × nu, y: N × ny.
 */
export function estimateX0LeastSquares(
  model: Model,
  theta: Float64Array,
  u: Float64Array,
  y: Float64Array,
  options: {
    window?: number;
    loss?: Loss;
    rho?: number;
    maxIterations?: number;
    x0?: Float64Array;
  } = {},
): X0Estimate {
  // ρ defaults to 0: the damping λ alone handles weakly observable directions.
  const { nx, nu, ny } = model;
  const N = y.length / ny;
  const n = windowLength(N, options.window, model);
  const loss = options.loss ?? squaredError;
  const rho = options.rho ?? 0;
  const x0 = Float64Array.from(options.x0 ?? new Float64Array(nx));
  if (nx === 0)
    return {
      x0,
      value: windowValue(model, theta, u, y, N, x0, loss, 0),
      iterations: 0,
      method: 'least-squares',
    };
  const jac = allocJacobians(model);
  let S = new Float64Array(nx * nx);
  let Sn = new Float64Array(nx * nx);
  const Jk = new Float64Array(ny * nx);
  const lg = new Float64Array(ny);
  const lh = new Float64Array(ny);
  const M = new Float64Array(nx * nx);
  const g = new Float64Array(nx);
  const x = new Float64Array(nx);
  let value = windowValue(model, theta, u, y, n, x0, loss, rho);
  if (!Number.isFinite(value)) {
    throw new NailsError(
      'the model does not simulate to finite values from x0 = 0 on this record; it is unstable on these data',
      'x0',
    );
  }
  let lambda = -1;
  let nuFactor = 2;
  let it = 0;
  const maxIt = options.maxIterations ?? 50;
  for (; it < maxIt; it++) {
    // Gauss–Newton system in x0.
    M.fill(0);
    g.fill(0);
    x.set(x0);
    S.fill(0);
    for (let i = 0; i < nx; i++) S[i * nx + i] = 1;
    for (let k = 0; k < n; k++) {
      model.jacobians(theta, x, u, k * nu, jac);
      for (let r = 0; r < ny; r++)
        for (let c = 0; c < nx; c++) {
          let s = 0;
          for (let i = 0; i < nx; i++) s += jac.gx[r * nx + i]! * S[i * nx + c]!;
          Jk[r * nx + c] = s;
        }
      loss.evaluate(y, k * ny, jac.y, 0, ny, lg, lh);
      for (let r = 0; r < ny; r++)
        for (let a = 0; a < nx; a++) {
          const ja = Jk[r * nx + a]!;
          g[a] = g[a]! + lg[r]! * ja;
          for (let b = 0; b < nx; b++)
            M[a * nx + b] = M[a * nx + b]! + lh[r]! * ja * Jk[r * nx + b]!;
        }
      for (let i = 0; i < nx; i++)
        for (let c = 0; c < nx; c++) {
          let s = 0;
          for (let m = 0; m < nx; m++) s += jac.fx[i * nx + m]! * S[m * nx + c]!;
          Sn[i * nx + c] = s;
        }
      [S, Sn] = [Sn, S];
      x.set(jac.xNext);
    }
    let gmax = 0;
    for (let a = 0; a < nx; a++) {
      g[a] = g[a]! / n + 2 * rho * x0[a]!;
      gmax = Math.max(gmax, Math.abs(g[a]!));
      for (let b = 0; b < nx; b++) M[a * nx + b] = M[a * nx + b]! / n;
      M[a * nx + a] = M[a * nx + a]! + 2 * rho;
    }
    if (gmax < 1e-12) break;
    if (lambda < 0) {
      let md = 0;
      for (let a = 0; a < nx; a++) md = Math.max(md, M[a * nx + a]!);
      lambda = 1e-6 * Math.max(md, 1e-12);
    }
    // Levenberg–Marquardt trials until a decrease (or λ explodes).
    let improved = false;
    for (let t = 0; t < 40 && !improved; t++) {
      const K = Float64Array.from(M);
      for (let a = 0; a < nx; a++) K[a * nx + a] = K[a * nx + a]! + lambda;
      const d = Float64Array.from(g);
      if (choleskyInPlace(K, nx)) {
        choleskySolveInPlace(K, nx, d);
        const trial = new Float64Array(nx);
        for (let a = 0; a < nx; a++) trial[a] = x0[a]! - d[a]!;
        const v = windowValue(model, theta, u, y, n, trial, loss, rho);
        if (v < value) {
          const rel = (value - v) / Math.max(Math.abs(value), 1e-300);
          x0.set(trial);
          value = v;
          lambda /= 3;
          nuFactor = 2;
          improved = true;
          if (rel < 1e-14) it = maxIt;
          continue;
        }
      }
      lambda *= nuFactor;
      nuFactor *= 2;
    }
    if (!improved) break;
  }
  return { x0, value, iterations: it, method: 'least-squares' };
}

export interface EkfOptions {
  window?: number;
  q?: number;
  r?: number;
  p0?: number;
  x0Prior?: Float64Array;
  /** Smoother passes, each re-linearising around the previous pass's x̂_{0|n} (default 3). */
  passes?: number;
}

/**
 * (b) EKF forward over [0, window) from the prior N(x0Prior, P0), then an RTS smoother back to
 * k = 0; repeated `passes` times with the prior mean moved to the last smoothed x̂_{0|n}
 * (an iterated smoother: the first pass linearises around the prior, later ones around the
 * estimate). Noise covariances (model units): Q = q·I (process), R = r·I (measurement).
 */
export function estimateX0Ekf(
  model: Model,
  theta: Float64Array,
  u: Float64Array,
  y: Float64Array,
  options: EkfOptions = {},
): X0Estimate {
  const passes = options.passes ?? 3;
  let est = ekfPass(model, theta, u, y, options);
  for (let i = 1; i < passes; i++)
    est = ekfPass(model, theta, u, y, { ...options, x0Prior: est.x0 });
  return { ...est, iterations: passes };
}

function ekfPass(
  model: Model,
  theta: Float64Array,
  u: Float64Array,
  y: Float64Array,
  options: EkfOptions,
): X0Estimate {
  const { nx, nu, ny } = model;
  const N = y.length / ny;
  const n = windowLength(N, options.window, model);
  const q = options.q ?? 1e-4;
  const r = options.r ?? 1e-2;
  const p0 = options.p0 ?? 10;
  for (const [name, v] of [
    ['q', q],
    ['r', r],
    ['p0', p0],
  ] as const) {
    if (!(v > 0 && Number.isFinite(v)))
      throw new NailsError(`EKF ${name} must be a positive number, got ${v}`, name);
  }
  if (nx === 0) return { x0: new Float64Array(0), value: 0, iterations: 0, method: 'ekf' };
  const jac = allocJacobians(model);
  // Stored per step: filtered x̂_{k|k}, P_{k|k}, predicted x̂_{k+1|k}, P_{k+1|k}, F_k.
  const xf = new Float64Array(n * nx);
  const Pf = new Float64Array(n * nx * nx);
  const xp = new Float64Array((n + 1) * nx);
  const Pp = new Float64Array((n + 1) * nx * nx);
  const F = new Float64Array(n * nx * nx);
  xp.set(options.x0Prior ?? new Float64Array(nx), 0);
  for (let i = 0; i < nx; i++) Pp[i * nx + i] = p0;
  const x = new Float64Array(nx);
  const P = new Float64Array(nx * nx);
  const PHt = new Float64Array(nx * ny);
  const Sinn = new Float64Array(ny * ny);
  const innov = new Float64Array(ny);
  let cost = 0;
  for (let k = 0; k < n; k++) {
    x.set(xp.subarray(k * nx, (k + 1) * nx));
    P.set(Pp.subarray(k * nx * nx, (k + 1) * nx * nx));
    // Measurement update at x̂_{k|k−1}.
    model.jacobians(theta, x, u, k * nu, jac);
    const H = jac.gx; // ny × nx
    for (let a = 0; a < nx; a++)
      for (let b = 0; b < ny; b++) {
        let s = 0;
        for (let c = 0; c < nx; c++) s += P[a * nx + c]! * H[b * nx + c]!;
        PHt[a * ny + b] = s;
      }
    for (let a = 0; a < ny; a++) {
      innov[a] = y[k * ny + a]! - jac.y[a]!;
      for (let b = 0; b < ny; b++) {
        let s = a === b ? r : 0;
        for (let c = 0; c < nx; c++) s += H[a * nx + c]! * PHt[c * ny + b]!;
        Sinn[a * ny + b] = s;
      }
    }
    if (!choleskyInPlace(Sinn, ny))
      throw new NailsError(
        'the EKF innovation covariance is not positive definite; increase r',
        'r',
      );
    // K = P Hᵀ S⁻¹ (nx × ny): solve S Kᵀ = (P Hᵀ)ᵀ.
    const Kt = new Float64Array(ny * nx);
    for (let a = 0; a < ny; a++) for (let c = 0; c < nx; c++) Kt[a * nx + c] = PHt[c * ny + a]!;
    choleskySolveColumnsInPlace(Sinn, ny, Kt, nx);
    const w = Float64Array.from(innov);
    choleskySolveInPlace(Sinn, ny, w);
    for (let a = 0; a < ny; a++) cost += innov[a]! * w[a]!;
    for (let c = 0; c < nx; c++) {
      let s = 0;
      for (let a = 0; a < ny; a++) s += Kt[a * nx + c]! * innov[a]!;
      x[c] = x[c]! + s;
    }
    // P ← P − K H P  (= P − K (P Hᵀ)ᵀ), symmetrised.
    for (let a = 0; a < nx; a++)
      for (let b = 0; b < nx; b++) {
        let s = 0;
        for (let c = 0; c < ny; c++) s += Kt[c * nx + a]! * PHt[b * ny + c]!;
        P[a * nx + b] = P[a * nx + b]! - s;
      }
    for (let a = 0; a < nx; a++)
      for (let b = a + 1; b < nx; b++) {
        const m = 0.5 * (P[a * nx + b]! + P[b * nx + a]!);
        P[a * nx + b] = m;
        P[b * nx + a] = m;
      }
    xf.set(x, k * nx);
    Pf.set(P, k * nx * nx);
    // Time update from x̂_{k|k}.
    model.jacobians(theta, x, u, k * nu, jac);
    const Fk = F.subarray(k * nx * nx, (k + 1) * nx * nx);
    Fk.set(jac.fx);
    for (let i = 0; i < nx; i++)
      if (!Number.isFinite(jac.xNext[i]!))
        throw new NailsError(
          'the EKF diverged (non-finite state); the model is unstable on these data',
          'x0',
        );
    xp.set(jac.xNext, (k + 1) * nx);
    const Pn = Pp.subarray((k + 1) * nx * nx, (k + 2) * nx * nx);
    for (let a = 0; a < nx; a++)
      for (let b = 0; b < nx; b++) {
        let s = a === b ? q : 0;
        for (let c = 0; c < nx; c++)
          for (let d = 0; d < nx; d++) s += Fk[a * nx + c]! * P[c * nx + d]! * Fk[b * nx + d]!;
        Pn[a * nx + b] = s;
      }
  }
  // RTS smoother: x̂_{k|n} = x̂_{k|k} + C_k (x̂_{k+1|n} − x̂_{k+1|k}),  C_k = P_{k|k} F_kᵀ P_{k+1|k}⁻¹.
  const xs = Float64Array.from(xf.subarray((n - 1) * nx, n * nx));
  for (let k = n - 2; k >= 0; k--) {
    const Pk = Pf.subarray(k * nx * nx, (k + 1) * nx * nx);
    const Fk = F.subarray(k * nx * nx, (k + 1) * nx * nx);
    const Ppk = Float64Array.from(Pp.subarray((k + 1) * nx * nx, (k + 2) * nx * nx));
    if (!choleskyInPlace(Ppk, nx))
      throw new NailsError('the RTS smoother met a singular predicted covariance; increase q', 'q');
    // d = P_{k+1|k}⁻¹ (x̂_{k+1|n} − x̂_{k+1|k}); x̂_{k|n} = x̂_{k|k} + P_{k|k} F_kᵀ d.
    const d = new Float64Array(nx);
    for (let i = 0; i < nx; i++) d[i] = xs[i]! - xp[(k + 1) * nx + i]!;
    choleskySolveInPlace(Ppk, nx, d);
    const ftd = new Float64Array(nx);
    for (let c = 0; c < nx; c++) {
      let s = 0;
      for (let i = 0; i < nx; i++) s += Fk[i * nx + c]! * d[i]!;
      ftd[c] = s;
    }
    for (let a = 0; a < nx; a++) {
      let s = xf[k * nx + a]!;
      for (let c = 0; c < nx; c++) s += Pk[a * nx + c]! * ftd[c]!;
      xs[a] = s;
    }
  }
  return { x0: xs, value: cost / n, iterations: 1, method: 'ekf' };
}
