/**
 * Reader for Level-4 MAT-files (MATLAB v4, `save -v4`, scipy `savemat(format='4')`, and old
 * benchmark files such as the CED DATAUNIF.MAT), from bytes.
 *
 * Format ("MAT-File Format", The MathWorks, chapter "Level 4 MAT-Files"): a sequence of
 * variables, each a 20-byte header of five int32 `type mrows ncols imagf namlen`, then `namlen`
 * bytes of name (NUL-terminated), then mrows·ncols real values, column-major, then as many
 * imaginary values when `imagf` is 1. `type` is the decimal MOPT:
 *   M  byte order: 0 IEEE little-endian, 1 IEEE big-endian (2–4: VAX/Cray, not supported)
 *   O  0
 *   P  precision: 0 double, 1 single, 2 int32, 3 int16, 4 uint16, 5 uint8
 *   T  0 full numeric, 1 text (char codes), 2 sparse (a (nnz+1) × 3 or 4 triplet matrix)
 * Numeric variables come back as `MatNumeric` (`re` as Float64Array, column-major); text and
 * sparse as `char` / `unsupported`, so the signal table lists them in `other`.
 */
import { NailsError } from '../errors.js';
import type { MatClass, MatValue } from './mat-file.js';
import { printable } from './text-cells.js';

const PRECISIONS: { className: MatClass; size: number }[] = [
  { className: 'double', size: 8 },
  { className: 'single', size: 4 },
  { className: 'int32', size: 4 },
  { className: 'int16', size: 2 },
  { className: 'uint16', size: 2 },
  { className: 'uint8', size: 1 },
];

/** The decoded MOPT of a header's `type`, or undefined when it cannot be a v4 type. */
function decodeType(t: number): { M: number; P: number; T: number } | undefined {
  if (!Number.isInteger(t) || t < 0 || t > 4052) return undefined;
  const M = Math.floor(t / 1000);
  const O = Math.floor(t / 100) % 10;
  const P = Math.floor(t / 10) % 10;
  const T = t % 10;
  if (O !== 0 || T > 2) return undefined;
  return { M, P, T };
}

/**
 * Whether the first 20 bytes look like a Level-4 variable header (a plausible MOPT type in either
 * byte order, imagf 0/1, a name length ≥ 1): used to tell v4 from v5 files.
 */
export function looksLikeMat4(bytes: Uint8Array): boolean {
  if (bytes.length < 20) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 20);
  for (const le of [true, false]) {
    const mopt = decodeType(view.getInt32(0, le));
    if (!mopt || mopt.M !== (le ? 0 : 1)) continue;
    const imagf = view.getInt32(12, le);
    const namlen = view.getInt32(16, le);
    if (view.getInt32(4, le) >= 0 && view.getInt32(8, le) >= 0 && (imagf === 0 || imagf === 1))
      if (namlen >= 1 && namlen < 65536) return true;
  }
  return false;
}

/**
 * Parses a whole Level-4 MAT-file. `source` names the file in error messages.
 * @returns variables by name, in file order.
 */
export function readMat4File(bytes: Uint8Array, source = 'MAT-file'): Map<string, MatValue> {
  const fail = (msg: string): never => {
    throw new NailsError(`${source}: ${msg}`, source);
  };
  if (bytes.length === 0) fail('the file is empty');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const variables = new Map<string, MatValue>();
  let pos = 0;
  let index = 0;
  while (pos < bytes.length) {
    index++;
    const which = `variable ${index} (at byte ${pos})`;
    if (pos + 20 > bytes.length)
      fail(
        `truncated: ${which} needs a 20-byte header but only ${bytes.length - pos} bytes are left`,
      );
    // The byte order is the M digit of `type`, which must be read in that byte order.
    let le = true;
    let mopt = decodeType(view.getInt32(pos, true));
    if (!mopt || mopt.M !== 0) {
      le = false;
      mopt = decodeType(view.getInt32(pos, false));
    }
    if (!mopt) {
      fail(
        `${which} has no valid Level-4 type (MOPT); not a MATLAB v4 MAT-file (re-save with save('file.mat', '-v7') or export to CSV)`,
      );
    }
    const { M, P, T } = mopt!;
    if (M !== (le ? 0 : 1))
      fail(
        `${which} uses ${['', '', 'VAX D', 'VAX G', 'Cray'][M]} floats, which are not supported`,
      );
    const precision = PRECISIONS[P];
    if (!precision) fail(`${which} has unknown precision digit P = ${P} (0–5 are defined)`);
    const { className, size } = precision!;
    const mrows = view.getInt32(pos + 4, le);
    const ncols = view.getInt32(pos + 8, le);
    const imagf = view.getInt32(pos + 12, le);
    const namlen = view.getInt32(pos + 16, le);
    if (mrows < 0 || ncols < 0) fail(`${which} has negative dimensions ${mrows}×${ncols}`);
    if (imagf !== 0 && imagf !== 1) fail(`${which} has imagf = ${imagf} (must be 0 or 1)`);
    if (namlen < 1) fail(`${which} has name length ${namlen} (must be ≥ 1)`);
    const nameStart = pos + 20;
    if (nameStart + namlen > bytes.length)
      fail(
        `truncated: ${which} has a ${namlen}-byte name but the file ends at byte ${bytes.length}`,
      );
    let name = '';
    for (let i = nameStart; i < nameStart + namlen && bytes[i] !== 0; i++)
      name += printable(String.fromCharCode(bytes[i]!));
    const count = mrows * ncols;
    const dataStart = nameStart + namlen;
    const dataBytes = count * size * (imagf ? 2 : 1);
    if (dataStart + dataBytes > bytes.length) {
      fail(
        `truncated: variable '${name}' (${mrows}×${ncols} ${className}${imagf ? ', complex' : ''}) needs ${dataBytes} bytes of data but only ${bytes.length - dataStart} are left`,
      );
    }
    const dims = [mrows, ncols];
    if (T === 0) {
      const re = decode(view, dataStart, count, P, le);
      const value: MatValue = { kind: 'numeric', name, className, dims, re, logical: false };
      if (imagf) value.im = decode(view, dataStart + count * size, count, P, le);
      variables.set(name, value);
    } else if (T === 1) {
      const codes = decode(view, dataStart, count, P, le);
      const lines: string[] = [];
      for (let r = 0; r < mrows; r++) {
        let line = '';
        for (let c = 0; c < ncols; c++) line += String.fromCharCode(codes[r + c * mrows]! & 0xffff);
        lines.push(line);
      }
      variables.set(name, { kind: 'char', name, dims, text: lines.join('\n') });
    } else {
      variables.set(name, { kind: 'unsupported', name, dims, className: 'sparse' });
    }
    pos = dataStart + dataBytes;
  }
  return variables;
}

/** `count` values of precision `P` from `start`, as doubles. */
function decode(
  view: DataView,
  start: number,
  count: number,
  P: number,
  le: boolean,
): Float64Array {
  const out = new Float64Array(count);
  switch (P) {
    case 0:
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, le);
      break;
    case 1:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, le);
      break;
    case 2:
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, le);
      break;
    case 3:
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, le);
      break;
    case 4:
      for (let i = 0; i < count; i++) out[i] = view.getUint16(start + 2 * i, le);
      break;
    default:
      for (let i = 0; i < count; i++) out[i] = view.getUint8(start + i);
  }
  return out;
}
