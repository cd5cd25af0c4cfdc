import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './header.ts';
import type { DeltaLayout } from './layout.ts';
import { decodeUpdate, encodeUpdate } from './registry.ts';
import { rejectionOf, sparseDelta, withFloat32, withUint32 } from './test-fixtures.ts';

describe('row-sparse codec', () => {
  const linear: DeltaLayout = { length: 1025, rows: 1024, rowWidth: 1 };
  const bag: DeltaLayout = { length: 64 * 4 + 4 + 1, rows: 64, rowWidth: 4 };

  it('round-trips exactly, sending only the moved rows (8 bytes each for the linear model) and the tail', () => {
    const delta = sparseDelta(linear, 0.04);
    const moved = delta.subarray(0, 1024).filter((v) => v !== 0).length;
    expect(moved).toBeGreaterThan(20);
    const bytes = encodeUpdate('row-sparse', delta, linear);
    expect(bytes.byteLength).toBe(HEADER_BYTES + 4 + moved * 8 + 4);
    expect(decodeUpdate(bytes, linear).delta).toEqual(delta);
  });

  it('keeps whole rows of an embedding bag, and a row with one non-zero value of several', () => {
    const delta = sparseDelta(bag, 0.1, 2);
    delta[4 * 10 + 3] = 0.5;
    delta[4 * 10] = 0;
    const bytes = encodeUpdate('row-sparse', delta, bag);
    expect(decodeUpdate(bytes, bag).delta).toEqual(delta);
  });

  it('round-trips an all-zero table (only the tail)', () => {
    const delta = new Float32Array(linear.length);
    delta[1024] = 0.25;
    expect(decodeUpdate(encodeUpdate('row-sparse', delta, linear), linear).delta).toEqual(delta);
  });

  it('refuses ids beyond the model, repeated or unsorted ids, too many rows, NaN, and short or long bodies', () => {
    const delta = new Float32Array(linear.length);
    delta[3] = 1;
    delta[7] = 2;
    delta[1000] = 3;
    const bytes = encodeUpdate('row-sparse', delta, linear);
    const ids = HEADER_BYTES + 4;
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, ids + 8, 1024), linear))).toBe('out-of-range');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, ids + 4, 3), linear))).toBe('unsorted-ids');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, ids + 4, 1), linear))).toBe('unsorted-ids');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES, 2000), linear))).toBe('out-of-range');
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, ids + 12 + 4, NaN), linear))).toBe('not-finite');
    // A count of 2 with 3 rows' bytes behind it: 8 bytes too many (the header's size was kept consistent).
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES, 2), linear))).toBe('long');
    const lessTail = withUint32(bytes.subarray(0, bytes.length - 4), 8, bytes.length - 4 - HEADER_BYTES);
    expect(rejectionOf(() => decodeUpdate(lessTail, linear))).toBe('short');
    const truncated = withUint32(bytes.subarray(0, HEADER_BYTES + 2), 8, 2);
    expect(rejectionOf(() => decodeUpdate(truncated, linear))).toBe('short');
  });
});
