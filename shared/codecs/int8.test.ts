import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { HEADER_BYTES } from './header.ts';
import { int8BodyBytes } from './int8-blocks.ts';
import { flatLayout } from './layout.ts';
import { decodeUpdate, encodeUpdate } from './registry.ts';
import { rejectionOf, withFloat32, withUint32 } from './test-fixtures.ts';

const seeded = (seed: number) => {
  const rng = new Rng(seed);
  return () => rng.next();
};

describe('int8 codec (block scales, stochastic rounding)', () => {
  const rng = new Rng(5);
  const delta = Float32Array.from({ length: 1000 }, (_, i) => rng.normal() * (i < 500 ? 0.001 : 1));
  const layout = flatLayout(delta.length);

  it('stays within one block scale (max|v| / 127) of every value, in 1 byte a value plus 4 per block of 256', () => {
    const bytes = encodeUpdate('int8', delta, layout, { random: seeded(1) });
    expect(bytes.byteLength).toBe(HEADER_BYTES + 4 + 4 * 4 + 1000);
    const decoded = decodeUpdate(bytes, layout).delta;
    for (let b = 0; b < 4; b++) {
      const block = delta.subarray(b * 256, (b + 1) * 256);
      const scale = Math.max(...Array.from(block, Math.abs)) / 127;
      for (let i = b * 256; i < Math.min((b + 1) * 256, 1000); i++) expect(Math.abs(decoded[i] - delta[i])).toBeLessThan(scale * 1.000001);
    }
    // A block's largest value is on the grid (±127·scale), so it comes back to float32 rounding.
    const top = delta.subarray(0, 256).reduce((m, v, i, a) => (Math.abs(v) > Math.abs(a[m]) ? i : m), 0);
    expect(decoded[top]).toBeCloseTo(delta[top], 9);
  });

  it('is unbiased: the mean error over many seeded encodings goes to 0 as 1/√n, far below the rounding step', () => {
    // 0.3 of the step above a grid point: plain rounding would be off by −0.3 steps every time.
    const values = Float32Array.from([127, 0.3, -40.7, 5.5]);
    const step = 1;
    const sum = new Float64Array(values.length);
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const decoded = decodeUpdate(encodeUpdate('int8', values, flatLayout(4), { random: seeded(t + 1) }), flatLayout(4)).delta;
      for (let i = 0; i < values.length; i++) sum[i] += decoded[i] - values[i];
    }
    // Each error is within ±1 step with variance ≤ 1/4: the mean of 4000 lies within 5σ = 5·0.5/√4000 ≈ 0.04 steps.
    for (let i = 0; i < values.length; i++) expect(Math.abs(sum[i] / trials)).toBeLessThan(0.04 * step);
  });

  it('gives the same bytes for the same seed, and all zeros for a zero block', () => {
    expect(encodeUpdate('int8', delta, layout, { random: seeded(9) })).toEqual(encodeUpdate('int8', delta, layout, { random: seeded(9) }));
    const zeros = new Float32Array(300);
    expect(decodeUpdate(encodeUpdate('int8', zeros, flatLayout(300), { random: seeded(1) }), flatLayout(300)).delta).toEqual(zeros);
  });

  it('needs an injected random source', () => {
    expect(() => encodeUpdate('int8', delta, layout)).toThrow(/random source/);
  });

  it('refuses bad scales, −128, a bad block size and a body of the wrong size', () => {
    const bytes = encodeUpdate('int8', delta, layout, { random: seeded(1) });
    const scale0 = HEADER_BYTES + 4;
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, scale0, -1), layout))).toBe('bad-scale');
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, scale0, NaN), layout))).toBe('bad-scale');
    expect(rejectionOf(() => decodeUpdate(withFloat32(bytes, scale0, 3e38), layout))).toBe('bad-scale');
    const minus128 = Uint8Array.from(bytes);
    minus128[HEADER_BYTES + 4 + 16 + 7] = 0x80;
    expect(rejectionOf(() => decodeUpdate(minus128, layout))).toBe('out-of-range');
    expect(rejectionOf(() => decodeUpdate(withUint32(bytes, HEADER_BYTES, 0), layout))).toBe('out-of-range');
    // A block size of 512 needs 2 scales, not 4: the header's body size no longer matches what the layout needs.
    const resized = withUint32(bytes, HEADER_BYTES, 512);
    expect(int8BodyBytes(1000, 512)).toBeLessThan(bytes.byteLength - HEADER_BYTES);
    expect(rejectionOf(() => decodeUpdate(resized, layout))).toBe('long');
  });
});
