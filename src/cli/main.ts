/**
 * The `nails` command line. Every failure ends as one line on stderr and a non-zero exit status,
 * never a stack trace (set NAILS_DEBUG=1 to see one).
 */
import { parseArgs } from 'node:util';
import { NailsError } from '../core/errors.js';
import { runDataSummary } from './commands/data.js';
import { runDemo } from './commands/demo.js';

const USAGE = `usage: nails <command> [options]

commands:
  demo [--seed N] [--iterations N]        train the paper's binary-output example with NAILM (ALGORITHM.md §8)
  data <dataset> [--data-dir DIR]         load a benchmark dataset with its official split and summarise it
                                          (datasets: cascaded_tanks, silverbox, wiener_hammerstein_2009, mr_damper, two_tank)
  help                                    this text`;

export class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      iterations: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  switch (command) {
    case 'demo':
      return runDemo({
        seed: intOption(values.seed, 'seed', 3),
        iterations: intOption(values.iterations, 'iterations', 200),
      });
    case 'data': {
      const id = positionals[0];
      if (!id)
        throw new UsageError(
          'nails data: name a dataset, e.g. `nails data cascaded_tanks --data-dir ../shared/data`',
        );
      return runDataSummary(id, values['data-dir'] ?? process.env.NAILS_DATA_DIR ?? 'data');
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`nails: unknown command '${command}'; run \`nails help\` for the list`);
  }
}

function intOption(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`nails: --${name} must be an integer, got '${v}'`);
  return n;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (process.env.NAILS_DEBUG) console.error(e);
    const usage = e instanceof UsageError || (e instanceof TypeError && 'code' in e);
    const message = e instanceof NailsError || usage ? e.message : `internal error: ${String(e)}`;
    process.stderr.write(`nails: ${message.split('\n')[0]!.replace(/^nails: /, '')}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
