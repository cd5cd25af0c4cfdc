/**
 * MurmurHash3 x86 32-bit (Appleby), over the UTF-8 bytes of a string.
 * The featurizer's stable hash: the same token gets the same bucket in every browser and Node version,
 * and the values match the reference implementation (and scikit-learn's `murmurhash3_32` unsigned).
 */
export function murmur3(text: string, seed = 0): number {
  const bytes = utf8(text);
  return murmur3Bytes(bytes, 0, bytes.length, seed);
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** Encodes into a reused buffer: tokens are short, and allocating per token dominated the hashing cost. */
function utf8(text: string): Uint8Array {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

/** Hashes `bytes[offset, offset + length)`; n-grams are hashed in place inside one buffer per document. */
export function murmur3Bytes(bytes: Uint8Array, offset: number, length: number, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = offset + (length & ~3);
  for (let i = offset; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The 1–3 trailing bytes, as the reference implementation's switch fall-through does.
  const tail = length & 3;
  if (tail > 0) {
    let k = bytes[blocks];
    if (tail > 1) k ^= bytes[blocks + 1] << 8;
    if (tail > 2) k ^= bytes[blocks + 2] << 16;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
