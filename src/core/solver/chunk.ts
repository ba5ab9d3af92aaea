/**
 * The default number of samples per accumulation chunk of the Gauss–Newton pass
 * (gauss-newton.ts): the chunk's rows (chunk · n_y of them, n_l columns of f64) are packed into
 * panels that the accumulation's register tiles stream once per tile (kernels/syrk.ts), so the
 * pass is fastest while those panels stay in a core's L2 cache. The default keeps them within
 * CHUNK_BYTES,
 *
 *   chunk = clamp(round(CHUNK_BYTES / (8 · n_l · n_y) / 32) · 32, 64, 512),
 *
 * which is 512 (the earlier fixed default) up to n_l ≈ 160 and fewer samples above:
 * bench/chunk.ts measures the pass against 512 at several n_l.
 */
import { localColumns, type Problem } from './problem.js';

/** Bytes of packed rows a chunk aims at: about 2/3 of a 1 MB L2 (AMD Zen 4/5; Intel has more). */
export const CHUNK_BYTES = 640 * 1024;

/** The default samples per chunk for problem p (see above). */
export function defaultChunk(p: Problem): number {
  const samples = CHUNK_BYTES / (8 * Math.max(localColumns(p), 1) * Math.max(p.model.ny, 1));
  return Math.min(512, Math.max(64, Math.round(samples / 32) * 32));
}
