import { describe, expect, it } from 'vitest';
import { sliceBatch, toFeaturizedSet } from '../model/featurized-set.ts';
import { placeRows, remapIds, touchedRows } from './touched-rows.ts';

const set = toFeaturizedSet(
  [
    { ids: Int32Array.from([7, 2]), values: Float32Array.from([1, 2]) },
    { ids: Int32Array.from([2, 9, 0]), values: Float32Array.from([3, 4, 5]) },
  ],
  [1, 0],
);

describe('touchedRows', () => {
  it('is the sorted union of the ids', () => {
    expect(Array.from(touchedRows(set, 10))).toEqual([0, 2, 7, 9]);
  });

  it('refuses an id outside the buckets', () => {
    expect(() => touchedRows(set, 9)).toThrow("feature id 9 is outside the model's 9 buckets");
  });
});

describe('remapIds', () => {
  it('replaces each id by its position among the rows, keeping entry order, values and labels', () => {
    const remapped = remapIds(set, touchedRows(set, 10), 10);
    expect(Array.from(remapped.ids)).toEqual([2, 1, 1, 3, 0]);
    expect(remapped.values).toBe(set.values);
    expect(remapped.labels).toBe(set.labels);
    expect(Array.from(sliceBatch(remapped, [1]).ids)).toEqual([1, 3, 0]);
  });

  it('refuses an id not among the rows', () => {
    expect(() => remapIds(set, Uint32Array.from([0, 2, 7]), 10)).toThrow('feature id 9 is not among the rows given');
  });
});

describe('placeRows', () => {
  it('writes rows of width 2 and the tail into a copy of the base', () => {
    const layout = { length: 4 * 2 + 3, rows: 4, rowWidth: 2 };
    const base = Float32Array.from({ length: 11 }, (_, i) => i);
    const out = placeRows(base, Float32Array.from([-1, -2, -3, -4, 10, 20, 30]), layout, Uint32Array.from([1, 3]));
    expect(Array.from(out)).toEqual([0, 1, -1, -2, 4, 5, -3, -4, 10, 20, 30]);
    expect(base[2]).toBe(2);
  });

  it('refuses a compact vector of the wrong length', () => {
    expect(() => placeRows(new Float32Array(5), new Float32Array(2), { length: 5, rows: 4, rowWidth: 1 }, Uint32Array.from([1, 2]))).toThrow('expected 3 compact values, got 2');
  });
});
