/**
 * A small expression IR for custom model equations: numbers, states x_i, inputs u_j, parameters
 * θ_k, + − × ÷ ^, unary minus and smooth functions. Exact derivatives by symbolic
 * differentiation (with constant folding), compiled to closures — never finite differences.
 * The IR is plain JSON, so a model can be sent to a worker and rebuilt there.
 */
import { NailsError } from '../errors.js';

export type FuncName = 'sin' | 'cos' | 'tanh' | 'exp' | 'log' | 'sqrt' | 'sigmoid';
export const FUNCTIONS: readonly FuncName[] = [
  'sin',
  'cos',
  'tanh',
  'exp',
  'log',
  'sqrt',
  'sigmoid',
];

export type Expr =
  | { k: 'num'; v: number }
  | { k: 'x'; i: number }
  | { k: 'u'; i: number }
  | { k: 'p'; i: number }
  | { k: 'neg'; a: Expr }
  | { k: 'add' | 'sub' | 'mul' | 'div' | 'pow'; a: Expr; b: Expr }
  | { k: 'call'; f: FuncName; a: Expr };

export type Variable = { k: 'x' | 'u' | 'p'; i: number };

const num = (v: number): Expr => ({ k: 'num', v });
const isNum = (e: Expr, v?: number): e is { k: 'num'; v: number } =>
  e.k === 'num' && (v === undefined || e.v === v);

/** Builders with constant folding and the identities 0 + a = a, 1·a = a, 0·a = 0, a^1 = a. */
export function add(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.v + b.v);
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  return { k: 'add', a, b };
}
export function sub(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.v - b.v);
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return neg(b);
  return { k: 'sub', a, b };
}
export function mul(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.v * b.v);
  if (isNum(a, 0) || isNum(b, 0)) return num(0);
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  return { k: 'mul', a, b };
}
export function div(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b) && b.v !== 0) return num(a.v / b.v);
  if (isNum(a, 0)) return num(0);
  if (isNum(b, 1)) return a;
  return { k: 'div', a, b };
}
export function pow(a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return num(a.v ** b.v);
  if (isNum(b, 0)) return num(1);
  if (isNum(b, 1)) return a;
  return { k: 'pow', a, b };
}
export function neg(a: Expr): Expr {
  if (isNum(a)) return num(-a.v);
  if (a.k === 'neg') return a.a;
  return { k: 'neg', a };
}
export function call(f: FuncName, a: Expr): Expr {
  if (isNum(a)) return num(applyFunc(f, a.v));
  return { k: 'call', f, a };
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function applyFunc(f: FuncName, v: number): number {
  switch (f) {
    case 'sin':
      return Math.sin(v);
    case 'cos':
      return Math.cos(v);
    case 'tanh':
      return Math.tanh(v);
    case 'exp':
      return Math.exp(v);
    case 'log':
      return Math.log(v);
    case 'sqrt':
      return Math.sqrt(v);
    case 'sigmoid':
      return sigmoid(v);
  }
}

/** ∂e/∂v, simplified. */
export function diff(e: Expr, v: Variable): Expr {
  switch (e.k) {
    case 'num':
      return num(0);
    case 'x':
    case 'u':
    case 'p':
      return num(e.k === v.k && e.i === v.i ? 1 : 0);
    case 'neg':
      return neg(diff(e.a, v));
    case 'add':
      return add(diff(e.a, v), diff(e.b, v));
    case 'sub':
      return sub(diff(e.a, v), diff(e.b, v));
    case 'mul':
      return add(mul(diff(e.a, v), e.b), mul(e.a, diff(e.b, v)));
    case 'div': {
      // (a/b)' = a'/b − a b'/b²
      const da = diff(e.a, v);
      const db = diff(e.b, v);
      return sub(div(da, e.b), div(mul(e.a, db), mul(e.b, e.b)));
    }
    case 'pow': {
      const da = diff(e.a, v);
      const db = diff(e.b, v);
      if (isNum(db, 0)) {
        // (a^c)' = c a^(c−1) a'
        return mul(mul(e.b, pow(e.a, sub(e.b, num(1)))), da);
      }
      // (a^b)' = a^b (b' ln a + b a'/a)
      return mul(e, add(mul(db, call('log', e.a)), div(mul(e.b, da), e.a)));
    }
    case 'call': {
      const da = diff(e.a, v);
      if (isNum(da, 0)) return num(0);
      const a = e.a;
      let outer: Expr;
      switch (e.f) {
        case 'sin':
          outer = call('cos', a);
          break;
        case 'cos':
          outer = neg(call('sin', a));
          break;
        case 'tanh':
          outer = sub(num(1), pow(call('tanh', a), num(2)));
          break;
        case 'exp':
          outer = call('exp', a);
          break;
        case 'log':
          outer = div(num(1), a);
          break;
        case 'sqrt':
          outer = div(num(0.5), call('sqrt', a));
          break;
        case 'sigmoid':
          outer = mul(call('sigmoid', a), sub(num(1), call('sigmoid', a)));
          break;
      }
      return mul(outer, da);
    }
  }
}

const MATH: Record<Exclude<FuncName, 'sigmoid'>, (v: number) => number> = {
  sin: (v) => Math.sin(v),
  cos: (v) => Math.cos(v),
  tanh: (v) => Math.tanh(v),
  exp: (v) => Math.exp(v),
  log: (v) => Math.log(v),
  sqrt: (v) => Math.sqrt(v),
};

/** Evaluates with x (nx), u[uOff..], θ. */
export type Compiled = (x: Float64Array, u: Float64Array, uOff: number, p: Float64Array) => number;

/** Compiles an expression to a closure tree (no eval). */
export function compile(e: Expr): Compiled {
  switch (e.k) {
    case 'num': {
      const v = e.v;
      return () => v;
    }
    case 'x': {
      const i = e.i;
      return (x) => x[i]!;
    }
    case 'u': {
      const i = e.i;
      return (_x, u, o) => u[o + i]!;
    }
    case 'p': {
      const i = e.i;
      return (_x, _u, _o, p) => p[i]!;
    }
    case 'neg': {
      const a = compile(e.a);
      return (x, u, o, p) => -a(x, u, o, p);
    }
    case 'call': {
      const a = compile(e.a);
      const f = e.f;
      if (f === 'sigmoid') return (x, u, o, p) => sigmoid(a(x, u, o, p));
      const m: (v: number) => number = MATH[f];
      return (x, u, o, p) => m(a(x, u, o, p));
    }
    default: {
      const a = compile(e.a);
      const b = compile(e.b);
      switch (e.k) {
        case 'add':
          return (x, u, o, p) => a(x, u, o, p) + b(x, u, o, p);
        case 'sub':
          return (x, u, o, p) => a(x, u, o, p) - b(x, u, o, p);
        case 'mul':
          return (x, u, o, p) => a(x, u, o, p) * b(x, u, o, p);
        case 'div':
          return (x, u, o, p) => a(x, u, o, p) / b(x, u, o, p);
        case 'pow':
          if (isNum(e.b, 2))
            return (x, u, o, p) => {
              const v = a(x, u, o, p);
              return v * v;
            };
          if (isNum(e.b, 3))
            return (x, u, o, p) => {
              const v = a(x, u, o, p);
              return v * v * v;
            };
          return (x, u, o, p) => a(x, u, o, p) ** b(x, u, o, p);
      }
    }
  }
}

/**
 * Variables used by an expression (for dimension checks and to know which derivatives can be
 * nonzero: ∂e/∂v of a variable e does not contain simplifies to 0, as every builder folds a zero).
 */
export function variables(e: Expr, out: Variable[] = []): Variable[] {
  if (e.k === 'x' || e.k === 'u' || e.k === 'p') out.push({ k: e.k, i: e.i });
  else if (e.k === 'neg' || e.k === 'call') variables(e.a, out);
  else if (e.k !== 'num') {
    variables(e.a, out);
    variables(e.b, out);
  }
  return out;
}

/** Checks that every index is inside the model's dimensions. */
export function checkExpr(
  e: Expr,
  dims: { nx: number; nu: number; np: number },
  where: string,
): void {
  for (const v of variables(e)) {
    const n = v.k === 'x' ? dims.nx : v.k === 'u' ? dims.nu : dims.np;
    if (!(Number.isInteger(v.i) && v.i >= 0 && v.i < n)) {
      throw new NailsError(
        `${where}: ${v.k}${v.i + 1} is outside the model (${n} ${v.k === 'x' ? 'states' : v.k === 'u' ? 'inputs' : 'parameters'})`,
        where,
      );
    }
  }
}
