/** Small helpers of the tests inside VS Code (the restricted-mode and activation parts). */

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `f` every 100 ms until it returns something truthy; fails after `ms`. */
export async function until<T>(
  what: string,
  f: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 30000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Runs named tests, printing one line each and the `N passed, N failed` line CI reads. */
export async function runTests(tests: [string, () => Promise<void>][]): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [name, f] of tests) {
    try {
      await f();
      passed++;
      console.log(`✔ ${name}`);
    } catch (e) {
      failed++;
      console.log(`✖ ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} VS Code test(s) failed`);
}
