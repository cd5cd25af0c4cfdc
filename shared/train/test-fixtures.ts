/**
 * Generated data and helpers for the learning-core tests (tests only). Reviews are filler words plus one or two
 * words that carry the label, so a model that learns anything separates them; nothing here reads real data.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { Example } from '../data/example.ts';
import { activateBackend } from '../model/backend.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';
import { hashExamples, labelsOf, weighedSet } from '../model/featurize-set.ts';
import { Rng } from '../random/rng.ts';
import { countDocFreq, inverseDocFreq, type DocFreq } from '../text/doc-freq.ts';
import type { SparseVector } from '../text/hash-terms.ts';
import { featurizerSettings, type FeaturizerSettings } from '../text/settings.ts';

export const POSITIVE_WORDS = ['great', 'wonderful', 'loved', 'superb', 'brilliant'];
export const NEGATIVE_WORDS = ['awful', 'boring', 'hated', 'dreadful', 'terrible'];
const FILLER = [
  'the', 'a', 'movie', 'film', 'plot', 'actor', 'actress', 'scene', 'story', 'director', 'music', 'ending',
  'character', 'camera', 'script', 'cast', 'was', 'is', 'and', 'with', 'of', 'in', 'this', 'that', 'it',
  'long', 'short', 'old', 'new', 'second', 'first', 'part', 'time', 'night', 'city', 'house', 'war', 'love',
];

/** A review of `label` with `signalWords` words from its class among 6–12 filler words. */
export function syntheticReview(rng: Rng, label: 0 | 1, signalWords = 1 + rng.int(2)): string {
  const words: string[] = [];
  const fillers = 6 + rng.int(7);
  for (let i = 0; i < fillers; i++) words.push(FILLER[rng.int(FILLER.length)]);
  const signal = label === 1 ? POSITIVE_WORDS : NEGATIVE_WORDS;
  for (let i = 0; i < signalWords; i++) words.splice(rng.int(words.length + 1), 0, signal[rng.int(signal.length)]);
  return words.join(' ');
}

/** `n` reviews, half of each class (the extra one positive when n is odd), in a seeded random order. */
export function syntheticReviews(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  const labels = Array.from({ length: n }, (_, i): 0 | 1 => (i < Math.floor(n / 2) ? 0 : 1));
  rng.shuffle(labels);
  return labels.map((label) => ({ text: syntheticReview(rng, label), label }));
}

export interface SyntheticSet {
  settings: FeaturizerSettings;
  examples: Example[];
  terms: SparseVector[];
  labels: Float32Array;
  docFreq: DocFreq;
  idf: Float32Array;
  set: FeaturizedSet;
}

/** Generated reviews featurized the way Chorus does it (hashed uni+bigrams, TF-IDF from these documents, L2). */
export function syntheticSet(n: number, seed: number, buckets = 1 << 10): SyntheticSet {
  const settings = featurizerSettings({ buckets });
  const examples = syntheticReviews(n, seed);
  const terms = hashExamples(examples, settings);
  const labels = labelsOf(examples);
  const docFreq = countDocFreq(terms, settings.buckets);
  const idf = inverseDocFreq(docFreq);
  return { settings, examples, terms, labels, docFreq, idf, set: weighedSet(terms, labels, settings, idf) };
}

export type TestBackend = 'cpu' | 'wasm';
export const TEST_BACKENDS: readonly TestBackend[] = ['cpu', 'wasm'];

/** Activates a backend for a test (both are registered by this module's imports). */
export async function useTestBackend(name: TestBackend): Promise<void> {
  await activateBackend(name);
}

export function l2Norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}
