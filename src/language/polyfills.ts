/**
 * Object.groupBy and Map.groupBy (ES2024), which Langium 4 uses, for hosts on Node 20 (the VS Code
 * 1.100 server build runs its extension host and our language server on Node 20). Injected first
 * into every Node bundle by scripts/build.mjs (esbuild `inject`), so it runs before any module; a
 * no-op on Node ≥ 21.
 */
type GroupBy = <T, K>(items: Iterable<T>, key: (item: T, index: number) => K) => unknown;

function group<T, K>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  let i = 0;
  for (const item of items) {
    const k = key(item, i++);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

const O = Object as unknown as { groupBy?: GroupBy };
if (typeof O.groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value: <T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) => {
      const out = Object.create(null) as Record<PropertyKey, T[]>;
      for (const [k, v] of group(items, key)) out[k] = v;
      return out;
    },
  });
}
const M = Map as unknown as { groupBy?: GroupBy };
if (typeof M.groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', { configurable: true, writable: true, value: group });
}
