/**
 * Calls `fn` at most once per `intervalMs` with the latest value; `flush` delivers a pending value now (the last
 * step of a round must always arrive). Time comes from `now` so tests can drive it.
 */
export function throttle<T>(fn: (value: T) => void, intervalMs: number, now: () => number = () => performance.now()) {
  let last = -Infinity;
  let pending: { value: T } | null = null;
  return {
    push(value: T): void {
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        pending = null;
        fn(value);
      } else pending = { value };
    },
    flush(): void {
      if (pending) {
        last = now();
        const { value } = pending;
        pending = null;
        fn(value);
      }
    },
  };
}
