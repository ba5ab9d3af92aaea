// AssemblyScript (compiled into the same module as syrk.ts; see gauss-newton.ts): a block of samples
// of the Gauss–Newton pass for the state-space net, all in WebAssembly — per sample the model's
// step and derivatives (rnn-model.ts, one forward pass) and the sensitivity step (sensitivity.ts)
// that writes the rows of the chunk, unscaled: the loss derivatives of ŷ come after the block,
// and syrk.ts's syrkScaled applies them. `d` is the model's description table.
import { stepRows } from './sensitivity';
import { rnnJacobians, rnnStep, FT, FX, GT, GX, NTHETA, NU, NX, NY, XN, Y } from './rnn-model';

@inline
function di(d: usize, i: i32): i32 {
  return load<i32>(d + ((<usize>i) << 2));
}

/**
 * Simulates n samples from x (nx; overwritten with the last state reached): xs[k·nx ..] = x_k for
 * k ≤ n, ŷ_k into y (n × ny), u: n × nu. Returns n, or the first k whose x_{k+1} is not finite.
 */
export function rnnSimulate(d: usize, theta: usize, u: usize, n: i32, x: usize, xs: usize, y: usize): i32 {
  const nx = di(d, NX);
  const nu = di(d, NU);
  const ny = di(d, NY);
  const xn = <usize>di(d, XN);
  const bx = (<usize>nx) << 3;
  // x_k into xs by the loop that also updates x (memory.copy is a call into the engine).
  for (let i = 0; i < nx; i++) store<f64>(xs + ((<usize>i) << 3), load<f64>(x + ((<usize>i) << 3)));
  for (let k = 0; k < n; k++) {
    rnnStep(d, theta, x, u + (((<usize>k) * <usize>nu) << 3), y + (((<usize>k) * <usize>ny) << 3));
    const next = xs + (<usize>(k + 1)) * bx;
    let finite = true;
    for (let i = 0; i < nx; i++) {
      const v = load<f64>(xn + ((<usize>i) << 3));
      if (!isFinite<f64>(v)) finite = false;
      store<f64>(x + ((<usize>i) << 3), v);
      store<f64>(next + ((<usize>i) << 3), v);
    }
    if (!finite) return k;
  }
  return n;
}

/**
 * A block of n samples of the pass from x (nx; overwritten with the last state reached), u:
 * n × nu: per sample the Jacobians into the table's arrays (with the step itself: ŷ_k into
 * y, n × ny, and x_{k+1}), then `stepRows` (the rows of J_k, unscaled, into Jr — row-major,
 * nl columns — from row `row0` on, and S_{k+1}). S (nx × ns) is S at the block's start on entry and at its end on return
 * (Snext: scratch of the same size). Returns n, or the first k whose x_{k+1} is not finite.
 * The caller then has the loss derivatives of ŷ, and syrkScaled adds the rows.
 */
export function rnnBlock(
  d: usize, theta: usize, u: usize, n: i32, x: usize, y: usize,
  S: usize, Snext: usize, Jr: usize, nl: i32, row0: i32, nf: i32, ns: i32,
): i32 {
  const nx = di(d, NX);
  const nu = di(d, NU);
  const ny = di(d, NY);
  const nTheta = di(d, NTHETA);
  const fx = <usize>di(d, FX);
  const ft = <usize>di(d, FT);
  const gx = <usize>di(d, GX);
  const gt = <usize>di(d, GT);
  const xn = <usize>di(d, XN);
  const yk = <usize>di(d, Y);
  // The entries of ∂f/∂θ and ∂g/∂θ that are always zero (rnnJacobians never writes them).
  memory.fill(ft, 0, ((<usize>nx) * <usize>nTheta) << 3);
  memory.fill(gt, 0, ((<usize>ny) * <usize>nTheta) << 3);
  let s = S;
  let sn = Snext;
  let k = 0;
  for (; k < n; k++) {
    rnnJacobians(d, theta, x, u + (((<usize>k) * <usize>nu) << 3));
    const yo = y + (((<usize>k) * <usize>ny) << 3);
    for (let r = 0; r < ny; r++) store<f64>(yo + ((<usize>r) << 3), load<f64>(yk + ((<usize>r) << 3)));
    stepRows(ft, fx, gt, gx, s, sn, Jr, nl, row0 + k * ny, nx, ny, nTheta, nf, ns);
    const t = s;
    s = sn;
    sn = t;
    let finite = true;
    for (let i = 0; i < nx; i++) {
      const v = load<f64>(xn + ((<usize>i) << 3));
      if (!isFinite<f64>(v)) finite = false;
      store<f64>(x + ((<usize>i) << 3), v);
    }
    if (!finite) break;
  }
  if (s != S) memory.copy(S, s, ((<usize>nx) * <usize>ns) << 3);
  return k;
}
