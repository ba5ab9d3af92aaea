/**
 * Keeps the last-run lens current: watches the `runs/` folder beside each spec the lenses were
 * asked for and, when a run's report.json is written, asks the editor to request the lenses
 * again (LSP `workspace/codeLens/refresh`), debounced. A folder without `runs/` yet is watched
 * for its creation.
 */
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';

/** Spec folders watched at most (the oldest is dropped beyond). */
const MAX_FOLDERS = 20;

interface Watched {
  folder?: FSWatcher;
  runs?: FSWatcher;
}

export class RunsWatcher {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | undefined;

  /** `changed` runs once per burst of writes, `delayMs` after the last. */
  constructor(
    private readonly changed: () => void,
    private readonly delayMs = 300,
  ) {}

  /** Watches `specDir/runs` (idempotent). */
  watch(specDir: string): void {
    if (this.watched.has(specDir)) return;
    if (this.watched.size >= MAX_FOLDERS) {
      const [oldest] = this.watched.keys();
      if (oldest !== undefined) this.unwatch(oldest);
    }
    const w: Watched = {};
    this.watched.set(specDir, w);
    if (this.watchRuns(specDir, w)) return;
    try {
      w.folder = watch(specDir, (_event, name) => {
        if (String(name) === 'runs' && !w.runs && this.watchRuns(specDir, w)) this.poke();
      });
      w.folder.on('error', () => this.unwatch(specDir));
    } catch {
      // The folder cannot be watched: the lens updates on the next edit instead.
    }
  }

  private watchRuns(specDir: string, w: Watched): boolean {
    try {
      w.runs = watch(path.join(specDir, 'runs'), { recursive: true }, (_event, name) => {
        if (name && path.basename(String(name)) === 'report.json') this.poke();
      });
      w.runs.on('error', () => this.unwatch(specDir));
      w.folder?.close();
      delete w.folder;
      return true;
    } catch {
      return false; // no runs/ yet
    }
  }

  private poke(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.changed, this.delayMs);
    this.timer.unref();
  }

  unwatch(specDir: string): void {
    const w = this.watched.get(specDir);
    w?.folder?.close();
    w?.runs?.close();
    this.watched.delete(specDir);
  }

  dispose(): void {
    for (const dir of [...this.watched.keys()]) this.unwatch(dir);
    clearTimeout(this.timer);
  }
}
