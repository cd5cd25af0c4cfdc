import { describe, expect, it } from 'vitest';
import { HEADER_BYTES, readHeader, writeHeader } from './header.ts';
import { rejectionOf } from './test-fixtures.ts';

function payload(bodyBytes: number, actualBody = bodyBytes): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + actualBody);
  writeHeader(out, { codecId: 4, length: 1025, bodyBytes });
  return out;
}

describe('codec header', () => {
  it('writes magic, version, codec id, value count and body size, little-endian, and reads them back', () => {
    const bytes = payload(3);
    expect(Array.from(bytes.subarray(0, HEADER_BYTES))).toEqual([0x43, 0x44, 1, 4, 0x01, 0x04, 0, 0, 3, 0, 0, 0]);
    expect(readHeader(bytes)).toEqual({ codecId: 4, length: 1025, bodyBytes: 3 });
  });

  it('refuses a payload shorter than the header, a wrong magic or version, and a body of another size than stated', () => {
    expect(rejectionOf(() => readHeader(new Uint8Array(11)))).toBe('short');
    const badMagic = payload(0);
    badMagic[0] = 0;
    expect(rejectionOf(() => readHeader(badMagic))).toBe('bad-header');
    const badVersion = payload(0);
    badVersion[2] = 2;
    expect(rejectionOf(() => readHeader(badVersion))).toBe('bad-header');
    expect(rejectionOf(() => readHeader(payload(8, 7)))).toBe('short');
    expect(rejectionOf(() => readHeader(payload(8, 9)))).toBe('long');
  });
});
