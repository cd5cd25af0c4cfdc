/**
 * Delivers the latest value at most once per `intervalMs`, and always the last one (a trailing call), so a burst
 * of updates costs one delivery while the final state is never lost.
 */
export function latestOnly<T>(deliver: (value: T) => void, intervalMs: number): { push: (value: T) => void } {
  let pending: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  const flush = () => {
    timer = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    last = performance.now();
    deliver(value);
  };
  return {
    push(value: T) {
      pending = { value };
      if (timer) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
  };
}
