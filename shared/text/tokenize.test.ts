import { describe, expect, it } from 'vitest';
import { normalize, tokenize } from './tokenize.ts';

describe('normalize', () => {
  it('replaces HTML tags by spaces, decodes the common entities, lower-cases and straightens apostrophes', () => {
    expect(normalize('A<br />B')).toBe('a b');
    expect(normalize('Tom &amp; Jerry &lt;3 &quot;x&quot; &#39;y&apos; a&nbsp;b')).toBe('tom & jerry <3 "x" \'y\' a b');
    expect(normalize('Didn’t')).toBe("didn't");
  });

  it('leaves unknown entities and over-long "tags" alone', () => {
    expect(normalize('&copy;')).toBe('&copy;');
    const notATag = `<${'x'.repeat(201)}>`;
    expect(normalize(notATag)).toBe(notATag);
  });
});

describe('tokenize', () => {
  it('splits a typical review, keeping ! and ? as tokens of their own', () => {
    expect(tokenize('This movie was GREAT!!! Loved it.<br /><br />Would I watch it again? Yes!')).toEqual([
      'this', 'movie', 'was', 'great', '!', '!', '!', 'loved', 'it', 'would', 'i', 'watch', 'it', 'again', '?', 'yes', '!',
    ]);
  });

  it("keeps contractions whole, with ’ and ' alike, and drops quotes around words", () => {
    expect(tokenize("I didn’t like it, but it's fine. Don't 'quote' me")).toEqual([
      'i', "didn't", 'like', 'it', 'but', "it's", 'fine', "don't", 'quote', 'me',
    ]);
  });

  it('keeps accented letters and non-Latin scripts, lower-cased', () => {
    expect(tokenize('Café CRÈME, naïve Straße')).toEqual(['café', 'crème', 'naïve', 'straße']);
    expect(tokenize('фильм ОТЛИЧНЫЙ')).toEqual(['фильм', 'отличный']);
    // Final sigma: JavaScript lower-cases a word-final Σ to ς.
    expect(tokenize('ΟΔΥΣΣΕΥΣ')).toEqual(['οδυσσευς']);
    // Scripts without spaces become one token per run of letters (no word segmentation).
    expect(tokenize('电影很好看')).toEqual(['电影很好看']);
  });

  it('drops emoji and punctuation other than ! and ?, and splits numbers at separators', () => {
    expect(tokenize('Loved it 😍 👍🏽 — 7/10, 1990s, 3.5')).toEqual(['loved', 'it', '7', '10', '1990s', '3', '5']);
    expect(tokenize('Tom &amp; Jerry')).toEqual(['tom', 'jerry']);
    expect(tokenize('?!')).toEqual(['?', '!']);
  });

  it('gives no tokens for empty, blank or symbol-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \t\n ')).toEqual([]);
    expect(tokenize('<br /> ... -- 😍')).toEqual([]);
  });

  // Known issue (reported): no Unicode normalisation, and combining marks are not word characters, so a
  // decomposed "e\u0301" loses its accent while a composed "é" keeps it; the same visible word gets two features.
  it('treats composed and decomposed accents alike', () => {
    expect(tokenize('Cafe\u0301')).toEqual(tokenize('Café'));
  });
});
