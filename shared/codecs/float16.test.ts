import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { fromHalfBits, MAX_FLOAT16, toHalfBits } from './float16.ts';
import { HEADER_BYTES } from './header.ts';
import { flatLayout } from './layout.ts';
import { decodeUpdate, encodeUpdate } from './registry.ts';
import { rejectionOf } from './test-fixtures.ts';

describe('float16 codec', () => {
  it('maps every one of the 65,536 finite and special half values back to its own bits', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 65536; bits++) {
      const value = fromHalfBits(bits);
      const nan = (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
      if (nan ? !Number.isNaN(value) : toHalfBits(value) !== bits) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to the nearest half, ties to even: 1 + 2^-11 → 1, 1 + 3·2^-11 → 1 + 2^-9, 65519 → 65504, 2^-25 → 0', () => {
    expect(fromHalfBits(toHalfBits(1 + 2 ** -11))).toBe(1);
    expect(fromHalfBits(toHalfBits(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(fromHalfBits(toHalfBits(65519))).toBe(65504);
    expect(fromHalfBits(toHalfBits(2 ** -25))).toBe(0);
    expect(fromHalfBits(toHalfBits(3 * 2 ** -26))).toBe(2 ** -24);
  });

  it('round-trips within its stated bound (relative 2^-11, absolute 2^-25 among subnormals) in 2 bytes a value', () => {
    const rng = new Rng(3);
    const delta = Float32Array.from({ length: 4096 }, (_, i) => rng.normal() * 10 ** ((i % 12) - 9));
    const layout = flatLayout(delta.length);
    const bytes = encodeUpdate('float16', delta, layout);
    expect(bytes.byteLength).toBe(HEADER_BYTES + delta.length * 2);
    const decoded = decodeUpdate(bytes, layout).delta;
    for (let i = 0; i < delta.length; i++) {
      expect(Math.abs(decoded[i] - delta[i])).toBeLessThanOrEqual(Math.max(Math.abs(delta[i]) * 2 ** -11, 2 ** -25));
    }
  });

  it('will not encode a value beyond ±65504, and refuses an encoded infinity or NaN and a wrong size', () => {
    const layout = flatLayout(2);
    expect(() => encodeUpdate('float16', Float32Array.from([0, MAX_FLOAT16 * 2]), layout)).toThrow(/not representable/);
    const bytes = encodeUpdate('float16', Float32Array.from([1, 2]), layout);
    const inf = Uint8Array.from(bytes);
    inf[HEADER_BYTES + 2] = 0x00;
    inf[HEADER_BYTES + 3] = 0x7c;
    expect(rejectionOf(() => decodeUpdate(inf, layout))).toBe('not-finite');
    inf[HEADER_BYTES + 2] = 0x01;
    expect(rejectionOf(() => decodeUpdate(inf, layout))).toBe('not-finite');
    expect(rejectionOf(() => decodeUpdate(bytes.subarray(0, bytes.length - 1), layout))).toBe('short');
  });
});
