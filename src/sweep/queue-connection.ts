/**
 * The Redis connection of a distributed sweep from a URL: `redis://[[user]:password@]host[:port][/db]`
 * or `rediss://…` (TLS). The password never leaves this file in clear: every message about the
 * queue names it through `redactUrl`, and `redactSecrets` scrubs any text before it is printed.
 */
import type { IRedisClient } from 'bullmq';
import { Redis } from 'ioredis';
import { NailsError } from '../core/errors.js';
import type { RedisConnection } from './redis-connection.js';

export type { RedisConnection } from './redis-connection.js';

/** The queue every sweep and worker use (jobs of different sweeps differ by their ids). */
export const QUEUE_NAME = 'nails-sweep';

/** Parses a redis:// or rediss:// URL; a bad one is a one-line error (redacted). */
export function parseQueueUrl(url: string): RedisConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new NailsError(`--queue ${redactUrl(url)}: not a URL; write redis://HOST:PORT`, 'queue');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new NailsError(
      `--queue ${redactUrl(url)}: the queue is Redis: redis://HOST:PORT or rediss://HOST:PORT (TLS)`,
      'queue',
    );
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db))
    throw new NailsError(`--queue ${redactUrl(url)}: the path is a database number`, 'queue');
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The URL with its password (and user) replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1***@');
}

/** Any text with URL credentials and the given secret removed. */
export function redactSecrets(text: string, secret?: string): string {
  let t = text.replace(/([a-z]+:\/\/)[^@/\s]*@/gi, '$1***@');
  if (secret) t = t.split(secret).join('***');
  return t;
}

/** `redis://host:port/db` without credentials, for messages. */
export function describeConnection(c: RedisConnection): string {
  return `${c.tls ? 'rediss' : 'redis'}://${c.username || c.password ? '***@' : ''}${c.host}:${c.port}${c.db ? `/${c.db}` : ''}`;
}

/** BullMQ, loaded when a sweep uses the queue (the command line starts faster without it). */
export const loadBullmq = () => import('bullmq');

/**
 * An ioredis client for `c` (BullMQ's own driver). Connects on the first command; `lazyConnect`
 * so that nothing reaches for the server before it is used.
 */
export function ioredis(c: RedisConnection): Redis {
  return new Redis({
    host: c.host,
    port: c.port,
    ...(c.username ? { username: c.username } : {}),
    ...(c.password ? { password: c.password } : {}),
    ...(c.db ? { db: c.db } : {}),
    ...(c.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: c.maxRetriesPerRequest,
    lazyConnect: true,
  });
}

/**
 * A new BullMQ connection (its own socket: Queue, QueueEvents and Worker each take one, and
 * BullMQ duplicates it for blocking commands), through BullMQ's ioredis adapter. Close it with
 * `disconnect()` after its user.
 */
export function redisClient(
  bull: Awaited<ReturnType<typeof loadBullmq>>,
  c: RedisConnection,
): IRedisClient {
  return bull.createIORedisClient(ioredis(c));
}
