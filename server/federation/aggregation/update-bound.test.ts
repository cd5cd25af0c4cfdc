import { describe, expect, it } from 'vitest';
import { median, UpdateNormBound } from './update-bound.ts';

describe('UpdateNormBound', () => {
  it('uses the ceiling until an update was accepted, then multiple × the median, within [floor, ceiling]', () => {
    const bound = new UpdateNormBound({ mode: 'adaptive', multiple: 4, floor: 1, ceiling: 100 });
    expect(bound.current()).toBe(100);
    for (const norm of [2, 3, 10]) bound.accepted(norm); // median 3
    expect(bound.current()).toBe(12);
    const low = new UpdateNormBound({ mode: 'adaptive', multiple: 4, floor: 1, ceiling: 100 });
    low.accepted(0.1); // 0.4 → floor
    expect(low.current()).toBe(1);
    const high = new UpdateNormBound({ mode: 'adaptive', multiple: 4, floor: 1, ceiling: 100 });
    high.accepted(50); // 200 → ceiling
    expect(high.current()).toBe(100);
  });

  it('keeps only the last `window` accepted norms', () => {
    const bound = new UpdateNormBound({ mode: 'adaptive', multiple: 2, window: 2, floor: 0.5, ceiling: 1000 });
    for (const norm of [100, 1, 3]) bound.accepted(norm); // window [1, 3]: median 2
    expect(bound.current()).toBe(4);
  });

  it('fixed: the bound is maxNorm whatever was accepted; off: no bound', () => {
    const fixed = new UpdateNormBound({ mode: 'fixed', maxNorm: 7 });
    fixed.accepted(1);
    expect(fixed.current()).toBe(7);
    expect(new UpdateNormBound({ mode: 'off' }).current()).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a norm over the bound with UPDATE_OUT_OF_BOUNDS, and accepts one at the bound', () => {
    expect(() => UpdateNormBound.check(5.0001, 5)).toThrow(expect.objectContaining({ code: 'UPDATE_OUT_OF_BOUNDS' }));
    expect(() => UpdateNormBound.check(5, 5)).not.toThrow();
  });

  it('rejects settings that make no bound, saying which', () => {
    expect(() => new UpdateNormBound({ mode: 'fixed' })).toThrow(/fixed mode needs maxNorm/);
    expect(() => new UpdateNormBound({ mode: 'adaptive', floor: 10, ceiling: 1 })).toThrow(/floor 10 is over ceiling 1/);
    expect(() => new UpdateNormBound({ mode: 'adaptive', multiple: 0.5 })).toThrow(/multiple/);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('hands its history over: a restored bound is the bound the first one had', () => {
    const first = new UpdateNormBound({ multiple: 2, floor: 1, ceiling: 100, window: 3 });
    for (const norm of [4, 8, 6, 10]) first.accepted(norm);
    expect(first.history()).toEqual([8, 6, 10]);
    const restarted = new UpdateNormBound({ multiple: 2, floor: 1, ceiling: 100, window: 3 });
    expect(restarted.current()).toBe(100); // no history: the ceiling
    restarted.restore(first.history());
    expect(restarted.current()).toBe(first.current());
    expect(restarted.current()).toBe(16);
    // A smaller window keeps the newest norms only.
    const narrow = new UpdateNormBound({ multiple: 2, floor: 1, ceiling: 100, window: 1 });
    narrow.restore([8, 6, 10]);
    expect(narrow.history()).toEqual([10]);
    expect(() => narrow.restore([1, Number.NaN])).toThrow(/not a finite non-negative number/);
  });
});
