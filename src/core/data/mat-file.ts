/**
 * Reader for MATLAB Level-5 MAT-files (the format of MATLAB v5 to v7, with or without zlib
 * compression), from bytes. Numeric and logical arrays come back as `Float64Array` in MATLAB's
 * column-major order whatever the storage type (MATLAB stores doubles compactly as uint8/uint16
 * when the values allow; the class says what they mean). Char arrays come back as strings, structs
 * and cells recursively. v7.3 files are HDF5 and get an error that says how to re-save them.
 *
 * Format: "MATLAB 5.0 MAT-File Format" (The MathWorks, 1999–2023), sections 1-5 to 1-27.
 */
import { unzlibSync } from 'fflate';
import { NailsError } from '../errors.js';
import { printable } from './text-cells.js';

/** A numeric or logical array: `dims` as in MATLAB, `re` (and `im` if complex) column-major. */
export interface MatNumeric {
  kind: 'numeric';
  name: string;
  className: MatClass;
  dims: number[];
  re: Float64Array;
  im?: Float64Array;
  logical: boolean;
}
export interface MatChar {
  kind: 'char';
  name: string;
  dims: number[];
  text: string;
}
export interface MatStruct {
  kind: 'struct';
  name: string;
  dims: number[];
  /** One record per element (column-major), field name → value. */
  elements: Map<string, MatValue>[];
}
export interface MatCell {
  kind: 'cell';
  name: string;
  dims: number[];
  elements: MatValue[];
}
/** Classes the reader keeps as opaque (sparse, objects, function handles). */
export interface MatOther {
  kind: 'unsupported';
  name: string;
  dims: number[];
  className: string;
}
export type MatValue = MatNumeric | MatChar | MatStruct | MatCell | MatOther;

export type MatClass =
  | 'double'
  | 'single'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

const CLASS_NAMES: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
  16: 'function',
  17: 'opaque',
};

// Data types of data elements (miINT8 = 1, …).
const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;
const MI_UTF16 = 17;
const MI_UTF32 = 18;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

interface Element {
  type: number;
  start: number;
  length: number;
}

/**
 * Parses a whole MAT-file. `source` names the file in error messages.
 * @returns variables by name, in file order.
 */
export function readMatFile(bytes: Uint8Array, source = 'MAT-file'): Map<string, MatValue> {
  if (bytes.length < 128) {
    throw new NailsError(
      `${source}: only ${bytes.length} bytes, too short for a MAT-file header (128 bytes); the file is truncated or not a MAT-file`,
      source,
    );
  }
  const headerText = new TextDecoder('latin1').decode(bytes.subarray(0, 116));
  if (isHdf5(bytes) || /MATLAB 7\.3 MAT-file/.test(headerText)) {
    throw new NailsError(
      `${source} is a MATLAB v7.3 (HDF5) MAT-file, which is not supported; re-save it in MATLAB with save('file.mat', '-v7') (or -v6), or export the variables to CSV`,
      source,
    );
  }
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') {
    throw new NailsError(
      `${source} is not a MATLAB v5–v7 MAT-file (no endian indicator in its header); save it with save('file.mat', '-v7') or export to CSV`,
      source,
    );
  }
  const reader = new Reader(bytes, endian === 'IM', source);
  const variables = new Map<string, MatValue>();
  let pos = 128;
  while (pos + 8 <= bytes.length) {
    const el = reader.tag(pos);
    const next = el.type === MI_COMPRESSED ? el.start + el.length : pad8(el.start + el.length);
    reader.ensure(el.start + el.length, 'data element');
    if (el.type === MI_COMPRESSED) {
      let inner: Uint8Array;
      try {
        inner = unzlibSync(bytes.subarray(el.start, el.start + el.length));
      } catch (e) {
        throw new NailsError(
          `${source}: a compressed variable at byte ${pos} cannot be decompressed (${(e as Error).message}); the file is damaged or truncated`,
          source,
        );
      }
      const sub = new Reader(inner, reader.littleEndian, source);
      const innerEl = sub.tag(0);
      sub.ensure(innerEl.start + innerEl.length, 'compressed data element');
      if (innerEl.type === MI_MATRIX && innerEl.length > 0) {
        const value = sub.matrix(innerEl);
        variables.set(value.name, value);
      }
    } else if (el.type === MI_MATRIX && el.length > 0) {
      const value = reader.matrix(el);
      variables.set(value.name, value);
    }
    pos = next;
  }
  return variables;
}

function isHdf5(bytes: Uint8Array): boolean {
  if (bytes.length < 520) return false;
  return HDF5_SIGNATURE.every((b, i) => bytes[512 + i] === b);
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

class Reader {
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
    private readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  ensure(end: number, what: string): void {
    if (end > this.bytes.length) {
      throw new NailsError(
        `${this.source} is truncated: a ${what} needs ${end} bytes but the file has ${this.bytes.length}; copy the file again`,
        this.source,
      );
    }
  }

  /** Reads the tag at `pos` (normal 8-byte or small 4-byte form). */
  tag(pos: number): Element {
    this.ensure(pos + 8, 'data element tag');
    const first = this.view.getUint32(pos, this.littleEndian);
    if (first >>> 16 !== 0) {
      // Small data element: 2 bytes size, 2 bytes type, up to 4 bytes of data.
      return { type: first & 0xffff, length: first >>> 16, start: pos + 4 };
    }
    return { type: first, length: this.view.getUint32(pos + 4, this.littleEndian), start: pos + 8 };
  }

  /** The sub-elements of a matrix, in order. */
  private children(el: Element): Element[] {
    const out: Element[] = [];
    let pos = el.start;
    const end = el.start + el.length;
    while (pos + 4 <= end) {
      const child = this.tag(pos);
      if (child.start + child.length > end) {
        throw new NailsError(
          `${this.source}: a variable's data runs past its own end; the file is damaged`,
          this.source,
        );
      }
      out.push(child);
      pos = child.start === pos + 4 ? pos + 8 : pad8(child.start + child.length);
    }
    return out;
  }

  /** Decodes an miMATRIX element. */
  matrix(el: Element, fieldName?: string): MatValue {
    const parts = this.children(el);
    const [flagsEl, dimsEl, nameEl] = parts;
    if (!flagsEl || !dimsEl || !nameEl) {
      throw new NailsError(
        `${this.source}: a variable has an incomplete header; the file is damaged`,
        this.source,
      );
    }
    const flags = this.view.getUint32(flagsEl.start, this.littleEndian);
    const classCode = flags & 0xff;
    const complex = (flags & 0x0800) !== 0;
    const logical = (flags & 0x0200) !== 0;
    const dims = Array.from(this.numbers(dimsEl));
    const name = fieldName ?? this.text(nameEl);
    const className = CLASS_NAMES[classCode] ?? `class ${classCode}`;
    const count = dims.reduce((a, b) => a * b, 1);
    if (classCode >= 6 && classCode <= 15) {
      const reEl = parts[3];
      const re = reEl ? this.numbers(reEl) : new Float64Array(0);
      if (re.length !== count) {
        throw new NailsError(
          `${this.source}: variable '${name}' declares ${count} values (${dims.join('×')}) but holds ${re.length}; the file is damaged`,
          this.source,
        );
      }
      const value: MatNumeric = {
        kind: 'numeric',
        name,
        className: className as MatClass,
        dims,
        re,
        logical,
      };
      if (complex && parts[4]) value.im = this.numbers(parts[4]);
      return value;
    }
    if (classCode === 4) {
      const dataEl = parts[3];
      const codes = dataEl ? this.numbers(dataEl) : new Float64Array(0);
      if (dataEl && dataEl.type !== MI_UTF8 && codes.length !== count) {
        throw new NailsError(
          `${this.source}: char variable '${name}' declares ${count} characters (${dims.join('×')}) but holds ${codes.length}; the file is damaged`,
          this.source,
        );
      }
      // Column-major chars: read row by row to keep the text in reading order.
      const rows = dims[0] ?? 0;
      const cols = count / Math.max(rows, 1);
      let text: string;
      if (dataEl && dataEl.type === MI_UTF8) {
        text = new TextDecoder('utf-8').decode(
          this.bytes.subarray(dataEl.start, dataEl.start + dataEl.length),
        );
      } else {
        const lines: string[] = [];
        for (let r = 0; r < rows; r++) {
          let line = '';
          for (let c = 0; c < cols; c++) line += String.fromCodePoint(codes[r + c * rows] ?? 32);
          lines.push(line);
        }
        text = lines.join('\n');
      }
      return { kind: 'char', name, dims, text };
    }
    if (classCode === 1) {
      if (count > parts.length - 3) {
        throw new NailsError(
          `${this.source}: cell '${name}' declares ${count} elements but holds ${parts.length - 3}; the file is damaged`,
          this.source,
        );
      }
      const elements = parts.slice(3, 3 + count).map((p) => this.matrix(p, ''));
      return { kind: 'cell', name, dims, elements };
    }
    if (classCode === 2) {
      const lenEl = parts[3];
      const namesEl = parts[4];
      if (!lenEl || !namesEl) return { kind: 'struct', name, dims, elements: [] };
      const fieldLen = this.view.getInt32(lenEl.start, this.littleEndian);
      const nFields = fieldLen > 0 ? Math.floor(namesEl.length / fieldLen) : 0;
      const names: string[] = [];
      for (let f = 0; f < nFields; f++) {
        const s = namesEl.start + f * fieldLen;
        names.push(this.cString(s, s + fieldLen));
      }
      if (count * names.length > parts.length - 5) {
        throw new NailsError(
          `${this.source}: struct '${name}' declares ${count} elements of ${names.length} fields but holds ${parts.length - 5} values; the file is damaged`,
          this.source,
        );
      }
      const elements: Map<string, MatValue>[] = [];
      let p = 5;
      for (let e = 0; e < count; e++) {
        const rec = new Map<string, MatValue>();
        for (const field of names) {
          const child = parts[p++];
          if (child)
            rec.set(field, child.length > 0 ? this.matrix(child, field) : emptyDouble(field));
        }
        elements.push(rec);
      }
      return { kind: 'struct', name, dims, elements };
    }
    return { kind: 'unsupported', name, dims, className };
  }

  private cString(start: number, end: number): string {
    let s = '';
    for (let i = start; i < end && this.bytes[i] !== 0; i++)
      s += String.fromCharCode(this.bytes[i]!);
    return printable(s);
  }

  private text(el: Element): string {
    return this.cString(el.start, el.start + el.length);
  }

  /** Decodes a numeric data element into doubles. */
  numbers(el: Element): Float64Array {
    const v = this.view;
    const le = this.littleEndian;
    const s = el.start;
    let size: number;
    let get: (offset: number) => number;
    switch (el.type) {
      case MI_INT8:
        size = 1;
        get = (o) => v.getInt8(o);
        break;
      case MI_UINT8:
      case MI_UTF8:
        size = 1;
        get = (o) => v.getUint8(o);
        break;
      case MI_INT16:
        size = 2;
        get = (o) => v.getInt16(o, le);
        break;
      case MI_UINT16:
      case MI_UTF16:
        size = 2;
        get = (o) => v.getUint16(o, le);
        break;
      case MI_INT32:
        size = 4;
        get = (o) => v.getInt32(o, le);
        break;
      case MI_UINT32:
      case MI_UTF32:
        size = 4;
        get = (o) => v.getUint32(o, le);
        break;
      case MI_SINGLE:
        size = 4;
        get = (o) => v.getFloat32(o, le);
        break;
      case MI_DOUBLE:
        size = 8;
        get = (o) => v.getFloat64(o, le);
        break;
      case MI_INT64:
        size = 8;
        get = (o) => Number(v.getBigInt64(o, le));
        break;
      case MI_UINT64:
        size = 8;
        get = (o) => Number(v.getBigUint64(o, le));
        break;
      default:
        throw new NailsError(
          `${this.source}: unknown data type ${el.type} in a variable; the file is damaged`,
          this.source,
        );
    }
    const n = Math.floor(el.length / size);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = get(s + i * size);
    return out;
  }
}

function emptyDouble(name: string): MatNumeric {
  return {
    kind: 'numeric',
    name,
    className: 'double',
    dims: [0, 0],
    re: new Float64Array(0),
    logical: false,
  };
}
