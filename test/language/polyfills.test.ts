import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('Object.groupBy / Map.groupBy polyfill (for Node 20 hosts)', () => {
  it('groups like the ES2024 built-ins', async () => {
    const O = Object as unknown as { groupBy?: unknown };
    const M = Map as unknown as { groupBy?: unknown };
    const saved = [O.groupBy, M.groupBy];
    delete O.groupBy;
    delete M.groupBy;
    try {
      await import(`../../src/language/polyfills.ts?fresh=${Date.now()}`);
      const g = (
        Object as unknown as {
          groupBy: (xs: number[], f: (x: number) => string) => Record<string, number[]>;
        }
      ).groupBy([1, 2, 3, 4], (x) => (x % 2 ? 'odd' : 'even'));
      assert.deepEqual({ ...g }, { odd: [1, 3], even: [2, 4] });
      const m = (
        Map as unknown as {
          groupBy: (xs: number[], f: (x: number) => boolean) => Map<boolean, number[]>;
        }
      ).groupBy([1, 2, 3], (x) => x > 1);
      assert.deepEqual(
        [...m],
        [
          [false, [1]],
          [true, [2, 3]],
        ],
      );
    } finally {
      O.groupBy = saved[0];
      M.groupBy = saved[1];
    }
  });
});
