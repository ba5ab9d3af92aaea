/**
 * A run folder in brief for the Runs view (run in the extension's job thread): status, method,
 * message and the test fit from report.json, or the one-line message naming the file and the field
 * when report.json does not read.
 */
import { readReport } from '../io/run-folder.js';
import type { RunSummary } from '../protocol/host-jobs.js';

export function runSummary(runDir: string): RunSummary {
  try {
    const report = readReport(runDir);
    if (!report) return { runDir, problem: `${runDir} has no report.json` };
    const fit = (report.parts ?? []).find((p) => p.kind === 'test')?.metrics[0]?.fit;
    return {
      runDir,
      status: report.status,
      method: report.method,
      message: report.message,
      ...(fit !== undefined ? { testFit: Number(fit) } : {}),
    };
  } catch (e) {
    return { runDir, problem: e instanceof Error ? e.message : String(e) };
  }
}
