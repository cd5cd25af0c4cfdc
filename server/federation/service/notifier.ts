/**
 * Wakes the round loop when something it waits on may have changed (a client joined, an update arrived, the
 * server is stopping). Waiters re-check their condition after each wake-up, so spurious wake-ups are harmless.
 */
export class Notifier {
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify(), or after `timeoutMs` (Infinity: only on notify). */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== wake);
          resolve();
        }, Math.max(0, timeoutMs));
      }
    });
  }

  /**
   * Waits until `condition()` holds (true), the deadline passes or `stopped()` holds (false). `deadline` is a
   * Date.now() timestamp; Infinity waits without limit.
   */
  async until(condition: () => boolean, deadline: number, stopped: () => boolean): Promise<boolean> {
    for (;;) {
      if (stopped()) return false;
      if (condition()) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.wait(left);
    }
  }
}
