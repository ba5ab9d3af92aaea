/**
 * The one error type the core throws for bad input. Its message names the argument or file that
 * is wrong and says how to fix it; callers (command line, worker, language server) show the
 * message as it is, never a stack trace.
 */
export class NailsError extends Error {
  /** The argument, file or setting the message is about (e.g. `u`, `experiments[1].y`, a path). */
  readonly subject: string | undefined;

  constructor(message: string, subject?: string) {
    super(message);
    this.name = 'NailsError';
    this.subject = subject;
  }
}

/** Throws a NailsError unless `condition` holds. */
export function check(condition: unknown, message: string, subject?: string): asserts condition {
  if (!condition) throw new NailsError(message, subject);
}

/** Checks that every entry of `values` is finite; names the first bad index and its value. */
export function requireFinite(values: ArrayLike<number>, what: string, cols = 1): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      const where = cols > 1 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `index ${i}`;
      throw new NailsError(
        `${what} contains ${String(v)} at ${where} (0-based); remove or interpolate non-finite samples before identification`,
        what,
      );
    }
  }
}
