import { describe, expect, it } from 'vitest';
import type { DeltaLayout } from './layout.ts';
import { movedRows } from './moved-rows.ts';
import { encodeUpdate } from './registry.ts';
import { sparseDelta } from './test-fixtures.ts';

describe('movedRows', () => {
  const linear: DeltaLayout = { length: 1025, rows: 1024, rowWidth: 1 };
  const bag: DeltaLayout = { length: 64 * 4 + 5, rows: 64, rowWidth: 4 };

  it.each([
    ['linear', linear],
    ['embedding bag', bag],
  ])('finds the same rows from candidates as from a full scan (%s)', (_name, layout) => {
    const delta = sparseDelta(layout, 0.1, 3);
    const all = movedRows(delta, layout);
    expect(all.length).toBeGreaterThan(3);
    // Candidates: the moved rows plus some that did not move (a touched row whose delta happens to be zero).
    const candidates = Uint32Array.from(new Set([...all, 0, 5, layout.rows - 1])).sort();
    expect(movedRows(delta, layout, candidates)).toEqual(all);
  });

  it('refuses a candidate outside the model', () => {
    expect(() => movedRows(new Float32Array(1025), linear, Uint32Array.from([3, 1024]))).toThrow("candidate row 1024 is outside the model's 1024 rows");
  });

  it('gives the sparse codecs the same bytes with and without the rows hint', () => {
    const delta = sparseDelta(linear, 0.04, 5);
    const rows = movedRows(delta, linear);
    for (const codec of ['row-sparse', 'row-sparse-int8'] as const) {
      const seeded = () => {
        let s = 1;
        return () => (s = (s * 16807) % 2147483647) / 2147483647;
      };
      expect(encodeUpdate(codec, delta, linear, { rows, random: seeded() })).toEqual(encodeUpdate(codec, delta, linear, { random: seeded() }));
    }
  });
});
