/**
 * A minimal protocol-buffers writer for the subset of the ONNX schema that our exports use
 * (onnx/onnx.proto, https://github.com/onnx/onnx/blob/main/onnx/onnx.proto): ModelProto,
 * OperatorSetIdProto, GraphProto, NodeProto, AttributeProto (float, int, ints, graph), TensorProto
 * (float32 and int64 data), ValueInfoProto with tensor types and shapes, StringStringEntryProto.
 *
 * Written by hand instead of depending on a protobuf library: the encoding needed is small —
 * varints (wire type 0), 32-bit floats (wire type 5) and length-delimited fields (wire type 2:
 * strings, bytes, packed repeated numbers, nested messages), see
 * https://protobuf.dev/programming-guides/encoding/ — and the result is checked by loading every
 * exported model in onnxruntime (test/core/onnx-export.test.ts).
 */

/** ONNX TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** A constant tensor (an initializer): `data` in row-major order, dims [] for a scalar. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export type OnnxAttribute =
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: number[] }
  | { name: string; kind: 'graph'; value: OnnxGraph };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: OnnxAttribute[] | undefined;
}

/** A graph input or output: element type and shape (a string is a symbolic dimension). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: (number | string)[];
  doc?: string | undefined;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  doc?: string | undefined;
}

export interface OnnxModel {
  irVersion: number;
  /** Version of the default ("ai.onnx") operator set. */
  opset: number;
  producerName: string;
  producerVersion: string;
  doc?: string | undefined;
  graph: OnnxGraph;
  /** ModelProto.metadata_props (key → value). */
  metadata: Record<string, string>;
}

/** Appends protobuf fields to a growing byte list. */
class Writer {
  private readonly bytes: number[] = [];

  private rawVarint(v: bigint): void {
    // int64 fields encode negative values as their 64-bit two's complement (10 bytes).
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }

  private tag(field: number, wire: 0 | 2 | 5): void {
    this.rawVarint(BigInt((field << 3) | wire));
  }

  varint(field: number, v: number | bigint): this {
    this.tag(field, 0);
    this.rawVarint(BigInt(v));
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes.push(...b);
    return this;
  }

  bytesField(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(BigInt(b.length));
    for (const x of b) this.bytes.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  /** Packed repeated int64 (one length-delimited field of varints). */
  packedVarints(field: number, vs: ArrayLike<number | bigint>): this {
    const w = new Writer();
    for (let i = 0; i < vs.length; i++) w.rawVarint(BigInt(vs[i]!));
    return this.bytesField(field, w.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian values). */
function tensor(t: OnnxTensor): Uint8Array {
  const w = new Writer();
  if (t.dims.length) w.packedVarints(1, t.dims);
  w.varint(2, t.data instanceof Float32Array ? ONNX_FLOAT : ONNX_INT64);
  w.string(8, t.name);
  const raw = new Uint8Array(t.data.byteLength);
  const view = new DataView(raw.buffer);
  t.data.forEach((v: number | bigint, i: number) => {
    if (typeof v === 'bigint') view.setBigInt64(8 * i, v, true);
    else view.setFloat32(4 * i, v, true);
  });
  return w.bytesField(9, raw).finish();
}

/**
 * ValueInfoProto {name = 1, type = 2, doc_string = 3}; TypeProto.tensor_type = 1;
 * TypeProto.Tensor {elem_type = 1, shape = 2}; TensorShapeProto.dim = 1;
 * Dimension {dim_value = 1, dim_param = 2}.
 */
function valueInfo(v: OnnxValueInfo): Uint8Array {
  const shape = new Writer();
  for (const d of v.shape) {
    const dim = new Writer();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    shape.bytesField(1, dim.finish());
  }
  const tensorType = new Writer().varint(1, v.elemType).bytesField(2, shape.finish());
  const type = new Writer().bytesField(1, tensorType.finish());
  const w = new Writer().string(1, v.name).bytesField(2, type.finish());
  if (v.doc) w.string(3, v.doc);
  return w.finish();
}

/**
 * AttributeProto {name = 1, f = 2, i = 3, g = 6, ints = 8, type = 20} with AttributeType
 * FLOAT = 1, INT = 2, GRAPH = 5, INTS = 7.
 */
function attribute(a: OnnxAttribute): Uint8Array {
  const w = new Writer().string(1, a.name);
  switch (a.kind) {
    case 'float':
      return w.float(2, a.value).varint(20, 1).finish();
    case 'int':
      return w.varint(3, a.value).varint(20, 2).finish();
    case 'graph':
      return w.bytesField(6, graph(a.value)).varint(20, 5).finish();
    case 'ints':
      for (const v of a.value) w.varint(8, v);
      return w.varint(20, 7).finish();
  }
}

/** NodeProto {input = 1, output = 2, name = 3, op_type = 4, attribute = 5}. */
function node(n: OnnxNode): Uint8Array {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const a of n.attributes ?? []) w.bytesField(5, attribute(a));
  return w.finish();
}

/** GraphProto {node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12}. */
function graph(g: OnnxGraph): Uint8Array {
  const w = new Writer();
  for (const n of g.nodes) w.bytesField(1, node(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.bytesField(5, tensor(t));
  if (g.doc) w.string(10, g.doc);
  for (const v of g.inputs) w.bytesField(11, valueInfo(v));
  for (const v of g.outputs) w.bytesField(12, valueInfo(v));
  return w.finish();
}

/**
 * ModelProto {ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6, graph = 7,
 * opset_import = 8, metadata_props = 14}; OperatorSetIdProto {domain = 1, version = 2};
 * StringStringEntryProto {key = 1, value = 2}.
 */
export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  const w = new Writer()
    .varint(1, m.irVersion)
    .string(2, m.producerName)
    .string(3, m.producerVersion);
  if (m.doc) w.string(6, m.doc);
  w.bytesField(7, graph(m.graph));
  w.bytesField(8, new Writer().string(1, '').varint(2, m.opset).finish());
  for (const [k, v] of Object.entries(m.metadata))
    w.bytesField(14, new Writer().string(1, k).string(2, v).finish());
  return w.finish();
}
