import { describe, expect, it } from 'vitest';
import { Notifier } from './notifier.ts';
import { Throttle } from './throttle.ts';

describe('Notifier', () => {
  it('until() returns true as soon as the condition holds after a notify', async () => {
    const n = new Notifier();
    let ready = false;
    const started = Date.now();
    setTimeout(() => {
      ready = true;
      n.notify();
    }, 30);
    expect(await n.until(() => ready, Date.now() + 5000, () => false)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('until() returns false at the deadline when the condition never holds', async () => {
    const n = new Notifier();
    const started = Date.now();
    expect(await n.until(() => false, Date.now() + 60, () => false)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('until() returns false once stopped, even without a deadline', async () => {
    const n = new Notifier();
    let stopped = false;
    setTimeout(() => {
      stopped = true;
      n.notify();
    }, 20);
    expect(await n.until(() => false, Infinity, () => stopped)).toBe(false);
  });
});

describe('Throttle', () => {
  it('coalesces a burst into one call and keeps calls at least the interval apart', async () => {
    const calls: number[] = [];
    const t = new Throttle(() => calls.push(Date.now()), 100);
    for (let i = 0; i < 10; i++) t.trigger();
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toHaveLength(1);
    t.trigger();
    t.trigger();
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toHaveLength(2);
    expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(95);
    t.cancel();
  });

  it('cancel() drops a pending call', async () => {
    let called = 0;
    const t = new Throttle(() => called++, 10);
    t.trigger();
    t.cancel();
    await new Promise((r) => setTimeout(r, 40));
    expect(called).toBe(0);
  });
});
