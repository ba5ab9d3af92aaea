/**
 * Saves a chart the results panel exports (PNG from the canvas, SVG drawn from the plotted data)
 * where the user chooses, beside the workspace by default.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The file's bytes: a PNG data URL decoded, SVG text as UTF-8. */
export function chartBytes(format: 'png' | 'svg', data: string): Buffer {
  if (format === 'svg') return Buffer.from(data, 'utf8');
  const comma = data.indexOf(',');
  return Buffer.from(comma >= 0 ? data.slice(comma + 1) : data, 'base64');
}

/** Asks where to save and writes the file; returns its path (undefined when cancelled). */
export async function saveChart(
  format: 'png' | 'svg',
  name: string,
  data: string,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '.';
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(folder, `${name}.${format}`)),
    filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
  });
  if (!target) return undefined;
  writeFileSync(target.fsPath, chartBytes(format, data));
  log.info(`chart exported to ${target.fsPath}`);
  return target.fsPath;
}
