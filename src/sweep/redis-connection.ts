/** Where a Redis server is and how to log in: a parsed redis:// or rediss:// URL. */
export interface RedisConnection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
  /** BullMQ workers need this unlimited (blocking commands). */
  maxRetriesPerRequest: null;
}
