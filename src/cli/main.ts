/**
 * The `nails` command line. Every failure ends as one line on stderr and a non-zero exit status,
 * never a stack trace (set NAILS_DEBUG=1 to see one).
 */
import { runCheck } from './commands/check.js';
import { runDataSummary } from './commands/data.js';
import { runDemo } from './commands/demo.js';
import { runDataGet } from './commands/data-get.js';
import { runEvaluate, runEvaluateFile } from './commands/evaluate.js';
import { runExport } from './commands/export.js';
import { parseSampling, runNew } from './commands/new.js';
import { runSweepCommand } from './commands/sweep.js';
import { runTrain } from './commands/train.js';
import { runWorkerCommand } from './commands/worker.js';
import { describeFailure } from './failure.js';
import { COMMAND_OPTIONS, parseCommandLine, type Command } from './options.js';
import { UsageError } from './usage-error.js';
import { parseAxis, parseSeeds } from '../sweep/grid.js';
import { parseQueueUrl, redactSecrets } from '../sweep/queue-connection.js';

const USAGE = `usage: nails <command> [options]

commands:
  new DATA     [--input U,…] [--output Y,…] [--test-input U,… --test-output Y,…] [--sampling TS]
               [--init N] [--split K] [--name ID] [--out SPEC] [--force] [--data-dir DIR]
                                          write a starter spec for a data file, with settings recommended from
                                          the data (order from the linear stage, size, ridge term, solver)
  check SPEC…  [--data-dir DIR]          check specs: one line per problem (file:line:col: severity: message)
  train SPEC   [--data-dir DIR] [--out RUNS] [--quiet] [--method M] [--iterations N] [--starts N] [--seed N] [--init FILE]
                                          train a spec; writes a run folder (default: runs/ beside the spec);
                                          --method/--iterations/--starts/--seed override the spec's solver and
                                          model seed; --quiet prints only the run folder and the final line;
                                          Ctrl-C cancels and still writes the run folder (best parameters so far)
  evaluate RUN [--data-dir DIR]           metrics of a run's model on every part of its spec
  evaluate RUN --data FILE [--input U,…] [--output Y,…] [--init N] [--out CSV]
                                          predictions (and metrics) of the model on any data file
  export RUN   [--format json|c|onnx] [--out FILE]
                                          the trained model as JSON or as a C header for embedding
  sweep SPEC   [--set KEY=V1,V2,…]… [--set KEY=a:b:log:n] [--seeds A..B] [--iterations N] [--folds K]
               [--workers N] [--out DIR] [--queue redis://HOST:PORT] [--data-dir DIR] [--limit N] [--quiet]
                                          train every combination of settings × seeds (× rolling-origin folds of
                                          the training record); one run folder per fit and sweep.json in
                                          DIR/<experiment>-sweep-<hash>/ (default DIR: sweeps/ beside the spec);
                                          re-running skips finished fits; --queue sends the fits to workers
  worker --queue URL [--data-dir DIR] [--concurrency N]
                                          run sweep fits from a Redis queue (redis://[:password@]host:port,
                                          rediss:// for TLS) until Ctrl-C
  demo [--seed N] [--iterations N]        train the paper's binary-output example with NAILM (ALGORITHM.md §8)
  data <dataset> [--data-dir DIR]         load a benchmark dataset with its official split and summarise it
  data get <dataset> [--data-dir DIR] [--url URL] [--registry FILE]
                                          download an official record, check its SHA-256, unpack it
                                          (datasets: cascaded_tanks, silverbox, wiener_hammerstein_2009, mr_damper, two_tank)
  data FILE                               summarise a data file (.mat v4/v5–v7/v7.3, .npy, .npz, .csv, .tsv, .txt, .dat, .asc):
                                          variables, shapes, ranges, NaN/Inf counts, sampling time
  help                                    this text`;

const HELP = new Set([undefined, 'help', '--help', '-h']);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (HELP.has(command)) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(COMMAND_OPTIONS, command!))
    throw new UsageError(`nails: unknown command '${command}'; run \`nails help\` for the list`);
  const { values, positionals } = parseCommandLine(command as Command, rest);
  const str = (name: string) => values[name] as string | undefined;
  const dataDirs = [
    ...((values['data-dir'] as string[] | undefined) ?? []),
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
        ...(str('out') ? { out: str('out')! } : {}),
        ...(values.quiet ? { quiet: true } : {}),
        ...(str('method') ? { method: str('method')! } : {}),
        ...(str('iterations')
          ? { iterations: intOption(str('iterations'), 'iterations', 1, 0) }
          : {}),
        ...(str('starts') ? { starts: intOption(str('starts'), 'starts', 1, 1) } : {}),
        ...(str('seed') ? { seed: intOption(str('seed'), 'seed', 1) } : {}),
        ...(str('init') ? { init: str('init')! } : {}),
      });
    case 'evaluate': {
      const run = need('a run folder');
      const list = (name: string) =>
        str(name)
          ?.split(',')
          .map((s) => s.trim());
      if (!str('data')) {
        for (const o of ['input', 'output', 'init', 'out'])
          if (values[o] !== undefined)
            throw new UsageError(`nails evaluate: --${o} goes with --data FILE`);
        return runEvaluate(run, dataDirs);
      }
      return runEvaluateFile(run, str('data')!, {
        ...(list('input') ? { inputs: list('input')! } : {}),
        ...(list('output') ? { outputs: list('output')! } : {}),
        ...(str('init') ? { nInit: intOption(str('init'), 'init', 0) } : {}),
        ...(str('out') ? { out: str('out')! } : {}),
      });
    }
    case 'new': {
      const list = (name: string) =>
        str(name)
          ?.split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0);
      return runNew(need('a data file'), {
        dataDirs,
        ...(list('input') ? { inputs: list('input')! } : {}),
        ...(list('output') ? { outputs: list('output')! } : {}),
        ...(list('test-input') ? { testInputs: list('test-input')! } : {}),
        ...(list('test-output') ? { testOutputs: list('test-output')! } : {}),
        ...(str('sampling') ? { sampling: parseSampling(str('sampling')!) } : {}),
        ...(str('name') ? { name: str('name')! } : {}),
        ...(str('init') ? { init: intOption(str('init'), 'init', 0, 0) } : {}),
        ...(str('split') ? { split: intOption(str('split'), 'split', 2, 2) } : {}),
        ...(str('out') ? { out: str('out')! } : {}),
        ...(values.force ? { force: true } : {}),
      });
    }
    case 'export':
      return runExport(need('a run folder'), str('format') ?? 'json', str('out'));
    case 'sweep': {
      const spec = need('a .nails file');
      const sets = (values.set as string[] | undefined) ?? [];
      const axes = sets.map((a) => usage(() => parseAxis(a)));
      const keys = axes.map((a) => a.key);
      const twice = keys.find((k, i) => keys.indexOf(k) !== i);
      if (twice)
        throw new UsageError(`nails sweep: --set ${twice} given twice; list its values once`);
      const positive = (name: string) =>
        str(name) !== undefined ? { [name]: intOption(str(name), name, 1, 1) } : {};
      if (str('queue')) parseQueueUrl(str('queue')!); // a bad URL before anything is written
      return runSweepCommand(spec, {
        dataDirs,
        axes,
        seeds: str('seeds') ? usage(() => parseSeeds(str('seeds')!)) : [1],
        ...positive('iterations'),
        ...positive('workers'),
        ...positive('folds'),
        ...positive('limit'),
        ...(str('out') ? { out: str('out')! } : {}),
        ...(str('queue') ? { queue: str('queue')! } : {}),
        ...(values.quiet ? { quiet: true } : {}),
      });
    }
    case 'worker': {
      if (!str('queue'))
        throw new UsageError('nails worker: name the queue, e.g. --queue redis://HOST:6379');
      return runWorkerCommand(str('queue')!, {
        dataDirs,
        ...(str('concurrency')
          ? { concurrency: intOption(str('concurrency'), 'concurrency', 1, 1) }
          : {}),
      });
    }
    case 'demo':
      return runDemo({
        seed: intOption(str('seed'), 'seed', 3),
        iterations: intOption(str('iterations'), 'iterations', 200, 0),
      });
    case 'data': {
      if (positionals[0] === 'get') {
        if (!positionals[1])
          throw new UsageError('nails data get: name a data set, e.g. `nails data get silverbox`');
        return runDataGet(positionals[1], dataDirs[0] ?? 'data', {
          ...(str('url') ? { url: str('url')! } : {}),
          ...(str('registry') ? { registry: str('registry')! } : {}),
        });
      }
      const id = positionals[0];
      if (!id)
        throw new UsageError(
          'nails data: name a dataset or a data file, e.g. `nails data cascaded_tanks --data-dir ../shared/data` or `nails data run1.mat`',
        );
      return runDataSummary(id, dataDirs[0] ?? 'data');
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      return 0;
  }
}

function intOption(v: string | undefined, name: string, fallback: number, min?: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || (min !== undefined && n < min))
    throw new UsageError(
      `nails: --${name} must be an integer${min !== undefined ? ` ≥ ${min}` : ''}, got '${v}'`,
    );
  return n;
}

/** A mistake in an option's value (a NailsError from its parser) as a usage error. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(`nails sweep: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// A closed pipe (e.g. `nails … | head`) ends the command quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

const argv = process.argv.slice(2);
/** Ends the process with one line on stderr (and a log file for an internal error); no passwords. */
function fail(e: unknown): void {
  if (process.env.NAILS_DEBUG) console.error(e);
  const f = describeFailure(
    e,
    argv.map((a) => redactSecrets(a)),
  );
  process.stderr.write(`${redactSecrets(f.line)}\n`);
  process.exitCode = f.code;
  // A failed command ends even if a library left a socket or a reconnect timer behind.
  setTimeout(() => process.exit(), 2000).unref();
}
process.on('uncaughtException', (e) => {
  fail(e);
  process.exit();
});

main(argv).then((code) => {
  process.exitCode = code;
}, fail);
