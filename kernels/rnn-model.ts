// AssemblyScript (compiled into the same module as syrk.ts and sensitivity.ts; see gauss-newton.ts):
// the step and its exact derivatives of the state-space net of src/core/models/state-space-net.ts
//
//   x⁺ = [A x + B u] + MLP_f([x; u]),   ŷ = φ([C x + D u] + MLP_g([x; u] or [x]))
//
// in the same arithmetic order as the TypeScript model (its oracle), so that both agree to the
// last bits but for the transcendental functions (AssemblyScript's libm against V8's).
//
// tanh is tanh.ts's SIMD evaluation, two units at a time (within 2 ulp of V8's Math.tanh).
//
// The model is described by an i32 table (`desc`, written by src/core/solver/rnn-kernel.ts) that
// also holds the byte addresses of every buffer: the step's Jacobians, the MLPs' activations and
// the inputs. Row-major f64 arrays throughout.

import { copy, zero } from './copy';
import { tanh1, tanh2 } from './tanh';

// Header of the description table (i32 entries).
export const NX = 0;
export const NU = 1;
export const NY = 2;
export const NTHETA = 3;
export const NF = 4;
const A_OFF = 5; // θ offsets of A, B, C, D (−1: absent)
const B_OFF = 6;
const C_OFF = 7;
const D_OFF = 8;
const FINAL = 9; // 0 identity, 1 sigmoid
const STATE_MLP = 10; // index of the state MLP's section (−1: none)
const OUTPUT_MLP = 11; // index of the output MLP's section (−1: none)
const V = 12; // [x; u] (nx + nu)
const PRE = 13; // the output before φ (ny)
export const XN = 14; // f(x, u) (nx)
export const Y = 15; // ŷ (ny)
export const FX = 16; // ∂f/∂x nx × nx, ∂f/∂u nx × nu, ∂f/∂θ nx × nθ
export const FU = 17;
export const FT = 18;
export const GX = 19; // ∂g/∂x ny × nx, ∂g/∂u ny × nu, ∂g/∂θ ny × nθ
export const GU = 20;
export const GT = 21;
// An MLP's section: L, activation, nOut, then per layer l = 1..L (8 entries): n_{l−1}, n_l,
// offset of W_l and of b_l in θ, addresses of a_{l−1} (its input), z_l, σ'(z_l) and Δ_l (nOut × n_l).
const M_L = 0;
const M_ACT = 1;
const M_NOUT = 2;
const M_LAYERS = 3;
const L_IN = 0;
const L_OUT = 1;
const L_W = 2;
const L_B = 3;
const L_A = 4;
const L_Z = 5;
const L_DZ = 6;
const L_DELTA = 7;

@inline
function di(d: usize, i: i32): i32 {
  return load<i32>(d + ((<usize>i) << 2));
}
@inline
function da(d: usize, i: i32): usize {
  return <usize>load<i32>(d + ((<usize>i) << 2));
}
@inline
function ld(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
@inline
function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
/** The table entry of layer l (1-based) of the MLP section at `m`. */
@inline
function lay(d: usize, m: i32, l: i32, field: i32): i32 {
  return di(d, m + M_LAYERS + (l - 1) * 8 + field);
}

function sigmoid(z: f64): f64 {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * −ln 2. ELU's negative branch expm1(z) is computed as exp(z) − 1 for z ≤ −ln 2, where exp's error
 * is at most half an ulp of the result and so is the subtraction's (exp is much cheaper than libm's
 * expm1, and a derivative pass needs exp(z) anyway); within an ulp of expm1
 * (test/core/rnn-kernel.test.ts).
 */
const MINUS_LN2: f64 = -0.6931471805599453;

/** σ(z) by activation code: tanh, atan, sigmoid, softplus, swish, elu, sin, identity (0–7). */
function act(code: i32, z: f64): f64 {
  switch (code) {
    case 0:
      return tanh1(z);
    case 1:
      return Math.atan(z);
    case 2:
      return sigmoid(z);
    case 3:
      return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    case 4:
      return z * sigmoid(z);
    case 5:
      return z > 0 ? z : z <= MINUS_LN2 ? Math.exp(z) - 1 : Math.expm1(z);
    case 6:
      return Math.sin(z);
    default:
      return z;
  }
}

/** σ'(z), as src/core/models/activations.ts computes it. */
function dact(code: i32, z: f64): f64 {
  switch (code) {
    case 0: {
      const t = tanh1(z);
      return 1 - t * t;
    }
    case 1:
      return 1 / (1 + z * z);
    case 2: {
      const s = sigmoid(z);
      return s * (1 - s);
    }
    case 3:
      return sigmoid(z);
    case 4: {
      const s = sigmoid(z);
      return s + z * s * (1 - s);
    }
    case 5:
      return z > 0 ? 1 : Math.exp(z);
    case 6:
      return Math.cos(z);
    default:
      return 1;
  }
}

/**
 * σ(z) by activation code other than tanh (a tanh layer is tanhLayer's), with σ'(z) stored at
 * `dz` — from the same transcendental where both use it (sigmoid, swish, ELU's exp): the values
 * of act and dact.
 */
@inline
function actBoth(code: i32, z: f64, dz: usize): f64 {
  if (code == 5) {
    // ELU: σ' = exp(z), and σ from the same exp where that is within an ulp (MINUS_LN2)
    if (z > 0) {
      store<f64>(dz, 1.0);
      return z;
    }
    const e = Math.exp(z);
    store<f64>(dz, e);
    return z <= MINUS_LN2 ? e - 1 : Math.expm1(z);
  }
  if (code == 2 || code == 4) {
    const sg = sigmoid(z);
    store<f64>(dz, code == 2 ? sg * (1 - sg) : sg + z * sg * (1 - sg));
    return code == 2 ? sg : z * sg;
  }
  store<f64>(dz, dact(code, z));
  return act(code, z);
}

/**
 * a = tanh(z) for a layer of n units (and σ'(z) = 1 − a² into dz when `deriv`), two units per
 * SIMD call (tanh.ts); an odd last unit goes through the same call in lane 0.
 */
@inline
function tanhLayer(z: usize, a: usize, dz: usize, n: i32, deriv: bool): void {
  const one = f64x2.splat(1.0);
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const o = (<usize>i) << 3;
    const t = tanh2(v128.load(z + o));
    v128.store(a + o, t);
    if (deriv) v128.store(dz + o, f64x2.sub(one, f64x2.mul(t, t)));
  }
  if (n & 1) {
    const o = (<usize>n2) << 3;
    const t = tanh1(load<f64>(z + o));
    store<f64>(a + o, t);
    if (deriv) store<f64>(dz + o, 1 - t * t);
  }
}

/** out[r] += MLP(a_0)_r (a_0 at the first layer's input address); σ'(z_l) kept when `deriv`. */
function mlpForwardAdd(d: usize, m: i32, theta: usize, out: usize, deriv: bool): void {
  const L = di(d, m + M_L);
  const code = di(d, m + M_ACT);
  for (let l = 1; l <= L; l++) {
    const cols = lay(d, m, l, L_IN);
    const rows = lay(d, m, l, L_OUT);
    const W = lay(d, m, l, L_W);
    const b = lay(d, m, l, L_B);
    const a = <usize>lay(d, m, l, L_A);
    const z = <usize>lay(d, m, l, L_Z);
    // z_i = b_i + Σ_j W_ij a_j, j in order: two rows per f64x2 (one lane each, the same
    // multiplies and adds as one row at a time), a_j loaded once for both.
    let i = 0;
    for (; i + 1 < rows; i += 2) {
      const r0 = theta + ((<usize>(W + i * cols)) << 3);
      const r1 = r0 + ((<usize>cols) << 3);
      const bi = theta + ((<usize>(b + i)) << 3);
      let sv = v128.load64_lane(bi + 8, v128.load64_splat(bi), 1);
      for (let j = 0; j < cols; j++) {
        const o = (<usize>j) << 3;
        const w = v128.load64_lane(r1 + o, v128.load64_splat(r0 + o), 1);
        sv = f64x2.add(sv, f64x2.mul(w, v128.load64_splat(a + o)));
      }
      v128.store(z + ((<usize>i) << 3), sv);
    }
    if (i < rows) {
      let s = ld(theta, b + i);
      const ro = W + i * cols;
      for (let j = 0; j < cols; j++) s += ld(theta, ro + j) * ld(a, j);
      st(z, i, s);
    }
    if (l < L) {
      const next = <usize>lay(d, m, l + 1, L_A);
      const dz = <usize>lay(d, m, l, L_DZ);
      if (code == 0) tanhLayer(z, next, dz, rows, deriv);
      else if (deriv) for (let i = 0; i < rows; i++) st(next, i, actBoth(code, ld(z, i), dz + ((<usize>i) << 3)));
      else for (let i = 0; i < rows; i++) st(next, i, act(code, ld(z, i)));
    }
  }
  const zL = <usize>lay(d, m, L, L_Z);
  const nOut = di(d, m + M_NOUT);
  for (let r = 0; r < nOut; r++) st(out, r, ld(out, r) + ld(zL, r));
}

/**
 * After mlpForwardAdd(deriv): Δ_l by the backward recursion, then
 *   dx[r·nx + j] += ∂m_r/∂v_j (j < nx),  du[r·nu + j − nx] += ∂m_r/∂v_j (nx ≤ j < nIn),
 *   dθ[r·nθ + …] = ∂m_r/∂θ on this MLP's blocks.
 */
function mlpDerivatives(
  d: usize, m: i32, theta: usize, nTheta: i32, nx: i32, nu: i32, dx: usize, du: usize, dth: usize,
): void {
  const L = di(d, m + M_L);
  const nOut = di(d, m + M_NOUT);
  // Δ_L = I, Δ_{L−1} = W_L diag(σ'(z_{L−1})), Δ_{l} = Δ_{l+1} W_{l+1} diag(σ'(z_l)).
  // (Δ_L is only read for l < L − 1.)
  const dL = <usize>lay(d, m, L, L_DELTA);
  if (L > 2) for (let r = 0; r < nOut; r++) for (let c = 0; c < nOut; c++) st(dL, r * nOut + c, r == c ? 1.0 : 0.0);
  for (let l = L - 1; l >= 1; l--) {
    const W = lay(d, m, l + 1, L_W);
    const rows = lay(d, m, l + 1, L_OUT);
    const cols = lay(d, m, l + 1, L_IN);
    const dn = <usize>lay(d, m, l + 1, L_DELTA);
    const dp = <usize>lay(d, m, l, L_DELTA);
    const dz = <usize>lay(d, m, l, L_DZ);
    if (l == L - 1) {
      const c2 = cols & ~1;
      for (let r = 0; r < nOut; r++) {
        const wr = theta + ((<usize>(W + r * cols)) << 3);
        const pr = dp + (((<usize>r) * <usize>cols) << 3);
        for (let j = 0; j < c2; j += 2) {
          const o = (<usize>j) << 3;
          v128.store(pr + o, f64x2.mul(v128.load(wr + o), v128.load(dz + o)));
        }
        if (cols & 1) st(pr, c2, ld(wr, c2) * ld(dz, c2));
      }
    } else {
      for (let r = 0; r < nOut; r++)
        for (let j = 0; j < cols; j++) {
          let s = 0.0;
          for (let i = 0; i < rows; i++) s += ld(dn, r * rows + i) * ld(theta, W + i * cols + j);
          st(dp, r * cols + j, s * ld(dz, j));
        }
    }
  }
  // ∂m/∂v = Δ_1 W_1: per row r, the sums over i (in order, from 0) two input columns at a time.
  const W1 = lay(d, m, 1, L_W);
  const h1 = lay(d, m, 1, L_OUT);
  const nIn = lay(d, m, 1, L_IN);
  const d1 = <usize>lay(d, m, 1, L_DELTA);
  const w1 = theta + ((<usize>W1) << 3);
  const inStride = (<usize>nIn) << 3;
  const in2 = nIn & ~1;
  let r = 0;
  // Two rows at a time (two independent sums, one load of each W_1 pair).
  for (; r + 1 < nOut; r += 2) {
    const dr = d1 + (((<usize>r) * <usize>h1) << 3);
    const dr1 = dr + ((<usize>h1) << 3);
    const dxr = dx + (((<usize>r) * <usize>nx) << 3);
    const dxr1 = dxr + ((<usize>nx) << 3);
    const dur = du + (((<usize>r) * <usize>nu - <usize>nx) << 3); // du row r, indexed by j ≥ nx
    const dur1 = dur + ((<usize>nu) << 3);
    for (let j = 0; j < in2; j += 2) {
      let acc = f64x2.splat(0);
      let acc1 = f64x2.splat(0);
      let w = w1 + ((<usize>j) << 3);
      for (let i = 0; i < h1; i++) {
        const wv = v128.load(w);
        const io = (<usize>i) << 3;
        acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(dr + io), wv));
        acc1 = f64x2.add(acc1, f64x2.mul(v128.load64_splat(dr1 + io), wv));
        w += inStride;
      }
      if (j + 1 < nx) {
        const q = dxr + ((<usize>j) << 3);
        v128.store(q, f64x2.add(v128.load(q), acc));
        const q1 = dxr1 + ((<usize>j) << 3);
        v128.store(q1, f64x2.add(v128.load(q1), acc1));
      } else {
        addTo(j < nx ? dxr : dur, j, f64x2.extract_lane(acc, 0));
        addTo(dur, j + 1, f64x2.extract_lane(acc, 1));
        addTo(j < nx ? dxr1 : dur1, j, f64x2.extract_lane(acc1, 0));
        addTo(dur1, j + 1, f64x2.extract_lane(acc1, 1));
      }
    }
    if (nIn & 1) {
      const j = in2;
      let s = 0.0;
      let s1 = 0.0;
      for (let i = 0; i < h1; i++) {
        const wv = ld(w1, i * nIn + j);
        s += ld(dr, i) * wv;
        s1 += ld(dr1, i) * wv;
      }
      addTo(j < nx ? dxr : dur, j, s);
      addTo(j < nx ? dxr1 : dur1, j, s1);
    }
  }
  for (; r < nOut; r++) {
    const dr = d1 + (((<usize>r) * <usize>h1) << 3);
    const dxr = dx + (((<usize>r) * <usize>nx) << 3);
    const dur = du + (((<usize>r) * <usize>nu - <usize>nx) << 3); // du row r, indexed by j ≥ nx
    for (let j = 0; j < in2; j += 2) {
      let acc = f64x2.splat(0);
      let w = w1 + ((<usize>j) << 3);
      for (let i = 0; i < h1; i++) {
        acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(dr + ((<usize>i) << 3)), v128.load(w)));
        w += inStride;
      }
      if (j + 1 < nx) {
        const q = dxr + ((<usize>j) << 3);
        v128.store(q, f64x2.add(v128.load(q), acc));
      } else {
        addTo(j < nx ? dxr : dur, j, f64x2.extract_lane(acc, 0));
        addTo(dur, j + 1, f64x2.extract_lane(acc, 1));
      }
    }
    if (nIn & 1) {
      const j = in2;
      let s = 0.0;
      for (let i = 0; i < h1; i++) s += ld(dr, i) * ld(w1, i * nIn + j);
      addTo(j < nx ? dxr : dur, j, s);
    }
  }
  // ∂m_r/∂(W_l)_ij = (Δ_l)_ri a_{l−1,j},  ∂m_r/∂(b_l)_i = (Δ_l)_ri. For the last layer
  // (Δ_L = I) only the entries i = r, which are not zero.
  {
    const cols = lay(d, m, L, L_IN);
    const W = lay(d, m, L, L_W);
    const b = lay(d, m, L, L_B);
    const a = <usize>lay(d, m, L, L_A);
    for (let r = 0; r < nOut; r++) {
      const row = r * nTheta;
      copy(dth + ((<usize>(row + W + r * cols)) << 3), a, cols);
      st(dth, row + b + r, 1.0);
    }
  }
  for (let l = 1; l < L; l++) {
    const rows = lay(d, m, l, L_OUT);
    const cols = lay(d, m, l, L_IN);
    const W = lay(d, m, l, L_W);
    const b = lay(d, m, l, L_B);
    const a = <usize>lay(d, m, l, L_A);
    const dl = <usize>lay(d, m, l, L_DELTA);
    const c2 = cols & ~1;
    for (let r = 0; r < nOut; r++) {
      const row = r * nTheta;
      const dlr = dl + (((<usize>r) * <usize>rows) << 3);
      let q = dth + ((<usize>(row + W)) << 3);
      for (let i = 0; i < rows; i++) {
        const dri = ld(dlr, i);
        const dv = f64x2.splat(dri);
        for (let j = 0; j < c2; j += 2) {
          const o = (<usize>j) << 3;
          v128.store(q + o, f64x2.mul(dv, v128.load(a + o)));
        }
        if (cols & 1) st(q, c2, dri * ld(a, c2));
        q += (<usize>cols) << 3;
      }
      copy(dth + ((<usize>(row + b)) << 3), dlr, rows);
    }
  }
}

/** p[i] += v. */
@inline
function addTo(p: usize, i: i32, v: f64): void {
  const q = p + ((<usize>i) << 3);
  store<f64>(q, load<f64>(q) + v);
}

/** out[i] = Σ_j P_ij x_j + Σ_j Q_ij u_j for i < rows (P: rows × nx at θ[p], Q: rows × nu at θ[q]). */
function affine(theta: usize, p: i32, q: i32, x: usize, u: usize, nx: i32, nu: i32, rows: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    let s = 0.0;
    if (p >= 0) for (let j = 0; j < nx; j++) s += ld(theta, p + i * nx + j) * ld(x, j);
    if (q >= 0) for (let j = 0; j < nu; j++) s += ld(theta, q + i * nu + j) * ld(u, j);
    st(out, i, s);
  }
}

/**
 * ∂/∂x = P, ∂/∂u = Q (zero when absent), and the non-zero entries of the P and Q blocks of dθ's
 * rows: ∂out_i/∂P_{ij} = x_j, ∂out_i/∂Q_{ij} = u_j (the entries i' ≠ i are zero, written once
 * per block by the caller). Copies of rows, two entries per SIMD store.
 */
function linearDerivatives(
  theta: usize, p: i32, q: i32, x: usize, u: usize, nx: i32, nu: i32, rows: i32,
  dx: usize, du: usize, dth: usize, nTheta: i32,
): void {
  if (p >= 0) copy(dx, theta + ((<usize>p) << 3), rows * nx);
  else zero(dx, rows * nx);
  if (q >= 0) copy(du, theta + ((<usize>q) << 3), rows * nu);
  else zero(du, rows * nu);
  for (let i = 0; i < rows; i++) {
    const row = dth + (((<usize>i) * <usize>nTheta) << 3);
    if (p >= 0) copy(row + ((<usize>(p + i * nx)) << 3), x, nx);
    if (q >= 0) copy(row + ((<usize>(q + i * nu)) << 3), u, nu);
  }
}

/** [x; u] into the input scratch v. */
@inline
function loadInput(d: usize, x: usize, u: usize): void {
  const nx = di(d, NX);
  const nu = di(d, NU);
  const v = da(d, V);
  for (let i = 0; i < nx; i++) st(v, i, ld(x, i));
  for (let j = 0; j < nu; j++) st(v, nx + j, ld(u, j));
}

/** One step without derivatives: xn = f(x, u) (desc's XN), y = g(x, u). */
export function rnnStep(d: usize, theta: usize, x: usize, u: usize, y: usize): void {
  const nx = di(d, NX);
  const nu = di(d, NU);
  const ny = di(d, NY);
  loadInput(d, x, u);
  const xn = da(d, XN);
  const sm = di(d, STATE_MLP);
  const om = di(d, OUTPUT_MLP);
  if (nx > 0) {
    affine(theta, di(d, A_OFF), di(d, B_OFF), x, u, nx, nu, nx, xn);
    if (sm >= 0) mlpForwardAdd(d, sm, theta, xn, false);
  }
  const pre = da(d, PRE);
  affine(theta, di(d, C_OFF), di(d, D_OFF), x, u, nx, nu, ny, pre);
  if (om >= 0) mlpForwardAdd(d, om, theta, pre, false);
  const fin = di(d, FINAL);
  for (let r = 0; r < ny; r++) st(y, r, fin == 1 ? sigmoid(ld(pre, r)) : ld(pre, r));
}

/**
 * One step with its derivatives into the table's arrays: XN, Y, FX, FU, GX, GU, and the entries
 * of FT and GT that can be non-zero. The others (the columns of the other map's blocks, the
 * off-row entries of A, B, C, D and of the last layers' W and b) are never written: the caller
 * zeroes FT and GT once (before a block of samples).
 */
export function rnnJacobians(d: usize, theta: usize, x: usize, u: usize): void {
  const nx = di(d, NX);
  const nu = di(d, NU);
  const ny = di(d, NY);
  const nTheta = di(d, NTHETA);
  loadInput(d, x, u);
  const sm = di(d, STATE_MLP);
  const om = di(d, OUTPUT_MLP);
  if (nx > 0) {
    const xn = da(d, XN);
    const fx = da(d, FX);
    const fu = da(d, FU);
    const ft = da(d, FT);
    affine(theta, di(d, A_OFF), di(d, B_OFF), x, u, nx, nu, nx, xn);
    linearDerivatives(theta, di(d, A_OFF), di(d, B_OFF), x, u, nx, nu, nx, fx, fu, ft, nTheta);
    if (sm >= 0) {
      mlpForwardAdd(d, sm, theta, xn, true);
      mlpDerivatives(d, sm, theta, nTheta, nx, nu, fx, fu, ft);
    }
  }
  const gx = da(d, GX);
  const gu = da(d, GU);
  const gt = da(d, GT);
  const pre = da(d, PRE);
  affine(theta, di(d, C_OFF), di(d, D_OFF), x, u, nx, nu, ny, pre);
  linearDerivatives(theta, di(d, C_OFF), di(d, D_OFF), x, u, nx, nu, ny, gx, gu, gt, nTheta);
  if (om >= 0) {
    mlpForwardAdd(d, om, theta, pre, true);
    mlpDerivatives(d, om, theta, nTheta, nx, nu, gx, gu, gt);
  }
  const y = da(d, Y);
  const nf = di(d, NF);
  const fin = di(d, FINAL);
  for (let r = 0; r < ny; r++) {
    const p = ld(pre, r);
    if (fin != 1) {
      st(y, r, p);
      continue;
    }
    const s = sigmoid(p);
    st(y, r, s);
    const dp = s * (1 - s);
    for (let j = 0; j < nx; j++) st(gx, r * nx + j, ld(gx, r * nx + j) * dp);
    for (let j = 0; j < nu; j++) st(gu, r * nu + j, ld(gu, r * nu + j) * dp);
    for (let j = nf; j < nTheta; j++) st(gt, r * nTheta + j, ld(gt, r * nTheta + j) * dp);
  }
}


