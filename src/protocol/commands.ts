/**
 * Commands the language server's code lenses ask the extension to run, and their arguments.
 * Declared once: the server builds the lenses with `lensCommand`, the extension registers the
 * commands. Arguments arrive as JSON (a document URI is its string form, `file:///…`).
 */

/** The command ids, as registered by the extension (package.json `contributes.commands`). */
export const COMMANDS = {
  train: 'nails.train',
  previewData: 'nails.previewData',
  showResults: 'nails.showResults',
} as const;

/** The arguments of each command when a code lens runs it. */
export interface CommandArguments {
  /** Train the spec at this document URI. */
  'nails.train': [specUri: string];
  /** Plot the data the spec at this document URI names (before any training). */
  'nails.previewData': [specUri: string];
  /** Open a run folder's results (the same argument as the Runs view's items). */
  'nails.showResults': [run: { runDir: string }];
}

export type CommandId = keyof CommandArguments;

/** An LSP `Command` for `id` with its typed arguments. */
export interface LensCommand<K extends CommandId = CommandId> {
  title: string;
  command: K;
  arguments: CommandArguments[K];
}

export function lensCommand<K extends CommandId>(
  title: string,
  command: K,
  ...args: CommandArguments[K]
): LensCommand<K> {
  return { title, command, arguments: args };
}
