/** A mistake on the command line: reported as one line and exit status 2. */
export class UsageError extends Error {}
