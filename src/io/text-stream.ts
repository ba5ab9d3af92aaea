/**
 * A text table read from disk in chunks: the file is never held whole, as bytes or as one string.
 * A first pass counts its lines (the rows to expect), so that each column is one Float64Array
 * allocated once; the second pass decodes a chunk at a time (UTF-8, a character split between
 * chunks is carried over) and feeds the lines to the table reader (core/data/text-file.ts), with
 * the same results and messages, line numbers included, as parsing the whole text.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { CsvTable } from '../core/data/csv-file.js';
import { LineSplitter } from '../core/data/line-splitter.js';
import { TextTableParser, type TextDialect } from '../core/data/text-file.js';

/**
 * Bytes read per chunk: 64 kB, so that each decoded chunk (and the lines sliced from it) stays in
 * V8's young generation, which a scavenge frees at once. Strings over 128 kB go to the
 * large-object space, freed only by a full collection: 1 MB chunks raised the peak of reading a
 * 1e6-row, 25 MB CSV by 100 MB instead of 30 MB (and took twice as long).
 */
export const CHUNK_BYTES = 1 << 16;

/**
 * Reads the text table in `file` (any dialect, see readTextTable); `source` names it in messages.
 * `chunkBytes` is for tests (small chunks put lines and characters across chunk boundaries).
 */
export function readTextTableFile(
  file: string,
  source = file,
  chunkBytes = CHUNK_BYTES,
): CsvTable & { dialect: TextDialect } {
  const fd = openSync(file, 'r');
  try {
    const buf = new Uint8Array(chunkBytes);
    let lines = 1;
    forEachChunk(fd, buf, (n) => {
      const b = n === buf.length ? buf : buf.subarray(0, n);
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    const parser = new TextTableParser(source, lines);
    const splitter = new LineSplitter((line, lineNo) => parser.line(line, lineNo));
    const decoder = new TextDecoder('utf-8');
    forEachChunk(fd, buf, (n) =>
      splitter.push(decoder.decode(buf.subarray(0, n), { stream: true })),
    );
    splitter.push(decoder.decode());
    splitter.end();
    return parser.finish();
  } finally {
    closeSync(fd);
  }
}

/** Calls `fn(bytesRead)` for each chunk of the file from its start, read into `buf`. */
function forEachChunk(fd: number, buf: Uint8Array, fn: (n: number) => void): void {
  let position = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, position);
    if (n === 0) return;
    position += n;
    fn(n);
  }
}
