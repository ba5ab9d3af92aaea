/**
 * Exports a trained model as an ONNX model of its free-run simulator (opset 17, IR version 8):
 *
 *   inputs   u  float32 N × nu   inputs in engineering units (N symbolic)
 *            x0 float32 nx       initial state in the model's scaled state coordinates
 *                                (absent when nx = 0)
 *   outputs  y     float32 N × ny   ŷ in engineering units
 *            x_end float32 nx       x[N], the state after the last sample (absent when nx = 0)
 *
 * implementing, as src/core/simulate.ts and the C header (c-header.ts) do,
 *
 *   u_s[k] = (u[k] − μ_u) / σ_u,   x[0] = x0,
 *   ŷ_s[k] = g(x[k], u_s[k]),   x[k+1] = f(x[k], u_s[k]),   ŷ[k] = ŷ_s[k] · σ_y + μ_y
 *
 * with one `Scan` node over k (operator Scan-16, https://onnx.ai/onnx/operators/onnx__Scan.html)
 * whose body is one step (x, u_s[k]) → (x[k+1], ŷ_s[k]). Parameters are float32 initializers of
 * the body; arithmetic is float32. Operators used (https://onnx.ai/onnx/operators/): Sub, Div,
 * Mul, Add, Concat, MatMul (2-D matrix times 1-D vector, numpy semantics), the activations
 * Tanh, Atan, Sigmoid, Softplus, Elu (α = 1), Sin, and for custom models Gather (axis 0, scalar
 * index), Neg, Pow, Cos, Exp, Log, Sqrt, Reshape, Identity.
 */
import type { Scaling } from '../data/scaling.js';
import { NailsError } from '../errors.js';
import type { ActivationName } from '../models/activations.js';
import type { CustomModelConfig } from '../models/custom-model.js';
import type { Expr } from '../models/expression.js';
import type { Model } from '../models/model.js';
import type { StateSpaceNetConfig } from '../models/state-space-net.js';
import {
  encodeOnnxModel,
  ONNX_FLOAT,
  type OnnxAttribute,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from './onnx-proto.js';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/** Nodes and initializers of one graph, with fresh value names. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private count = 0;

  /** `prefix` keeps the body's names apart from the outer graph's (ONNX forbids shadowing). */
  constructor(private readonly prefix: string) {}

  fresh(base: string): string {
    return `${this.prefix}${base}_${this.count++}`;
  }

  /** A float32 constant of shape `dims` ([] for a scalar). */
  floats(base: string, values: ArrayLike<number>, dims: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data: Float32Array.from(values) });
    return name;
  }

  ints(base: string, values: number[], dims: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  }

  /** One node with one output; returns the output's name (`out` when given). */
  op(op: string, inputs: string[], attributes?: OnnxAttribute[], out?: string): string {
    const output = out ?? this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [output], name: this.fresh(`n_${op}`), attributes });
    return output;
  }

  /** Σ terms (the first term when there is one). */
  sum(terms: string[]): string {
    return terms.reduce((s, t) => this.op('Add', [s, t]));
  }
}

/** σ(z) as ONNX nodes; swish is z · Sigmoid(z) (no Swish operator in opset 17). */
function activate(g: GraphBuilder, act: ActivationName, z: string): string {
  switch (act) {
    case 'tanh':
      return g.op('Tanh', [z]);
    case 'atan':
      return g.op('Atan', [z]);
    case 'sigmoid':
      return g.op('Sigmoid', [z]);
    case 'softplus':
      return g.op('Softplus', [z]);
    case 'swish':
      return g.op('Mul', [z, g.op('Sigmoid', [z])]);
    case 'elu':
      return g.op('Elu', [z], [{ name: 'alpha', kind: 'float', value: 1 }]);
    case 'sin':
      return g.op('Sin', [z]);
    case 'identity':
      return z;
  }
}

/**
 * The step of a StateSpaceNet on 1-D vectors x (nx) and u (nu, scaled):
 *   x⁺ = A x + B u + MLP_f([x; u]),   ŷ_s = φ(C x + D u + MLP_g([x; u] or [x] or [u]))
 * with MLP(v) = W_L σ(… σ(W_1 v + b_1) …) + b_L (src/core/models/mlp.ts).
 * Returns the names of x⁺ (undefined when nx = 0) and ŷ_s.
 */
function netStep(
  g: GraphBuilder,
  model: Model,
  theta: Float64Array,
  x: string | undefined,
  u: string | undefined,
): { xNext: string | undefined; y: string } {
  const cfg = model.config as StateSpaceNetConfig;
  const { nx, nu } = model;
  const L = model.layout;
  const matrix = (name: string) => {
    const b = L.get(name);
    return g.floats(name, L.view(theta, name), [b.rows, b.cols]);
  };
  const mlp = (prefix: 'state' | 'output', act: ActivationName, input: string): string[] => {
    if (!L.has(`${prefix}.W1`)) return [];
    let a = input;
    for (let l = 1; L.has(`${prefix}.W${l}`); l++) {
      const bias = L.get(`${prefix}.b${l}`);
      const z = g.op('Add', [
        g.op('MatMul', [matrix(`${prefix}.W${l}`), a]),
        g.floats(`${prefix}.b${l}`, L.view(theta, bias.name), [bias.rows]),
      ]);
      a = L.has(`${prefix}.W${l + 1}`) ? activate(g, act, z) : z;
    }
    return [a];
  };
  let concat: string | undefined;
  const v = () =>
    x && u
      ? (concat ??= g.op('Concat', [x, u], [{ name: 'axis', kind: 'int', value: 0 }]))
      : (x ?? u);
  let xNext: string | undefined;
  if (nx > 0 && x) {
    const terms: string[] = [];
    if (L.has('A')) terms.push(g.op('MatMul', [matrix('A'), x]));
    if (L.has('B') && u) terms.push(g.op('MatMul', [matrix('B'), u]));
    if (L.has('state.W1')) terms.push(...mlp('state', cfg.state.activation, v()!));
    xNext = g.sum(terms);
  }
  const terms: string[] = [];
  if (L.has('C') && x) terms.push(g.op('MatMul', [matrix('C'), x]));
  if (L.has('D') && u) terms.push(g.op('MatMul', [matrix('D'), u]));
  const outIn = L.has('output.W1') ? L.get('output.W1').cols : 0;
  if (outIn > 0) {
    const input = outIn === nx + nu ? v() : x;
    if (!input) throw new NailsError('the output MLP reads no input', 'output');
    terms.push(...mlp('output', cfg.output.activation, input));
  }
  const pre = g.sum(terms);
  return { xNext, y: cfg.output.final === 'sigmoid' ? g.op('Sigmoid', [pre]) : pre };
}

const ONNX_FUNCTION: Record<string, string> = {
  sin: 'Sin',
  cos: 'Cos',
  tanh: 'Tanh',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  sigmoid: 'Sigmoid',
};

const ONNX_BINARY: Record<string, string> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  div: 'Div',
  pow: 'Pow',
};

/**
 * The step of a custom model: every equation f_i, g_r (src/core/models/expression.ts) on scalar
 * (0-D) tensors, x_i and u_j picked by Gather, θ_k as constants; the scalars are reshaped to [1]
 * and concatenated into x⁺ (nx) and ŷ_s (ny).
 */
function customStep(
  g: GraphBuilder,
  model: Model,
  theta: Float64Array,
  x: string | undefined,
  u: string | undefined,
): { xNext: string | undefined; y: string } {
  const cfg = model.config as CustomModelConfig;
  const picked = new Map<string, string>();
  const pick = (vec: string | undefined, k: 'x' | 'u', i: number) => {
    const key = `${k}${i}`;
    let name = picked.get(key);
    if (!name) {
      if (!vec) throw new NailsError(`the model reads ${k}${i + 1} but has no ${k}`, k);
      name = g.op(
        'Gather',
        [vec, g.ints(`${key}_index`, [i], [])],
        [{ name: 'axis', kind: 'int', value: 0 }],
      );
      picked.set(key, name);
    }
    return name;
  };
  const expr = (e: Expr): string => {
    switch (e.k) {
      case 'num':
        return g.floats('c', [e.v], []);
      case 'x':
        return pick(x, 'x', e.i);
      case 'u':
        return pick(u, 'u', e.i);
      case 'p':
        return g.floats(cfg.parameters[e.i]?.name ?? 'p', [theta[e.i]!], []);
      case 'neg':
        return g.op('Neg', [expr(e.a)]);
      case 'call':
        return g.op(ONNX_FUNCTION[e.f]!, [expr(e.a)]);
      default:
        return g.op(ONNX_BINARY[e.k]!, [expr(e.a), expr(e.b)]);
    }
  };
  const shape1 = g.ints('shape1', [1], [1]);
  const vector = (eqs: Expr[]) =>
    g.op(
      'Concat',
      eqs.map((e) => g.op('Reshape', [expr(e), shape1])),
      [{ name: 'axis', kind: 'int', value: 0 }],
    );
  return { xNext: cfg.state.length ? vector(cfg.state) : undefined, y: vector(cfg.output) };
}

/** The ONNX bytes of the simulator of `model` at θ, with its scaling and string metadata. */
export function modelToOnnx(o: {
  model: Model;
  theta: Float64Array;
  scaling: Scaling;
  name: string;
  doc?: string;
  metadata?: Record<string, string>;
  producerVersion?: string;
}): Uint8Array {
  const { model, theta, scaling } = o;
  const { nx, nu, ny } = model;
  if (nu === 0)
    throw new NailsError(
      'a model without inputs cannot be exported to ONNX: the simulator reads N from u',
      'nu',
    );
  if (theta.length !== model.nTheta)
    throw new NailsError(
      `theta has ${theta.length} entries but the model has ${model.nTheta} parameters`,
      'theta',
    );
  // The body: one step on x (nx) and the scaled u_s[k] (nu).
  const body = new GraphBuilder('step/');
  const step = (model.config.kind === 'custom' ? customStep : netStep)(
    body,
    model,
    theta,
    nx > 0 ? 'x' : undefined,
    'u_k',
  );
  const bodyOutputs = [];
  if (nx > 0) {
    if (!step.xNext) throw new NailsError('the model has states but no state map', 'state');
    body.op('Identity', [step.xNext], undefined, 'x_next');
    bodyOutputs.push({ name: 'x_next', elemType: ONNX_FLOAT, shape: [nx] });
  }
  body.op('Identity', [step.y], undefined, 'y_k');
  bodyOutputs.push({ name: 'y_k', elemType: ONNX_FLOAT, shape: [ny] });
  const bodyGraph: OnnxGraph = {
    name: 'step',
    nodes: body.nodes,
    initializers: body.initializers,
    inputs: [
      ...(nx > 0 ? [{ name: 'x', elemType: ONNX_FLOAT, shape: [nx] }] : []),
      { name: 'u_k', elemType: ONNX_FLOAT, shape: [nu] },
    ],
    outputs: bodyOutputs,
  };
  // The main graph: scale u, scan the step over k, unscale ŷ.
  const main = new GraphBuilder('sim/');
  const us = main.op('Div', [
    main.op('Sub', ['u', main.floats('u_mean', scaling.uMean, [nu])]),
    main.floats('u_std', scaling.uStd, [nu]),
  ]);
  const ys = main.fresh('y_scaled');
  main.nodes.push({
    op: 'Scan',
    name: 'simulate',
    inputs: [...(nx > 0 ? ['x0'] : []), us],
    outputs: [...(nx > 0 ? ['x_end'] : []), ys],
    attributes: [
      { name: 'body', kind: 'graph', value: bodyGraph },
      { name: 'num_scan_inputs', kind: 'int', value: 1 },
    ],
  });
  main.op(
    'Add',
    [
      main.op('Mul', [ys, main.floats('y_std', scaling.yStd, [ny])]),
      main.floats('y_mean', scaling.yMean, [ny]),
    ],
    undefined,
    'y',
  );
  const graph: OnnxGraph = {
    name: o.name,
    nodes: main.nodes,
    initializers: main.initializers,
    inputs: [
      {
        name: 'u',
        elemType: ONNX_FLOAT,
        shape: ['N', nu],
        doc: 'inputs in engineering units, N × nu',
      },
      ...(nx > 0
        ? [
            {
              name: 'x0',
              elemType: ONNX_FLOAT,
              shape: [nx],
              doc: 'initial state in the model’s scaled state coordinates, nx',
            },
          ]
        : []),
    ],
    outputs: [
      {
        name: 'y',
        elemType: ONNX_FLOAT,
        shape: ['N', ny],
        doc: 'outputs in engineering units, N × ny',
      },
      ...(nx > 0
        ? [{ name: 'x_end', elemType: ONNX_FLOAT, shape: [nx], doc: 'state after the last sample' }]
        : []),
    ],
    doc: o.doc,
  };
  return encodeOnnxModel({
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'NAILS Studio',
    producerVersion: o.producerVersion ?? '',
    doc: o.doc,
    graph,
    metadata: o.metadata ?? {},
  });
}
