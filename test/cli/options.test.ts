import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_OPTIONS, parseCommandLine } from '../../src/cli/options';
import { UsageError } from '../../src/cli/usage-error';

describe('command-line options per command', () => {
  it('an option of another command is an error naming the nearest option of this one', () => {
    assert.throws(
      () => parseCommandLine('train', ['spec.nails', '--sed', '2']),
      (e: unknown) =>
        e instanceof UsageError &&
        /unknown option --sed for `nails train`; did you mean --seed\?/.test(e.message),
    );
    assert.throws(
      () => parseCommandLine('check', ['a.nails', '--seed', '2']),
      (e: unknown) =>
        e instanceof UsageError && /unknown option --seed for `nails check`/.test(e.message),
    );
    assert.throws(
      () => parseCommandLine('train', ['a.nails', '--out=x', '--quite']),
      (e: unknown) => e instanceof UsageError && /did you mean --quiet\?/.test(e.message),
    );
  });

  it('a missing value is one usage line', () => {
    assert.throws(
      () => parseCommandLine('train', ['a.nails', '--out']),
      (e: unknown) => e instanceof UsageError && !e.message.includes('\n'),
    );
  });

  it('accepts every option the table declares, in both spellings, and leaves positionals', () => {
    for (const [command, options] of Object.entries(COMMAND_OPTIONS)) {
      for (const [name, o] of Object.entries(options)) {
        const args = o.type === 'boolean' ? [`--${name}`, 'pos'] : [`--${name}=v`, 'pos'];
        const r = parseCommandLine(command as keyof typeof COMMAND_OPTIONS, args);
        assert.deepEqual(r.positionals, ['pos'], `${command} --${name}`);
        const v = r.values[name];
        assert.ok(
          v === true || v === 'v' || (Array.isArray(v) && v[0] === 'v'),
          `${command} --${name}`,
        );
      }
    }
  });

  it('a negative number after an option that takes a value is its value, not an option', () => {
    const r = parseCommandLine('sweep', ['a.nails', '--workers', '-1', '--iterations', '-.5']);
    assert.equal(r.values.workers, '-1');
    assert.equal(r.values.iterations, '-.5');
    assert.deepEqual(r.positionals, ['a.nails']);
    assert.deepEqual(parseCommandLine('train', ['--seed', '-7', 'a.nails']).values.seed, '-7');
    // a flag does not take it, and an option word after a value-taking option is still an option
    assert.throws(
      () => parseCommandLine('train', ['a.nails', '--quiet', '-3']),
      (e: unknown) => e instanceof UsageError,
    );
    assert.throws(
      () => parseCommandLine('train', ['a.nails', '--out', '--quiet']),
      (e: unknown) => e instanceof UsageError && !e.message.includes('\n'),
    );
  });

  it('arguments after -- are positionals, not options', () => {
    assert.deepEqual(parseCommandLine('check', ['--', '--weird.nails']).positionals, [
      '--weird.nails',
    ]);
  });
});
