/** Small helpers of the tests inside VS Code, shared by every part of the suite. */

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

/** Asks the runner for a screenshot of the workbench (scripts/vscode-test.mjs) and gives it time. */
export async function screenshot(name: string): Promise<void> {
  console.log(`SCREENSHOT ${name}`);
  await sleep(1500);
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/**
 * Runs named tests, printing one line each and the `N passed, N failed` line CI reads; a test for
 * which `skip` gives a reason is not run and is printed as skipped, with the reason (visibly).
 */
export async function runTests(
  tests: [string, () => Promise<void>][],
  skip: (name: string) => string | undefined = () => undefined,
): Promise<void> {
  let passed = 0;
  let failed = 0;
  const reasons = new Set<string>();
  let skipped = 0;
  for (const [name, f] of tests) {
    const reason = skip(name);
    if (reason) {
      skipped++;
      reasons.add(reason);
      console.log(`﹣ ${name} (skipped: ${reason})`);
      continue;
    }
    try {
      await f();
      passed++;
      console.log(`✔ ${name}`);
    } catch (e) {
      failed++;
      console.log(`✖ ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (skipped > 0) console.log(`${skipped} skipped: ${[...reasons].join('; ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} VS Code test(s) failed`);
}
