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
    if (!a.startsWith('-') || a === '-' || NEGATIVE.test(a)) continue;
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
      args: joinNegativeValues(args, options),
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

/**
 * `--opt -3` as `--opt=-3` for an option that takes a value: node's parser refuses a value that
 * starts with a dash ("argument is ambiguous"), so a negative number would otherwise get that
 * message instead of the option's own check (e.g. "--workers must be an integer ≥ 1, got '-1'").
 */
function joinNegativeValues(
  args: readonly string[],
  options: Record<string, OptionType>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && NEGATIVE.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** A negative number as a user writes one: -1, -0.5, -.5, -1e-3. */
const NEGATIVE = /^-(\d|\.\d)/;
