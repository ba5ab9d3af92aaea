/** What a job of the extension's job thread gets besides its parameters. */
import type { JobEvent } from '../protocol/host-jobs.js';

/** Distributes `Omit` over a union (each event without its id). */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface JobContext {
  /** Sends an event of this job to the host (the id is added). */
  post(event: Without<JobEvent, 'id'>): void;
  /** Registers what a cancel request does (called at most once). */
  onCancel(stop: () => void): void;
}

/** Sends a log line of this job. */
export const logTo =
  (ctx: JobContext) =>
  (line: string, level: 'info' | 'warn' = 'info'): void =>
    ctx.post({ type: 'log', level, line });
