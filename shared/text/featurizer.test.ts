import { describe, expect, it } from 'vitest';
import { featurize, weighTerms } from './featurizer.ts';
import type { SparseVector } from './hash-terms.ts';
import { featurizerSettings } from './settings.ts';

const terms = (ids: number[], values: number[]): SparseVector => ({ ids: Int32Array.from(ids), values: Float32Array.from(values) });
const plainValues = (v: SparseVector): number[] => Array.from(v.values);

describe('weighTerms', () => {
  const base = { buckets: 256 };

  it('passes raw counts through when every weighting is off', () => {
    const settings = featurizerSettings({ ...base, sublinearTf: false, idf: false, l2: false });
    expect(plainValues(weighTerms(terms([5, 9], [2, 1]), settings, null))).toEqual([2, 1]);
  });

  it('applies sublinear tf: a doubled word weighs 1 + ln 2, a single one 1', () => {
    const settings = featurizerSettings({ ...base, sublinearTf: true, idf: false, l2: false });
    expect(plainValues(weighTerms(terms([5, 9], [2, 1]), settings, null))).toEqual([Math.fround(1 + Math.LN2), 1]);
  });

  it('scales to unit L2 norm: (3, 4) becomes (0.6, 0.8)', () => {
    const settings = featurizerSettings({ ...base, sublinearTf: false, idf: false, l2: true });
    expect(plainValues(weighTerms(terms([1, 2], [3, 4]), settings, null))).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it('multiplies by the IDF of each bucket', () => {
    const settings = featurizerSettings({ ...base, sublinearTf: false, idf: true, l2: false });
    const idf = new Float32Array(256);
    idf[5] = 2;
    idf[9] = 0.5;
    expect(plainValues(weighTerms(terms([5, 9], [2, 1]), settings, idf))).toEqual([4, 0.5]);
  });

  it('combines all three: (1 + ln 2)·2 and 1·0.5, normalised', () => {
    const settings = featurizerSettings({ ...base });
    const idf = new Float32Array(256);
    idf[5] = 2;
    idf[9] = 0.5;
    // norm = sqrt(3.386294² + 0.5²) = 3.423008; values 3.386294 / norm and 0.5 / norm (computed in Python).
    const values = plainValues(weighTerms(terms([5, 9], [2, 1]), settings, idf));
    expect(values[0]).toBeCloseTo(0.9892742, 6);
    expect(values[1]).toBeCloseTo(0.1460703, 6);
  });

  it('keeps the ids and leaves an empty vector empty (no division by zero)', () => {
    const settings = featurizerSettings({ ...base, idf: false });
    const weighed = weighTerms(terms([3, 7], [1, 1]), settings, null);
    expect(Array.from(weighed.ids)).toEqual([3, 7]);
    expect(plainValues(weighTerms(terms([], []), settings, null))).toEqual([]);
  });

  it('rejects a missing or mis-sized IDF vector', () => {
    expect(() => weighTerms(terms([1], [1]), featurizerSettings({ ...base, idf: true }), null)).toThrow(/need an IDF vector/);
    expect(() => weighTerms(terms([1], [1]), featurizerSettings({ ...base, idf: true }), new Float32Array(512))).toThrow(
      /512 entries, settings say 256/,
    );
  });
});

describe('featurize', () => {
  it('hashes and weighs in one step: a doubled word alone gets weight 1 after l2', () => {
    const settings = featurizerSettings({ buckets: 1 << 20, ngramMax: 1, idf: false });
    const v = featurize('Good good', settings, null);
    expect(Array.from(v.ids)).toEqual([98369]); // murmur3("good") & 0xfffff, from Python mmh3
    expect(plainValues(v)).toEqual([1]);
  });
});
