/**
 * The `nails` command line. Every failure ends as one line on stderr and a non-zero exit status,
 * never a stack trace (set NAILS_DEBUG=1 to see one).
 */
import { parseArgs } from 'node:util';
import { NailsError } from '../core/errors.js';
import { runCheck } from './commands/check.js';
import { runDataSummary } from './commands/data.js';
import { runDemo } from './commands/demo.js';
import { runEvaluate } from './commands/evaluate.js';
import { runExport } from './commands/export.js';
import { runTrain } from './commands/train.js';

const USAGE = `usage: nails <command> [options]

commands:
  check SPEC…  [--data-dir DIR]          check specs: one line per problem (file:line:col: severity: message)
  train SPEC   [--data-dir DIR] [--out RUNS] [--quiet] [--method M] [--iterations N] [--starts N] [--init FILE]
                                          train a spec; writes a run folder (default: runs/ beside the spec);
                                          --method/--iterations/--starts override the spec's solver
  evaluate RUN [--data-dir DIR]           metrics of a run's model on every part of its spec
  export RUN   [--format json|c] [--out FILE]
                                          the trained model as JSON or as a C header for embedding
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
      'data-dir': { type: 'string', multiple: true },
      out: { type: 'string' },
      format: { type: 'string' },
      quiet: { type: 'boolean' },
      method: { type: 'string' },
      starts: { type: 'string' },
      init: { type: 'string' },
    },
  });
  const dataDirs = [
    ...(values['data-dir'] ?? []),
    ...(process.env.NAILS_DATA_DIR ? [process.env.NAILS_DATA_DIR] : []),
  ];
  const need = (what: string) => {
    if (!positionals[0])
      throw new UsageError(`nails ${command ?? ''}: name ${what}; run \`nails help\``);
    return positionals[0];
  };
  switch (command) {
    case 'check':
      need('one or more .nails files');
      return runCheck(positionals, dataDirs);
    case 'train':
      return runTrain(need('a .nails file'), {
        dataDirs,
        ...(values.out ? { out: values.out } : {}),
        ...(values.quiet ? { quiet: true } : {}),
        ...(values.method ? { method: values.method } : {}),
        ...(values.iterations ? { iterations: intOption(values.iterations, 'iterations', 1) } : {}),
        ...(values.starts ? { starts: intOption(values.starts, 'starts', 1) } : {}),
        ...(values.init ? { init: values.init } : {}),
      });
    case 'evaluate':
      return runEvaluate(need('a run folder'), dataDirs);
    case 'export':
      return runExport(need('a run folder'), values.format ?? 'json', values.out);
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
      return runDataSummary(id, dataDirs[0] ?? 'data');
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

// A closed pipe (e.g. `nails … | head`) ends the command quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

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
