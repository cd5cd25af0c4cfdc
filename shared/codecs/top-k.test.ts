import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { HEADER_BYTES } from './header.ts';
import { flatLayout } from './layout.ts';
import { decodeUpdate, encodeUpdate } from './registry.ts';
import { rejectionOf, withFloat32, withUint32 } from './test-fixtures.ts';

describe('top-k codec with error feedback', () => {
  const layout = flatLayout(1000);

  it('sends exactly the k largest magnitudes (8 bytes each), zero elsewhere', () => {
    const rng = new Rng(6);
    const delta = Float32Array.from({ length: 1000 }, () => rng.normal());
    const bytes = encodeUpdate('top-k', delta, layout, { topKFraction: 0.05 });
    expect(bytes.byteLength).toBe(HEADER_BYTES + 4 + 50 * 8);
    const decoded = decodeUpdate(bytes, layout).delta;
    const threshold = Float32Array.from(delta, Math.abs).sort().reverse()[49];
    for (let i = 0; i < 1000; i++) expect(decoded[i]).toBe(Math.abs(delta[i]) >= threshold ? delta[i] : 0);
  });

  it('breaks ties at the threshold by index and never sends zeros', () => {
    const delta = Float32Array.from([0, 1, -1, 1, 0, 0, 0, 0, 0, 0]);
    const twoOfThree = decodeUpdate(encodeUpdate('top-k', delta, flatLayout(10), { topKFraction: 0.2 }), flatLayout(10)).delta;
    expect(Array.from(twoOfThree)).toEqual([0, 1, -1, 0, 0, 0, 0, 0, 0, 0]);
    const all = encodeUpdate('top-k', delta, flatLayout(10), { topKFraction: 1 });
    expect(all.byteLength).toBe(HEADER_BYTES + 4 + 3 * 8);
  });

  it('keeps what it did not send and adds it next round: over rounds, the sum sent equals the sum of the deltas', () => {
    const rng = new Rng(7);
    const residual: { values: Float32Array | null } = { values: null };
    const sentTotal = new Float64Array(1000);
    const deltaTotal = new Float64Array(1000);
    for (let round = 0; round < 20; round++) {
      const delta = Float32Array.from({ length: 1000 }, () => rng.normal());
      const sent = decodeUpdate(encodeUpdate('top-k', delta, layout, { topKFraction: 0.1, residual }), layout).delta;
      for (let i = 0; i < 1000; i++) {
        sentTotal[i] += sent[i];
        deltaTotal[i] += delta[i];
      }
    }
    // Sent + still held = everything: error feedback loses nothing, it only delays.
    for (let i = 0; i < 1000; i++) expect(sentTotal[i] + residual.values![i]).toBeCloseTo(deltaTotal[i], 3);
    // A residual of another length (a new model) is dropped, not added.
    const fresh = Float32Array.from([0, 0, 3]);
    expect(Array.from(decodeUpdate(encodeUpdate('top-k', fresh, flatLayout(3), { topKFraction: 0.34, residual }), flatLayout(3)).delta)).toEqual([0, 0, 3]);
  });

  it('refuses unsorted or repeated indices, indices beyond the model, a count beyond it, NaN, and wrong sizes', () => {
    const delta = Float32Array.from({ length: 1000 }, (_, i) => (i % 100 === 0 ? i + 1 : 0));
    const bytes = encodeUpdate('top-k', delta, layout, { topKFraction: 0.003 });
    const ids = HEADER_BYTES + 4;
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, ids, 950), layout))).toBe('unsorted-ids');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, ids + 4, 700), layout))).toBe('unsorted-ids');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, ids + 8, 1000), layout))).toBe('out-of-range');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES, 1001), layout))).toBe('out-of-range');
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, ids + 12, Infinity), layout))).toBe('not-finite');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES, 2), layout))).toBe('long');
  });
});
