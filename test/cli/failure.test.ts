import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { describeFailure, writeErrorLog } from '../../src/cli/failure';
import { UsageError } from '../../src/cli/usage-error';
import { NailsError } from '../../src/core/errors';

describe('how the command line ends on an error', () => {
  it('an internal error is one line with its cause and the log holding the full stack', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-log-'));
    const e = new TypeError('Object.groupBy is not a function\nsecond line');
    const f = describeFailure(e, ['check', 'a.nails'], (err, argv) =>
      writeErrorLog(err, argv, dir),
    );
    assert.equal(f.code, 1);
    assert.doesNotMatch(f.line, /\n/);
    const m =
      /^nails: internal error: TypeError: Object\.groupBy is not a function \(full log: (.+)\)$/.exec(
        f.line,
      );
    assert.ok(m, f.line);
    const log = readFileSync(m[1]!, 'utf8');
    assert.match(log, /^nails check a\.nails\n/);
    assert.ok(log.includes(e.stack!.split('\n')[2]!), 'the stack is in the log');
  });

  it('input and usage mistakes are their message, with exit 1 and 2, and no log', () => {
    const never = () => assert.fail('no log for a user mistake');
    assert.deepEqual(describeFailure(new NailsError('bad file'), [], never), {
      line: 'nails: bad file',
      code: 1,
    });
    assert.deepEqual(describeFailure(new UsageError('nails: unknown option --x'), [], never), {
      line: 'nails: unknown option --x',
      code: 2,
    });
  });

  it('still says where to look when the log cannot be written', () => {
    const f = describeFailure(new Error('boom'), [], () => undefined);
    assert.match(f.line, /^nails: internal error: Error: boom \(set NAILS_DEBUG=1/);
  });
});
