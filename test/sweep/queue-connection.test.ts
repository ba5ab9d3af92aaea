/** Queue URLs (password and TLS, never printed) and the RESP2 reply parser of the Redis client. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeConnection,
  parseQueueUrl,
  redactSecrets,
  redactUrl,
} from '../../src/sweep/queue-connection';
import { parseReply } from '../../src/sweep/resp-client';

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

describe('RESP2 replies', () => {
  const parse = (s: string) => parseReply(Buffer.from(s), 0);
  it('strings, errors, integers, nil, nested arrays; incomplete input waits', () => {
    assert.deepEqual(parse('+OK\r\n'), { value: 'OK', next: 5 });
    assert.deepEqual(parse(':42\r\n')?.value, 42);
    assert.equal(parse('$-1\r\n')?.value, null);
    assert.equal(parse('$3\r\nhé\r\n')?.value, 'hé', 'lengths in bytes');
    assert.equal(parse('$4\r\na\r\nb\r\n')?.value, 'a\r\nb', 'CRLF inside a bulk string');
    const arr = parse('*3\r\n$1\r\na\r\n-ERR no\r\n*1\r\n:1\r\n')!.value as unknown[];
    assert.equal(arr[0], 'a');
    assert.ok(arr[1] instanceof Error && arr[1].message === 'ERR no');
    assert.deepEqual(arr[2], [1]);
    assert.equal(parse('$5\r\nab'), undefined);
    assert.equal(parse('*2\r\n:1\r\n'), undefined);
  });
});
