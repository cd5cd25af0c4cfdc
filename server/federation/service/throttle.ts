/**
 * Runs `fn` at most once per `intervalMs`, always after the latest trigger (trailing edge): a burst of changes
 * yields one call soon after it, and the last state is never dropped. Used for the dashboard's snapshots.
 */
export class Throttle {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(
    private readonly fn: () => void,
    private readonly intervalMs: number,
  ) {}

  trigger(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.last + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = Date.now();
      this.fn();
    }, wait);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
