/**
 * Restricted Mode (an untrusted workspace): the language server checks a spec without reading the
 * files it names. What the checker says on each file name instead, so the user knows which checks
 * are left out and how to get them.
 */

/** The warning on a data or init file's name when files are not read. */
export function notReadInRestrictedMode(file: string, what: 'data' | 'init'): string {
  return `'${file}' is not read in Restricted Mode: ${what === 'data' ? 'signal names, lengths and values are' : 'the starting point is'} not checked until you trust this workspace`;
}
