/**
 * The error events of a queue's connections (BullMQ's Queue, QueueEvents, Worker, and the ioredis
 * clients under them) as the user sees them:
 *
 * - while connecting they are kept, not printed: ioredis retries and emits one per attempt, and a
 *   queue that cannot be reached is one line (`ready` fails naming the first error, e.g.
 *   "connect ECONNREFUSED 127.0.0.1:6379");
 * - once connected, each new one is logged as `queue: …` (a dropped connection, a refused command);
 * - after `mute()` (the connections are being closed) none.
 *
 * Every line has the URL's credentials and the password removed.
 */
import { NailsError } from '../core/errors.js';
import { oneLine } from './fit-row.js';
import { redactSecrets } from './queue-connection.js';

export class QueueErrors {
  private state: 'connecting' | 'connected' | 'muted' = 'connecting';
  private first: string | undefined;
  private last = '';

  constructor(
    private readonly log: (line: string) => void,
    private readonly secret?: string,
  ) {}

  /** The listener for every connection's 'error' event. */
  readonly onError = (e: Error): void => {
    const line = redactSecrets(oneLine(e), this.secret);
    if (this.state === 'connecting') this.first ??= line;
    else if (this.state === 'connected' && line !== this.last) this.log(`queue: ${line}`);
    this.last = line;
  };

  /**
   * Waits for `p` (the connections' readiness), or fails in one line naming `where` (no password)
   * and the first connection error, or the time limit.
   */
  async ready(p: Promise<unknown>, where: string, ms = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    });
    try {
      await Promise.race([p, timeout]);
      this.state = 'connected';
    } catch (e) {
      this.state = 'muted';
      const why = this.first ?? redactSecrets(oneLine(e), this.secret);
      throw new NailsError(`cannot reach the queue at ${where}: ${why}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** No more lines: the connections are closing (their last errors are expected). */
  mute(): void {
    this.state = 'muted';
  }
}
