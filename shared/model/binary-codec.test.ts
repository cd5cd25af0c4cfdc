import { describe, expect, it } from 'vitest';
import { decodeFloat32, decodeFloat64, decodeUint32, encodeFloat32, encodeFloat64, encodeUint32, sha256Hex } from './binary-codec.ts';

const bytes = (u8: Uint8Array): number[] => Array.from(u8);

describe('float32 encoding', () => {
  it('writes IEEE-754 little-endian: 1 → 00 00 80 3f, -2 → 00 00 00 c0, 0.5 → 00 00 00 3f', () => {
    expect(bytes(encodeFloat32(Float32Array.from([1, -2, 0.5])))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 0, 0, 0, 0x3f]);
  });

  it('encodes only the view it is given, not the whole underlying buffer', () => {
    const whole = Float32Array.from([9, 1, 9]);
    expect(bytes(encodeFloat32(whole.subarray(1, 2)))).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('returns a copy: later changes to the values do not change the bytes', () => {
    const values = Float32Array.from([1]);
    const encoded = encodeFloat32(values);
    values[0] = 2;
    expect(bytes(encoded)).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('round-trips exactly, including -0, subnormals and the extremes', () => {
    const values = Float32Array.from([0, -0, 1e-45, -3.4028234663852886e38, Math.PI, 123456.789]);
    const decoded = decodeFloat32(encodeFloat32(values), values.length);
    expect(bytes(encodeFloat32(decoded))).toEqual(bytes(encodeFloat32(values)));
    expect(Object.is(decoded[1], -0)).toBe(true);
  });

  it('decodes from an unaligned offset inside a larger buffer', () => {
    const padded = new Uint8Array(7);
    padded.set([0, 0, 0x80, 0x3f], 3);
    expect(Array.from(decodeFloat32(padded.subarray(3), 1))).toEqual([1]);
  });

  it('rejects a wrong byte count, naming what was decoded', () => {
    expect(() => decodeFloat32(new Uint8Array(7), 2)).toThrow('weights: expected 8 bytes (2 float32), got 7');
    expect(() => decodeFloat32(new Uint8Array(12), 2, 'delta')).toThrow('delta: expected 8 bytes (2 float32), got 12');
  });

  it('rejects NaN and infinities, saying which value', () => {
    expect(() => decodeFloat32(encodeFloat32(Float32Array.from([1, NaN])), 2)).toThrow('weights: value 1 is not finite (NaN)');
    expect(() => decodeFloat32(encodeFloat32(Float32Array.from([-Infinity])), 1)).toThrow('value 0 is not finite (-Infinity)');
  });
});

describe('uint32 encoding', () => {
  it('writes little-endian: 0x01020304 → 04 03 02 01, 0xffffffff → ff ff ff ff', () => {
    expect(bytes(encodeUint32([0x01020304, 0xffffffff]))).toEqual([4, 3, 2, 1, 0xff, 0xff, 0xff, 0xff]);
  });

  it('round-trips counts stored as doubles (document frequencies are a Float64Array)', () => {
    const counts = Float64Array.from([0, 1, 25_000, 4_294_967_295]);
    expect(Array.from(decodeUint32(encodeUint32(counts), 4))).toEqual([0, 1, 25_000, 4_294_967_295]);
  });

  it('rejects a wrong byte count', () => {
    expect(() => decodeUint32(new Uint8Array(5), 1, 'document frequencies')).toThrow('document frequencies: expected 4 bytes, got 5');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('decodeFloat32 with share', () => {
  it('views aligned bytes in place and copies unaligned ones, checking both', () => {
    const bytes = encodeFloat32(Float32Array.from([1, -2]));
    const shared = decodeFloat32(bytes, 2, 'delta', { share: true });
    expect(shared.buffer).toBe(bytes.buffer);
    const padded = new Uint8Array(9);
    padded.set(bytes, 1);
    const copied = decodeFloat32(padded.subarray(1), 2, 'delta', { share: true });
    expect(copied.buffer).not.toBe(padded.buffer);
    expect(Array.from(copied)).toEqual([1, -2]);
    expect(() => decodeFloat32(encodeFloat32(Float32Array.from([0, NaN])), 2, 'delta', { share: true })).toThrow('delta: value 1 is not finite (NaN)');
  });
});

describe('decodeFloat32 of a Node Buffer', () => {
  it('decodes a Buffer that is a view into a larger pool', () => {
    const pool = Buffer.alloc(64);
    const view = pool.subarray(8, 16);
    view.set(encodeFloat32(Float32Array.from([1.5, -3])));
    expect(Array.from(decodeFloat32(view, 2))).toEqual([1.5, -3]);
    expect(Array.from(decodeFloat32(view, 2, 'delta', { share: true }))).toEqual([1.5, -3]);
  });
});

describe('float64', () => {
  it('round-trips every bit, little-endian, from any offset', () => {
    const values = Float64Array.of(1, -0.1, Number.MIN_VALUE, 1e300, -0);
    const bytes = encodeFloat64(values);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const back = decodeFloat64(padded.subarray(3), values.length);
    expect(Array.from(back)).toEqual(Array.from(values));
    expect(Object.is(back[4], -0)).toBe(true);
    expect(() => decodeFloat64(new Uint8Array(12), 2, 'velocity')).toThrow('velocity: expected 16 bytes (2 float64), got 12');
  });
});
