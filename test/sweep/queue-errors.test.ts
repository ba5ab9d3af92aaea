import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueueErrors } from '../../src/sweep/queue-errors';

describe("the queue connections' error events as the user sees them", () => {
  it('connecting: kept, and the failure is one line naming the first, without the password', async () => {
    const lines: string[] = [];
    const errors = new QueueErrors((l) => lines.push(l), 's3cret');
    const failed = errors.ready(
      new Promise((_, reject) => setImmediate(() => reject(new Error('Connection is closed.')))),
      'redis://***@db:6379',
    );
    errors.onError(new Error('connect ECONNREFUSED 10.0.0.1:6379 (auth s3cret)'));
    errors.onError(new Error('connect ECONNREFUSED 10.0.0.1:6379 again'));
    await assert.rejects(failed, {
      message:
        'cannot reach the queue at redis://***@db:6379: connect ECONNREFUSED 10.0.0.1:6379 (auth ***)',
    });
    assert.deepEqual(lines, []);
    errors.onError(new Error('after the failure'));
    assert.deepEqual(lines, []);
  });

  it('connected: each new error is a line, a repeat is not; muted: none', async () => {
    const lines: string[] = [];
    const errors = new QueueErrors((l) => lines.push(l));
    await errors.ready(Promise.resolve(), 'redis://db:6379');
    errors.onError(new Error('read ECONNRESET\n    at stack'));
    errors.onError(new Error('read ECONNRESET'));
    errors.onError(new Error('redis://user:pw@db:6379 is loading'));
    errors.mute();
    errors.onError(new Error('Connection is closed.'));
    assert.deepEqual(lines, ['queue: read ECONNRESET', 'queue: redis://***@db:6379 is loading']);
  });

  it('no answer: the time limit in the line', async () => {
    const errors = new QueueErrors(() => undefined);
    await assert.rejects(errors.ready(new Promise(() => undefined), 'redis://db:1', 20), {
      message: 'cannot reach the queue at redis://db:1: no answer within 0.02 s',
    });
  });
});
