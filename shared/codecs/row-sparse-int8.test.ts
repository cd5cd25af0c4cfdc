import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { HEADER_BYTES } from './header.ts';
import type { DeltaLayout } from './layout.ts';
import { decodeUpdate, encodeUpdate } from './registry.ts';
import { maxAbsError, rejectionOf, sparseDelta, withFloat32, withUint32 } from './test-fixtures.ts';

describe('row-sparse-int8 codec', () => {
  const layout: DeltaLayout = { length: 4097, rows: 4096, rowWidth: 1 };
  const delta = sparseDelta(layout, 0.04, 4);
  const moved = delta.subarray(0, 4096).filter((v) => v !== 0).length;
  const random = () => {
    const rng = new Rng(1);
    return () => rng.next();
  };

  it('sends moved rows as id + int8 (about 5 bytes a row), zero elsewhere, within one block scale', () => {
    const bytes = encodeUpdate('row-sparse-int8', delta, layout, { random: random() });
    const values = moved + 1;
    expect(bytes.byteLength).toBe(HEADER_BYTES + 4 + moved * 4 + 4 + Math.ceil(values / 256) * 4 + values);
    const decoded = decodeUpdate(bytes, layout).delta;
    for (let i = 0; i < 4096; i++) if (delta[i] === 0) expect(decoded[i]).toBe(0);
    const maxAbs = delta.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbsError(decoded, delta)).toBeLessThan(maxAbs / 127);
  });

  it('refuses bad ids and scales like its parts', () => {
    const bytes = encodeUpdate('row-sparse-int8', delta, layout, { random: random() });
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES + 4, 4096), layout))).toBe('unsorted-ids');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES + 4 + (moved - 1) * 4, 5000), layout))).toBe('out-of-range');
    const scale0 = HEADER_BYTES + 4 + moved * 4 + 4;
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, scale0, -0.5), layout))).toBe('bad-scale');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES, moved - 1), layout))).toBe('long');
  });
});
