import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './header.ts';
import { flatLayout } from './layout.ts';
import { decodeUpdate, encodeUpdate } from './registry.ts';
import { rejectionOf, withFloat32 } from './test-fixtures.ts';

describe('float32 codec', () => {
  const layout = flatLayout(5);
  const delta = Float32Array.from([0, -0.5, 1e-40, 3.4e38, -7]);

  it('round-trips exactly in 4 bytes a value', () => {
    const bytes = encodeUpdate('float32', delta, layout);
    expect(bytes.byteLength).toBe(HEADER_BYTES + 20);
    expect(decodeUpdate(bytes, layout).delta).toEqual(delta);
  });

  it('refuses a short or long body and a NaN or infinity', () => {
    const bytes = encodeUpdate('float32', delta, layout);
    expect(rejectionOf(() => decodeUpdate(bytes, flatLayout(6)))).toBe('wrong-length');
    expect(rejectionOf(() => decodeUpdate(bytes.subarray(0, bytes.length - 4), layout))).toBe('short');
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, HEADER_BYTES + 8, NaN), layout))).toBe('not-finite');
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, HEADER_BYTES, -Infinity), layout))).toBe('not-finite');
  });
});
