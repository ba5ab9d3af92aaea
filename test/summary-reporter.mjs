// A node:test reporter that ends the run with the plain line CI reads: `N passed, N failed`
// (and `, N skipped` when any test was skipped or marked todo). Counts leaf tests only. Tests
// skipped because the benchmark data are absent (test/helpers.ts, needsData) are also counted
// on their own line, `N skipped: data not found at …`, which .ci/run reads.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const noData = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    const skip = event.data.skip;
    if (skip || event.data.todo) {
      skipped++;
      if (typeof skip === 'string' && skip.startsWith('data not found at '))
        noData.set(skip, (noData.get(skip) ?? 0) + 1);
    } else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
  for (const [reason, n] of noData) yield `${n} skipped: ${reason}\n`;
}
