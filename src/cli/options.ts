/**
 * The options each `nails` command accepts, declared once: the parser and the usage text read this
 * table, and an option a command does not use is an error for that command, with a "did you mean".
 */
import { parseArgs } from 'node:util';
import { nearest } from '../core/data/signal-table.js';
import { UsageError } from './usage-error.js';

type OptionType = { type: 'string'; multiple?: boolean } | { type: 'boolean' };

const DATA_DIR = { 'data-dir': { type: 'string', multiple: true } } as const;

/** Options per command (names without the leading `--`). */
export const COMMAND_OPTIONS = {
  check: { ...DATA_DIR },
  train: {
    ...DATA_DIR,
    out: { type: 'string' },
    quiet: { type: 'boolean' },
    method: { type: 'string' },
    iterations: { type: 'string' },
    starts: { type: 'string' },
    seed: { type: 'string' },
    init: { type: 'string' },
  },
  evaluate: {
    ...DATA_DIR,
    data: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    init: { type: 'string' },
    out: { type: 'string' },
  },
  export: { format: { type: 'string' }, out: { type: 'string' } },
  demo: { seed: { type: 'string' }, iterations: { type: 'string' } },
  data: { ...DATA_DIR, url: { type: 'string' }, registry: { type: 'string' } },
  sweep: {
    ...DATA_DIR,
    set: { type: 'string', multiple: true },
    seeds: { type: 'string' },
    iterations: { type: 'string' },
    folds: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    queue: { type: 'string' },
    limit: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  new: {
    ...DATA_DIR,
    input: { type: 'string' },
    output: { type: 'string' },
    'test-input': { type: 'string' },
    'test-output': { type: 'string' },
    sampling: { type: 'string' },
    name: { type: 'string' },
    init: { type: 'string' },
    split: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  worker: { ...DATA_DIR, queue: { type: 'string' }, concurrency: { type: 'string' } },
  help: {},
} as const satisfies Record<string, Record<string, OptionType>>;

export type Command = keyof typeof COMMAND_OPTIONS;

export interface ParsedCommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses the arguments after the command name. Unknown options (and options of another command)
 * throw a UsageError naming the nearest option of this command.
 */
export function parseCommandLine(command: Command, args: readonly string[]): ParsedCommandLine {
  const options: Record<string, OptionType> = COMMAND_OPTIONS[command];
  const names = Object.keys(options);
  for (const a of args) {
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) continue;
    const name = a.replace(/^--?/, '').split('=')[0]!;
    if (a.startsWith('--') && name in options) continue;
    const near = nearest(name, names);
    throw new UsageError(
      `unknown option ${a.split('=')[0]} for \`nails ${command}\`` +
        (near
          ? `; did you mean --${near}?`
          : names.length
            ? `; it takes ${names.map((n) => `--${n}`).join(', ')}`
            : '; it takes no options'),
    );
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options,
    });
    return { values, positionals };
  } catch (e) {
    // node's own messages (a missing option value) as one usage line
    throw new UsageError(
      `nails ${command}: ${(e as Error).message.split('.')[0] ?? 'bad command line'}`,
    );
  }
}
