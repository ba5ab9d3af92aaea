/** Queue URLs (password and TLS, never printed) and the RESP2 reply parser of the Redis client. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeConnection,
  parseQueueUrl,
  redactSecrets,
  redactUrl,
} from '../../src/sweep/queue-connection';

describe('queue URLs', () => {
  it('password, user, database and TLS', () => {
    const c = parseQueueUrl('rediss://alice:p%40ss@cache.example:6380/2');
    assert.deepEqual(c, {
      host: 'cache.example',
      port: 6380,
      username: 'alice',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
    assert.equal(describeConnection(c), 'rediss://***@cache.example:6380/2');
    assert.deepEqual(parseQueueUrl('redis://:pw@127.0.0.1:7000').password, 'pw');
    assert.equal(parseQueueUrl('redis://h').port, 6379);
  });

  it('never shows the password', () => {
    assert.equal(redactUrl('redis://:hunter2@h:1'), 'redis://***@h:1');
    assert.equal(
      redactSecrets('failed on rediss://u:hunter2@h:1 (hunter2)', 'hunter2'),
      'failed on rediss://***@h:1 (***)',
    );
    assert.throws(
      () => parseQueueUrl('http://:hunter2@h'),
      (e: Error) => /Redis/.test(e.message) && !e.message.includes('hunter2'),
    );
    assert.throws(
      () => parseQueueUrl('redis://:hunter2@h/x'),
      (e: Error) => !e.message.includes('hunter2'),
    );
  });
});
