/**
 * A minimal Redis client (RESP2 over TCP or TLS) with the shape of Bun's built-in `RedisClient`
 * (`send`, `connect`, `close`, `duplicate`, `connected`, `onconnect`/`onclose`), which BullMQ
 * drives through its own adapter (`createBunRedisClient`). BullMQ's default driver, ioredis, is
 * an optional peer dependency this project does not install; this file is the whole driver.
 * Replies: simple and bulk strings as strings, integers as numbers, nil as null, arrays as
 * arrays (an error inside an array, e.g. in EXEC's, as an Error), an error reply as a rejection.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { RedisConnection } from './redis-connection.js';

type Reply = string | number | null | Error | Reply[];

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

/** Thrown for commands on a closed connection (the message BullMQ's adapter recognises). */
const closedError = () => new Error('Connection closed');

export class RespClient {
  connected = false;
  onconnect: (() => void) | null = null;
  onclose: ((error?: Error) => void) | null = null;
  onerror: ((error: Error) => void) | null = null;
  private socket: net.Socket | undefined;
  private pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private closing = false;
  private connecting: Promise<void> | undefined;

  constructor(private readonly options: RedisConnection) {}

  /** Connects, authenticates and selects the database; resolves when commands can be sent. */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(): Promise<void> {
    const o = this.options;
    return new Promise<void>((resolve, reject) => {
      const s = o.tls
        ? tls.connect({
            host: o.host,
            port: o.port,
            ...(net.isIP(o.host) ? {} : { servername: o.host }),
          })
        : net.connect({ host: o.host, port: o.port });
      const early = (e: Error) => reject(e);
      s.once('error', early);
      s.once(o.tls ? 'secureConnect' : 'connect', () => {
        s.off('error', early);
        s.setNoDelay(true);
        s.setKeepAlive(true, 10_000);
        this.socket = s;
        this.closing = false;
        s.on('data', (d: Buffer) => this.receive(d));
        s.on('error', (e: Error) => this.onerror?.(e));
        s.on('close', () => this.closed(s));
        void this.handshake().then(
          () => {
            this.connected = true;
            this.onconnect?.();
            resolve();
          },
          (e: Error) => {
            s.destroy();
            reject(e);
          },
        );
      });
    });
  }

  private async handshake(): Promise<void> {
    const o = this.options;
    if (o.password !== undefined)
      await this.write('AUTH', o.username ? [o.username, o.password] : [o.password]);
    if (o.db) await this.write('SELECT', [String(o.db)]);
  }

  /** Sends one command; the reply comes in order (commands pipeline on the connection). */
  send<T = Reply>(command: string, args: readonly (string | Buffer | number)[] = []): Promise<T> {
    if (!this.connected || !this.socket) return Promise.reject(closedError());
    return this.write(command, args) as Promise<T>;
  }

  get(key: string): Promise<string | null> {
    return this.send<string | null>('GET', [key]);
  }

  smembers(key: string): Promise<string[] | null> {
    return this.send<string[] | null>('SMEMBERS', [key]);
  }

  incr(key: string): Promise<number> {
    return this.send<number>('INCR', [key]);
  }

  private write(command: string, args: readonly (string | Buffer | number)[]): Promise<Reply> {
    const parts = [command, ...args].map((a) =>
      Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8'),
    );
    const chunks: Buffer[] = [Buffer.from(`*${parts.length}\r\n`)];
    for (const p of parts) chunks.push(Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n'));
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket!.write(Buffer.concat(chunks));
    });
  }

  /** Closes the connection; commands still waiting are rejected. */
  close(): void {
    this.closing = true;
    this.connected = false;
    this.socket?.destroy();
  }

  /** A new, unconnected client to the same server (BullMQ's blocking connections). */
  duplicate(): Promise<this> {
    return Promise.resolve(new RespClient(this.options) as this);
  }

  private closed(s: net.Socket): void {
    if (s !== this.socket) return;
    const unexpected = !this.closing;
    this.connected = false;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    for (const p of this.pending.splice(0)) p.reject(closedError());
    this.onclose?.(unexpected ? closedError() : undefined);
  }

  private receive(d: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, d]) : d;
    let at = 0;
    for (;;) {
      let r: ReturnType<typeof parseReply>;
      try {
        r = parseReply(this.buffer, at);
      } catch (e) {
        this.onerror?.(e as Error);
        this.socket?.destroy();
        return;
      }
      if (!r) break;
      at = r.next;
      const p = this.pending.shift();
      if (!p) continue;
      if (r.value instanceof Error) p.reject(r.value);
      else p.resolve(r.value);
    }
    this.buffer = at >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(at);
  }
}

/** One RESP2 reply from `buf` at `at`, or undefined when it is not complete yet. */
export function parseReply(buf: Buffer, at: number): { value: Reply; next: number } | undefined {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(buf[at]!)) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new Error(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, next };
      if (buf.length < next + n + 2) return undefined;
      return { value: buf.toString('utf8', next, next + n), next: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, next };
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, pos);
        if (!r) return undefined;
        items.push(r.value);
        pos = r.next;
      }
      return { value: items, next: pos };
    }
    default:
      throw new Error(`unexpected reply from Redis: ${line.slice(0, 40)}`);
  }
}
