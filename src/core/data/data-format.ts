/**
 * Which reader a data file needs, decided from its bytes (magic numbers) first and its extension
 * only to tell text from binary:
 *   .npy   `\x93NUMPY`                          npz    zip `PK\x03\x04`
 *   v7.3   HDF5 signature at byte 512 (or 0)     v5     'IM'/'MI' at byte 126 (128-byte header)
 *   v4     a plausible 20-byte Level-4 header    text   no NUL bytes in the first 4 kB
 */
import { looksLikeMat4 } from './mat4-file.js';
import { isHdf5 } from './mat73-file.js';
import { isNpy, isZip } from './npy-file.js';

export type DataFormat = 'mat4' | 'mat5' | 'mat73' | 'npy' | 'npz' | 'text';

/** Human-readable names, for summaries and messages. */
export const FORMAT_NAMES: Record<DataFormat, string> = {
  mat4: 'MATLAB v4 MAT-file (Level 4)',
  mat5: 'MATLAB v5–v7 MAT-file (Level 5)',
  mat73: 'MATLAB v7.3 MAT-file (HDF5)',
  npy: 'NumPy .npy array',
  npz: 'NumPy .npz archive',
  text: 'text table',
};

/** The extensions routed to the readers (anything else is rejected by name). */
export const DATA_EXTENSIONS = ['.mat', '.npy', '.npz', '.csv', '.tsv', '.txt', '.dat', '.asc'];

export function isMat5(bytes: Uint8Array): boolean {
  if (bytes.length < 128) return false;
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') return false;
  const version =
    endian === 'IM' ? bytes[124]! | (bytes[125]! << 8) : (bytes[124]! << 8) | bytes[125]!;
  return version === 0x0100 || String.fromCharCode(...bytes.subarray(0, 10)) === 'MATLAB 5.0';
}

/** The format of the bytes, or undefined when none fits. */
export function detectFormat(bytes: Uint8Array, ext: string): DataFormat | undefined {
  if (isNpy(bytes)) return 'npy';
  if (isZip(bytes)) return 'npz';
  if (isHdf5(bytes)) return 'mat73';
  if (isMat5(bytes)) return 'mat5';
  if (ext === '.mat') return looksLikeMat4(bytes) ? 'mat4' : undefined;
  if (ext === '.npy' || ext === '.npz') return undefined;
  const head = bytes.subarray(0, 4096);
  if (!head.includes(0)) return 'text';
  return looksLikeMat4(bytes) ? 'mat4' : undefined;
}
