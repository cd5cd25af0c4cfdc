/**
 * The computation the featurizer e2e test runs twice, in Node and in Chromium, to prove both give identical
 * features. Isomorphic (no DOM, no Node APIs): the test imports it directly, the test page bundles it.
 */
import { countDocFreq, inverseDocFreq } from '../../shared/text/doc-freq.ts';
import { weighTerms } from '../../shared/text/featurizer.ts';
import { hashTerms } from '../../shared/text/hash-terms.ts';
import { murmur3 } from '../../shared/text/murmur3.ts';
import { featurizerSettings, type FeaturizerSettingsInput } from '../../shared/text/settings.ts';

/** Plain arrays, because typed arrays don't survive the trip out of the page. */
export interface FeaturesForTest {
  ids: number[];
  values: number[];
}

/** Featurizes `texts` as a client would, with an IDF counted over these same texts. */
export function featurizeForTest(texts: string[], settingsInput: FeaturizerSettingsInput): FeaturesForTest[] {
  const settings = featurizerSettings(settingsInput);
  const terms = texts.map((text) => hashTerms(text, settings));
  const idf = settings.idf ? inverseDocFreq(countDocFreq(terms, settings.buckets)) : null;
  return terms.map((t) => {
    const weighed = weighTerms(t, settings, idf);
    return { ids: Array.from(weighed.ids), values: Array.from(weighed.values) };
  });
}

/** Raw hashes, compared separately so that a hashing difference is reported as such. */
export function murmur3ForTest(texts: string[], seed: number): number[] {
  return texts.map((text) => murmur3(text, seed));
}
