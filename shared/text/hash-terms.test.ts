import { describe, expect, it } from 'vitest';
import { hashTerms, type SparseVector } from './hash-terms.ts';
import { featurizerSettings } from './settings.ts';

/**
 * Expected buckets computed independently with Python `mmh3` 5.3.0: `mmh3.hash(term.encode(), seed, signed=False) & mask`.
 * An n-gram is hashed as its words joined by one space.
 */
const bucket20 = { not: 926068, good: 98369, '!': 400628, 'not good': 950981, 'good not': 80700, 'good !': 393144 };
const bucket20Seed7 = { not: 948006, good: 952732, '!': 537813, 'not good': 160601, 'good not': 43956, 'good !': 641317 };

/** The vector with these (bucket, count) pairs, in the sorted form hashTerms returns. */
function vector(pairs: [number, number][]): { ids: number[]; values: number[] } {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  return { ids: sorted.map((p) => p[0]), values: sorted.map((p) => p[1]) };
}

function plain(v: SparseVector): { ids: number[]; values: number[] } {
  return { ids: Array.from(v.ids), values: Array.from(v.values) };
}

describe('hashTerms', () => {
  const text = 'Not good, not GOOD!'; // tokens: not good not good !

  it('counts unigrams and space-joined bigrams per bucket', () => {
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 2 });
    const b = bucket20;
    expect(plain(hashTerms(text, settings))).toEqual(
      vector([[b.not, 2], [b.good, 2], [b['!'], 1], [b['not good'], 2], [b['good not'], 1], [b['good !'], 1]]),
    );
  });

  it('hashes unigrams only when ngramMax is 1', () => {
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 1 });
    expect(plain(hashTerms(text, settings))).toEqual(vector([[bucket20.not, 2], [bucket20.good, 2], [bucket20['!'], 1]]));
  });

  it('uses the seed', () => {
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 2, hashSeed: 7 });
    const b = bucket20Seed7;
    expect(plain(hashTerms(text, settings))).toEqual(
      vector([[b.not, 2], [b.good, 2], [b['!'], 1], [b['not good'], 2], [b['good not'], 1], [b['good !'], 1]]),
    );
  });

  it('masks the hash to the bucket count', () => {
    // murmur3("not good") = 0xf95e82c5; & 0xff = 0xc5 = 197
    const settings = featurizerSettings({ buckets: 256, ngramMax: 2 });
    expect(Array.from(hashTerms('not good', settings).ids)).toContain(197);
  });

  it('sums the counts of colliding terms', () => {
    // With 256 buckets, "funny" (0x57067f30) and "horror" (0x7c318330) both fall in bucket 0x30 = 48.
    const settings = featurizerSettings({ buckets: 256, ngramMax: 1 });
    expect(plain(hashTerms('funny horror funny', settings))).toEqual({ ids: [48], values: [3] });
  });

  it('makes n + (n-1) + (n-2) terms for n tokens with trigrams, ids strictly increasing', () => {
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 3 });
    const v = hashTerms('one two three four five six seven', settings);
    expect(v.values.reduce((a, c) => a + c, 0)).toBe(7 + 6 + 5);
    for (let i = 1; i < v.ids.length; i++) expect(v.ids[i]).toBeGreaterThan(v.ids[i - 1]);
    expect(v.ids).toBeInstanceOf(Int32Array);
    expect(v.values).toBeInstanceOf(Float32Array);
  });

  it('stops at the text length when it has fewer tokens than ngramMax', () => {
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 3 });
    expect(plain(hashTerms('good', settings))).toEqual({ ids: [bucket20.good], values: [1] });
  });

  it('gives an empty vector for text without tokens', () => {
    const settings = featurizerSettings({});
    expect(plain(hashTerms('', settings))).toEqual({ ids: [], values: [] });
    expect(plain(hashTerms('<br /> -- 😍', settings))).toEqual({ ids: [], values: [] });
  });

  it('hashes multi-byte words at the right byte offsets', () => {
    // "café" is 5 UTF-8 bytes; a wrong offset would shift the bigram after it.
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 2 });
    const mixed = plain(hashTerms('café not', settings));
    const expected = [0x241c0f08 & 0xfffff, bucket20.not];
    for (const id of expected) expect(mixed.ids).toContain(id);
    expect(mixed.ids).toHaveLength(3);
  });
});
