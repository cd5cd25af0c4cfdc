import type { Example } from '../data/example.ts';
import { weighTerms } from '../text/featurizer.ts';
import { hashTerms, type SparseVector } from '../text/hash-terms.ts';
import type { FeaturizerSettings } from '../text/settings.ts';
import { toFeaturizedSet, type FeaturizedSet } from './featurized-set.ts';

/** Term counts of every text: the expensive half of featurization, done once per dataset. */
export function hashExamples(examples: readonly Example[], settings: FeaturizerSettings, onProgress?: (done: number) => void): SparseVector[] {
  const out: SparseVector[] = new Array(examples.length);
  for (let i = 0; i < examples.length; i++) {
    out[i] = hashTerms(examples[i].text, settings);
    if (onProgress && (i % 1000 === 999 || i === examples.length - 1)) onProgress(i + 1);
  }
  return out;
}

/** Weighs hashed term counts with the model's IDF and packs them with their labels. */
export function weighedSet(terms: readonly SparseVector[], labels: ArrayLike<number>, settings: FeaturizerSettings, idf: Float32Array | null): FeaturizedSet {
  return toFeaturizedSet(terms.map((t) => weighTerms(t, settings, idf)), labels);
}

export function labelsOf(examples: readonly Example[]): Float32Array {
  return Float32Array.from(examples, (e) => e.label);
}
