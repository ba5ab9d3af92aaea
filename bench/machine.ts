/** Facts about the machine and checkout that every benchmark record carries. */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpu: string;
  node: string;
  commit: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const dirty = execSync('git status --porcelain -- src bench', {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    if (dirty) commit += '+changes';
  } catch {
    // not a git checkout
  }
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    commit,
    date: new Date().toISOString(),
  };
}

/** The command line that ran this benchmark (for the results file). */
export function commandLine(): string {
  return ['npx tsx', ...process.argv.slice(1).map((a) => a.replace(process.cwd() + '/', ''))].join(
    ' ',
  );
}
