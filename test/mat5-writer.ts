/**
 * A minimal MATLAB Level 5 MAT-file writer for tests, written from the format document (MathWorks,
 * "MAT-File Format", R2024, ch. 1), independent of the project's reader: a 128-byte header (116
 * bytes of text, 8 bytes subsystem offset, version 0x0100, endian indicator 'IM') and one
 * uncompressed miMATRIX element per variable: array flags (mxDOUBLE_CLASS = 6), dimensions
 * (miINT32), name (miINT8) and real part (miDOUBLE), each sub-element padded to 8 bytes.
 */

function tag(type: number, bytes: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(bytes, 4);
  return b;
}
const pad8 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);

/** One double matrix `rows × cols` from column-major `values`. */
function matrix(name: string, rows: number, cols: number, values: ArrayLike<number>): Buffer {
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(6, 0); // mxDOUBLE_CLASS, no flags
  const dims = Buffer.alloc(8);
  dims.writeInt32LE(rows, 0);
  dims.writeInt32LE(cols, 4);
  const nameBytes = Buffer.from(name, 'ascii');
  const data = Buffer.alloc(8 * rows * cols);
  for (let k = 0; k < rows * cols; k++) data.writeDoubleLE(values[k]!, 8 * k);
  const body = Buffer.concat([
    tag(6, 8), // miUINT32 array flags
    flags,
    tag(5, 8), // miINT32 dimensions
    dims,
    tag(1, nameBytes.length), // miINT8 name
    pad8(nameBytes),
    tag(9, data.length), // miDOUBLE real part
    pad8(data),
  ]);
  return Buffer.concat([tag(14, body.length), body]); // miMATRIX
}

/** The bytes of a MAT v5 file holding `vars` (name → rows, cols, column-major values). */
export function mat5(
  vars: Record<string, { rows: number; cols: number; values: ArrayLike<number> }>,
): Buffer {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by the NAILS tests', 0, 'ascii');
  header.fill(0, 116, 124);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'ascii');
  return Buffer.concat([
    header,
    ...Object.entries(vars).map(([n, v]) => matrix(n, v.rows, v.cols, v.values)),
  ]);
}
