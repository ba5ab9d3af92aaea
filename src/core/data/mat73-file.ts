/**
 * Reader for MATLAB v7.3 MAT-files (`save -v7.3`), from bytes, through the HDF5 C library
 * compiled to WebAssembly (h5wasm), given an initialised library (`Hdf5Library`: its start-up is
 * asynchronous; src/io/hdf5-sync.ts runs it in a worker so file reading stays synchronous).
 *
 * Format: an HDF5 file behind a 512-byte MATLAB user block ("MATLAB 7.3 MAT-file, …" text, then
 * version 0x0200 and 'IM'/'MI' at bytes 124–127). Each top-level numeric variable is a dataset
 * with attribute `MATLAB_class` ('double', 'single', 'int8'…'uint64', 'logical'), stored with its
 * dimensions reversed: a MATLAB r × c matrix is an HDF5 dataset of shape [c, r] in row-major
 * order, whose bytes are therefore already the column-major r × c values. Empty arrays carry
 * `MATLAB_empty`; structs are groups (`MATLAB_class` 'struct'); cells are datasets of object
 * references (`MATLAB_class` 'cell'); chars are uint16 datasets ('char'); sparse matrices are
 * groups with `MATLAB_sparse`; complex values are compound {real, imag}. All of these except
 * real numeric arrays are reported in `other` with their class, as the v5 reader does. Top-level
 * names starting with '#' (`#refs#`, `#subsystem#`) are MATLAB's internals and skipped.
 *
 * h5wasm vs jsfive (both from NIST, github.com/usnistgov): h5wasm is the HDF Group's C library
 * (HDF5 2.0) in WebAssembly — every datatype, layout and filter HDF5 itself reads, and a writer
 * (our v7.3 fixture is made with it) — but its start-up is asynchronous and its inlined wasm is
 * ~5.6 MB (hence a separate, lazily started dist/hdf5-worker.cjs; dist/cli.cjs does not grow).
 * jsfive (0.4.2, a port of pyfive) is small synchronous pure JS over an ArrayBuffer (no worker),
 * read-only, needs pako for deflate, and documents that not all datatypes are supported; it would
 * be the lighter choice if the bundle size ever matters more than coverage.
 */
import type { Dataset, Entity, File as H5File } from 'h5wasm';
import { NailsError } from '../errors.js';
import type { MatClass, MatValue } from './mat-file.js';

/** What the reader needs from an initialised h5wasm (`await h5wasm.ready` first). */
export interface Hdf5Library {
  File: new (filename: string, mode?: 'r') => H5File;
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
}

const NUMERIC = new Set<string>([
  'double',
  'single',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'logical',
]);

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes are an HDF5 file at offset 0 or behind a 512-byte user block (MATLAB's). */
export function isHdf5(bytes: Uint8Array): boolean {
  return isHdf5Signature(bytes, 0) || isHdf5Signature(bytes, 512);
}

/**
 * The file length the HDF5 superblock declares (its end-of-file address), or undefined when it
 * cannot tell. Superblock layouts (HDF5 File Format Specification
 * 3.0, section II.A): v0/v1 keep the sizes of offsets at byte 13 and the base address at 24
 * (v0) or 28 (v1), v2/v3 at bytes 9 and 12; the end-of-file address is two addresses later.
 */
export function hdf5DeclaredLength(bytes: Uint8Array): number | undefined {
  const at = isHdf5Signature(bytes, 0) ? 0 : 512;
  const version = bytes[at + 8];
  if (version === undefined) return undefined;
  const so = version >= 2 ? bytes[at + 9] : bytes[at + 13];
  const baseAt = at + (version === 0 ? 24 : version === 1 ? 28 : 12);
  if ((so !== 4 && so !== 8) || baseAt + 3 * so > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const addr = (o: number) =>
    so === 8 ? Number(view.getBigUint64(o, true)) : view.getUint32(o, true);
  const base = addr(baseAt);
  const eof = addr(baseAt + 2 * so);
  // A file written with a user block (MATLAB, h5py userblock_size) stores base = the superblock's
  // offset and an end-of-file address that counts from the start of the file, as the HDF5 library
  // compares it with the file's size; a user block prepended to a finished file leaves base = 0,
  // and its addresses count from the superblock.
  const end = base === 0 ? at + eof : eof;
  return Number.isSafeInteger(end) ? end : undefined;
}

function isHdf5Signature(bytes: Uint8Array, at: number): boolean {
  return bytes.length >= at + 8 && HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b);
}

let counter = 0;

/**
 * Parses a v7.3 MAT-file (or any HDF5 file whose top-level datasets are numeric).
 * @returns variables by name, in the file's (alphabetical) order.
 */
export function readMat73File(
  bytes: Uint8Array,
  lib: Hdf5Library,
  source = 'MAT-file',
): Map<string, MatValue> {
  if (bytes.length === 0) throw new NailsError(`${source}: the file is empty`, source);
  if (!isHdf5(bytes))
    throw new NailsError(
      `${source}: not a MATLAB v7.3 MAT-file (no HDF5 signature at byte 0 or 512)`,
      source,
    );
  const declared = hdf5DeclaredLength(bytes);
  if (declared !== undefined && declared > bytes.length) {
    throw new NailsError(
      `${source} is truncated: its HDF5 superblock says the file is ${declared} bytes long but it has ${bytes.length}; copy the file again`,
      source,
    );
  }
  const fsPath = `/nails-mat73-${++counter}.mat`;
  lib.FS.writeFile(fsPath, bytes);
  let file: H5File | undefined;
  try {
    try {
      file = new lib.File(fsPath, 'r');
    } catch {
      throw new NailsError(
        `${source}: the HDF5 library cannot open it (damaged or truncated v7.3 MAT-file); re-save it in MATLAB`,
        source,
      );
    }
    const out = new Map<string, MatValue>();
    for (const name of file.keys()) {
      if (name.startsWith('#')) continue;
      out.set(name, variable(file, name, bytes.length, source));
    }
    return out;
  } catch (e) {
    if (e instanceof NailsError) throw e;
    throw new NailsError(
      `${source}: the HDF5 library cannot read it (${firstLine(e)}); the file is damaged or truncated`,
      source,
    );
  } finally {
    try {
      file?.close();
    } catch {
      // A file the library could not read may not close cleanly either; nothing more to do.
    }
    lib.FS.unlink(fsPath);
  }
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.slice(0, 120);
}

function attrString(e: Entity, name: string): string | undefined {
  if (!('attrs' in e)) return undefined;
  const a = e.attrs[name];
  if (!a) return undefined;
  const v = a.value;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
}

function variable(file: H5File, name: string, fileSize: number, source: string): MatValue {
  const e = file.get(name);
  if (e === null) return { kind: 'unsupported', name, dims: [], className: 'broken link' };
  const cls = attrString(e, 'MATLAB_class');
  const type: string | undefined = 'type' in e ? String(e.type) : undefined;
  if (type === 'Group') {
    const sparse = attrString(e, 'MATLAB_sparse') !== undefined;
    return { kind: 'unsupported', name, dims: [], className: sparse ? 'sparse' : (cls ?? 'group') };
  }
  if (type !== 'Dataset')
    return { kind: 'unsupported', name, dims: [], className: cls ?? `HDF5 ${type ?? 'reference'}` };
  return dataset(e as Dataset, name, cls, fileSize, source);
}

function dataset(
  e: Dataset,
  name: string,
  cls: string | undefined,
  fileSize: number,
  source: string,
): MatValue {
  const shape = e.shape ?? [];
  const dims =
    shape.length === 0 ? [1, 1] : shape.length === 1 ? [shape[0]!, 1] : [...shape].reverse();
  const className = cls ?? 'double';
  if (e.attrs.MATLAB_empty !== undefined)
    return {
      kind: 'numeric',
      name,
      className: asClass(className),
      dims: [0, 0],
      re: new Float64Array(0),
      logical: false,
    };
  if (!NUMERIC.has(className)) return { kind: 'unsupported', name, dims, className };
  const meta = e.metadata;
  // 0 = H5T_INTEGER, 1 = H5T_FLOAT; compound = complex {real, imag}.
  if (meta.type !== 0 && meta.type !== 1)
    return {
      kind: 'unsupported',
      name,
      dims,
      className: meta.compound_type ? `complex ${className}` : className,
    };
  const bytesNeeded = meta.total_size * meta.size;
  if (
    !Number.isSafeInteger(bytesNeeded) ||
    bytesNeeded > Math.min(2 ** 31, fileSize * 1032 + 2 ** 20)
  ) {
    throw new NailsError(
      `${source}: variable '${name}' declares ${shape.join('×')} values, more than the file can hold; the file is damaged`,
      source,
    );
  }
  const v = e.value;
  let re: Float64Array;
  if (v instanceof Float64Array) re = v.slice();
  else if (v instanceof BigInt64Array || v instanceof BigUint64Array)
    re = Float64Array.from(v, Number);
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    re = Float64Array.from(v as ArrayLike<number>);
  else return { kind: 'unsupported', name, dims, className };
  if (re.length !== dims.reduce((a, b) => a * b, 1))
    throw new NailsError(
      `${source}: variable '${name}' holds ${re.length} values for ${dims.join('×')}; the file is damaged`,
      source,
    );
  return {
    kind: 'numeric',
    name,
    className: asClass(className),
    dims,
    re,
    logical: className === 'logical',
  };
}

function asClass(c: string): MatClass {
  return c === 'logical' ? 'uint8' : NUMERIC.has(c) ? (c as MatClass) : 'double';
}
