/**
 * The kernels' base64 builds decode to the same bytes with Node's Buffer and, where an engine has
 * none, with atob (src/core/linalg/syrk-wasm.ts's base64Bytes), and those bytes are a module.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYRK_WASM, SYRK_WASM_RELAXED } from '../../src/core/linalg/generated/syrk-wasm';
import { base64Bytes } from '../../src/core/linalg/syrk-wasm';

describe('base64Bytes', () => {
  for (const [name, b64] of [
    ['plain SIMD build', SYRK_WASM],
    ['relaxed SIMD build', SYRK_WASM_RELAXED],
  ] as const) {
    it(`${name}: Buffer and atob give the same bytes, a WebAssembly module's`, () => {
      const withBuffer = base64Bytes(b64);
      const g = globalThis as { Buffer?: unknown };
      const saved = g.Buffer;
      g.Buffer = undefined;
      let withAtob: Uint8Array;
      try {
        withAtob = base64Bytes(b64);
      } finally {
        g.Buffer = saved;
      }
      assert.ok(withBuffer.length > 10_000, `${withBuffer.length} bytes`);
      assert.deepEqual(withAtob, withBuffer);
      // "\0asm", version 1
      assert.deepEqual([...withBuffer.subarray(0, 8)], [0, 97, 115, 109, 1, 0, 0, 0]);
    });
  }
});
