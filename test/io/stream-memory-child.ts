/**
 * Child process of stream-memory.test.ts (run with --expose-gc and a 1 MB young generation):
 * reads the CSV file given as argument with the streamed reader (readTextTableFile: what
 * readSignalTable runs in this thread, or in a worker for files of 4 MB and more) and prints, as
 * one JSON line, the growth of V8 heap + ArrayBuffer bytes at its peak (sampled at every chunk
 * decoded) and after the read, and the sizes of the decoded chunks (a spy on TextDecoder.decode).
 */
import { readTextTableFile } from '../../src/io/text-stream';

const gc = (globalThis as { gc?: () => void }).gc!;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const chunks: number[] = [];
let peak = 0;
const proto = TextDecoder.prototype as unknown as {
  decode: (this: unknown, input?: Uint8Array, o?: { stream?: boolean }) => string;
};
const decode = proto.decode;
proto.decode = function (input, o) {
  peak = Math.max(peak, used());
  chunks.push(input ? input.byteLength : 0);
  return decode.call(this, input, o);
};
gc();
const base = used();
peak = base;
const t = readTextTableFile(process.argv[2]!);
peak = Math.max(peak, used());
gc();
process.stdout.write(
  `${JSON.stringify({
    rows: t.columns.get('u')!.length,
    peakGrowth: peak - base,
    retainedGrowth: used() - base,
    maxChunk: Math.max(...chunks),
    decoded: chunks.reduce((a, b) => a + b, 0),
  })}\n`,
);
