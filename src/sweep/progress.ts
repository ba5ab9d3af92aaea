/**
 * Progress of a sweep as one line per event on stderr: done / running / failed of the total and
 * an ETA from the mean time per finished fit and the fits in flight.
 */
export class SweepProgress {
  private done = 0;
  private failed = 0;
  private running = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly total: number,
    private readonly write: (line: string) => void,
    private readonly where: string,
  ) {}

  started(id: string): void {
    this.running++;
    this.write(`started ${id}  ${this.counts()}`);
  }

  ended(id: string, ok: boolean, detail: string): void {
    this.running = Math.max(0, this.running - 1);
    if (ok) this.done++;
    else this.failed++;
    this.write(`${ok ? 'done' : 'FAILED'} ${id}: ${detail}  ${this.counts()}`);
  }

  private counts(): string {
    const finished = this.done + this.failed;
    const elapsed = (performance.now() - this.t0) / 1000;
    const left = this.total - finished;
    const eta = finished && left ? `, ETA ${formatSeconds((elapsed / finished) * left)}` : '';
    return `[${this.done} done, ${this.running} running, ${this.failed} failed of ${this.total}${eta}; ${this.where}]`;
  }
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${s.toFixed(0)} s`;
  if (s < 5400) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
