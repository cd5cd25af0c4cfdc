import { murmur3Bytes } from './murmur3.ts';
import type { FeaturizerSettings } from './settings.ts';
import { tokenize } from './tokenize.ts';

/** A sparse vector: strictly increasing bucket ids and their values. */
export interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

const encoder = new TextEncoder();

/**
 * Raw term counts of one text: every n-gram (n = 1..ngramMax) hashed to a bucket, counts summed per bucket.
 * An n-gram is hashed as the UTF-8 bytes of its words joined by single spaces ("not good"). The words are
 * encoded once into one buffer, space-separated, so each n-gram is a contiguous slice hashed in place.
 */
export function hashTerms(text: string, settings: FeaturizerSettings): SparseVector {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { ids: new Int32Array(0), values: new Float32Array(0) };
  const bytes = encoder.encode(tokens.join(' '));
  const starts = new Int32Array(tokens.length);
  const ends = new Int32Array(tokens.length);
  for (let t = 0, pos = 0; t < tokens.length; t++) {
    starts[t] = pos;
    while (pos < bytes.length && bytes[pos] !== 0x20) pos++;
    ends[t] = pos;
    pos++;
  }
  const mask = settings.buckets - 1;
  const maxN = Math.min(settings.ngramMax, tokens.length);
  const raw = new Int32Array(tokens.length * maxN);
  let count = 0;
  for (let n = 1; n <= maxN; n++) {
    for (let t = 0; t + n <= tokens.length; t++) {
      const start = starts[t];
      raw[count++] = murmur3Bytes(bytes, start, ends[t + n - 1] - start, settings.hashSeed) & mask;
    }
  }
  return countSorted(raw.subarray(0, count).sort());
}

function countSorted(sorted: Int32Array): SparseVector {
  const ids = new Int32Array(sorted.length);
  const values = new Float32Array(sorted.length);
  let unique = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (unique >= 0 && ids[unique] === sorted[i]) values[unique]++;
    else {
      unique++;
      ids[unique] = sorted[i];
      values[unique] = 1;
    }
  }
  return { ids: ids.slice(0, unique + 1), values: values.slice(0, unique + 1) };
}
