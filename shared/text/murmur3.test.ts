import { describe, expect, it } from 'vitest';
import { murmur3, murmur3Bytes } from './murmur3.ts';

/**
 * Reference values of MurmurHash3_x86_32 over UTF-8 bytes, computed independently with the Python `mmh3` package
 * 5.3.0 (a binding of Appleby's C++ code): `mmh3.hash(s.encode('utf-8'), seed, signed=False)`.
 */
const reference: [string, number, number][] = [
  ['', 0, 0x00000000],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['a', 0, 0x3c2569b2],
  ['ab', 0, 0x9bbfd75f],
  ['abc', 0, 0xb3dd93fa],
  ['abcd', 0, 0x43ed676a],
  ['hello', 0, 0x248bfa47],
  ['hello', 42, 0xe2dbd2e1],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['not good', 0, 0xf95e82c5],
  ['café', 0, 0x241c0f08],
  ['😍', 0, 0xc32e637b],
  ['i\u0307stanbul', 0, 0x577ce736],
];

describe('murmur3', () => {
  it.each(reference)('murmur3(%j, %i) matches the reference implementation', (text, seed, expected) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('defaults to seed 0 and returns unsigned 32-bit integers', () => {
    expect(murmur3('hello')).toBe(0x248bfa47);
    for (const [text, seed] of reference) {
      const h = murmur3(text, seed);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });

  it('hashes a slice in place exactly as the slice on its own', () => {
    const bytes = new TextEncoder().encode('xx not good yy');
    expect(murmur3Bytes(bytes, 3, 8, 0)).toBe(0xf95e82c5);
    expect(murmur3Bytes(bytes, 3, 0, 1)).toBe(0x514e28b7);
  });

  it('hashes a string longer than its reused encoding buffer, then a short one again', () => {
    const long = 'é'.repeat(1000); // 2000 UTF-8 bytes, more than the initial 256-byte scratch buffer
    expect(murmur3(long)).toBe(murmur3Bytes(new TextEncoder().encode(long), 0, 2000));
    expect(murmur3('hello', 42)).toBe(0xe2dbd2e1);
  });
});
