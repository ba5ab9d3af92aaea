/**
 * Reader for NumPy `.npy` arrays and `.npz` archives, from bytes.
 *
 * `.npy` (NEP 1, "A simple file format for NumPy arrays"): magic `\x93NUMPY`, major and minor
 * version bytes, header length (uint16 LE in v1.x, uint32 LE in v2.x/3.x), then an ASCII Python
 * dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 100), }` padded with spaces,
 * then the raw data. Supported dtypes: `f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1`, either byte order
 * (`<` little, `>` big, `|` n/a, `=` native = little). A 0-D array is 1×1, a 1-D array of N is an
 * N × 1 vector, a 2-D array keeps its shape (C order converted to the column-major order of a
 * signal table), higher dimensions are listed as not numeric vectors/matrices.
 *
 * `.npz` (numpy.savez / savez_compressed): a zip of `.npy` members; each member name without
 * `.npy` is a variable. Members with an unsupported dtype (strings, objects, complex) are kept
 * as `other` with their dtype, so the rest of the archive still loads.
 */
import { unzipSync } from 'fflate';
import { NailsError } from '../errors.js';
import type { MatClass, MatValue } from './mat-file.js';
import { printable } from './text-cells.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const KINDS: Record<string, MatClass> = {
  f4: 'single',
  f8: 'double',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'uint8',
};

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** Zip local file header signature `PK\x03\x04` (also an empty zip's `PK\x05\x06`). */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6))
  );
}

/** Parses one `.npy` array named `name`; `strict` makes an unsupported dtype an error. */
export function readNpy(
  bytes: Uint8Array,
  name: string,
  source = '.npy file',
  strict = true,
): MatValue {
  const fail = (msg: string): never => {
    throw new NailsError(`${source}: ${msg}`, source);
  };
  if (bytes.length === 0) fail('the file is empty');
  if (!isNpy(bytes)) fail(`not a NumPy .npy file (no \\x93NUMPY magic at the start)`);
  if (bytes.length < 10) fail(`truncated: ${bytes.length} bytes, shorter than the .npy preamble`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    fail(`.npy format version ${major}.${bytes[7]!} is not supported (1.0–3.0 are)`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) fail('truncated: the header length is cut off');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerStart + headerLen > bytes.length)
    fail(
      `truncated: the header needs ${headerLen} bytes but only ${bytes.length - headerStart} are left`,
    );
  const header = new TextDecoder('utf-8').decode(
    bytes.subarray(headerStart, headerStart + headerLen),
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const order = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || order === undefined || shapeText === undefined)
    fail(
      `the header is not a NumPy header dict with 'descr', 'fortran_order' and 'shape': ${printable(header.trim().slice(0, 60))}`,
    );
  const shape: number[] = [];
  for (const part of shapeText!.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    if (!/^\d{1,15}$/.test(t))
      fail(`the shape (${printable(shapeText!)}) is not a tuple of non-negative integers`);
    shape.push(Number(t));
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const dims = shape.length === 0 ? [1, 1] : shape.length === 1 ? [shape[0]!, 1] : shape;
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr!);
  const className = m ? KINDS[`${m[2]}${m[3]}`] : undefined;
  if (!m || !className) {
    const what = `dtype '${printable(descr!)}'`;
    if (strict)
      fail(
        `${what} is not supported; NAILS reads float32/64, (u)int8–64 and bool arrays (convert with a.astype(np.float64))`,
      );
    return { kind: 'unsupported', name, dims, className: `numpy ${descr}` };
  }
  const le = m[1] !== '>';
  const size = Number(m[3]);
  const dataStart = headerStart + headerLen;
  if (!Number.isSafeInteger(count * size) || dataStart + count * size > bytes.length) {
    fail(
      `truncated: '${name}' (${shape.join('×') || 'scalar'} ${descr}) needs ${count * size} bytes of data but only ${bytes.length - dataStart} are left`,
    );
  }
  const raw = decode(view, dataStart, count, `${m[2]}${m[3]}`, le);
  let re = raw;
  if (shape.length === 2 && order === 'False') {
    // C order (row-major) → column-major.
    const [r, c] = shape as [number, number];
    re = new Float64Array(count);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) re[i + j * r] = raw[i * c + j]!;
  }
  return { kind: 'numeric', name, className, dims, re, logical: m[2] === 'b' };
}

function decode(view: DataView, start: number, n: number, kind: string, le: boolean): Float64Array {
  const out = new Float64Array(n);
  const get: Record<string, (o: number) => number> = {
    f4: (o) => view.getFloat32(o, le),
    f8: (o) => view.getFloat64(o, le),
    i1: (o) => view.getInt8(o),
    i2: (o) => view.getInt16(o, le),
    i4: (o) => view.getInt32(o, le),
    i8: (o) => Number(view.getBigInt64(o, le)),
    u1: (o) => view.getUint8(o),
    u2: (o) => view.getUint16(o, le),
    u4: (o) => view.getUint32(o, le),
    u8: (o) => Number(view.getBigUint64(o, le)),
    b1: (o) => (view.getUint8(o) ? 1 : 0),
  };
  const g = get[kind]!;
  const size = Number(kind.slice(1));
  for (let i = 0; i < n; i++) out[i] = g(start + i * size);
  return out;
}

/** Parses a `.npz` archive: member `x.npy` → variable `x`, in archive order. */
export function readNpz(bytes: Uint8Array, source = '.npz file'): Map<string, MatValue> {
  if (bytes.length === 0) throw new NailsError(`${source}: the file is empty`, source);
  if (!isZip(bytes))
    throw new NailsError(
      `${source}: not a NumPy .npz file (not a zip archive: no PK signature)`,
      source,
    );
  let members: Record<string, Uint8Array>;
  let tooBig: string | undefined;
  try {
    members = unzipSync(bytes, {
      // Guard the sizes a damaged directory declares before anything is allocated: deflate
      // expands at most ~1032:1, a stored member not at all.
      filter: (f) => {
        const limit = f.compression === 0 ? f.size : f.size * 1032 + 1024;
        const ok = f.originalSize <= limit && f.originalSize <= 2 ** 31 && f.size <= bytes.length;
        if (!ok) tooBig ??= f.name;
        return ok;
      },
    });
  } catch (e) {
    throw new NailsError(
      `${source}: the archive cannot be unzipped (${(e as Error).message}); the file is damaged or truncated`,
      source,
    );
  }
  if (tooBig !== undefined)
    throw new NailsError(
      `${source}: member '${tooBig}' declares an impossible size; the file is damaged`,
      source,
    );
  const out = new Map<string, MatValue>();
  for (const [file, data] of Object.entries(members)) {
    if (!file.endsWith('.npy')) continue;
    const name = file.slice(0, -4);
    out.set(name, readNpy(data, name, `${source} (member ${file})`, false));
  }
  if (out.size === 0) throw new NailsError(`${source}: the archive holds no .npy arrays`, source);
  return out;
}
