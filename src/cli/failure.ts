/**
 * How the command line ends on an error: always one line on stderr and a non-zero exit status.
 * Mistakes in the input (NailsError) and on the command line (UsageError) are their message;
 * anything else is an internal error whose full stack goes to a log file the line names.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NailsError } from '../core/errors.js';
import { UsageError } from './usage-error.js';

export interface Failure {
  /** The one line for stderr (without the newline). */
  line: string;
  /** 2 for a usage mistake, 1 otherwise. */
  code: number;
}

/** Writes the full report of an internal error and returns the file's path (undefined if it could not). */
export function writeErrorLog(
  e: unknown,
  argv: readonly string[],
  dir = tmpdir(),
): string | undefined {
  const file = path.join(dir, `nails-error-${Date.now()}-${process.pid}.log`);
  const text = [
    `nails ${argv.join(' ')}`,
    `node ${process.version} on ${process.platform}-${process.arch}, ${new Date().toISOString()}`,
    '',
    e instanceof Error ? (e.stack ?? String(e)) : String(e),
    '',
  ].join('\n');
  try {
    writeFileSync(file, text);
    return file;
  } catch {
    return undefined;
  }
}

/** The line and exit status for an error that ended a command. */
export function describeFailure(
  e: unknown,
  argv: readonly string[],
  writeLog: typeof writeErrorLog = writeErrorLog,
): Failure {
  if (e instanceof UsageError || e instanceof NailsError) {
    // Messages that already name the command (`nails data: …`) keep it, without a second prefix.
    const first = e.message.split('\n')[0]!.replace(/^nails: /, '');
    return {
      line: /^nails\b/.test(first) ? first : `nails: ${first}`,
      code: e instanceof UsageError ? 2 : 1,
    };
  }
  const cause = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]!;
  const log = writeLog(e, argv);
  return {
    line: `nails: internal error: ${cause}${log ? ` (full log: ${log})` : ' (set NAILS_DEBUG=1 for the stack)'}`,
    code: 1,
  };
}
