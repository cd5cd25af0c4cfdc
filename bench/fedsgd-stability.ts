import type { FeaturizedSet } from '../shared/model/featurized-set.ts';
import { hashExamples, labelsOf, weighedSet } from '../shared/model/featurize-set.ts';
import { countDocFreq, inverseDocFreq } from '../shared/text/doc-freq.ts';
import { featurizerSettings } from '../shared/text/settings.ts';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb, sharedImdbPath } from '../server/data/source.ts';
import { emit, progress, significant } from './report.ts';

const ITERATIONS = 60;

/**
 * The learning-rate limit the FedSGD grid of docs/research is centred on. Full-batch gradient descent on the
 * logistic loss is stable for lr < 2/L, and L ≤ ¼ λmax(E[x̃x̃ᵀ]) for the features x̃ = [TF-IDF vector; 1] (the
 * model's bias has the constant feature 1), so lr < 8/λmax. λmax comes from power iteration over the weighed IMDB
 * training set (the production featurizer: 2^20 buckets, uni+bigrams, IDF of all 25,000 reviews, which is what the
 * federated statistics round of the 100 simulated clients adds up to). Skipped without the archive.
 */
export async function fedsgdStability(): Promise<void> {
  const archive = findSharedImdb();
  if (!archive) {
    progress(`skipping fedsgd-stability: IMDB archive not found at ${sharedImdbPath()}`);
    return;
  }
  const { train } = await loadDataset(archive);
  const settings = featurizerSettings({});
  const terms = hashExamples(train, settings);
  const set = weighedSet(terms, labelsOf(train), settings, inverseDocFreq(countDocFreq(terms, settings.buckets)));
  const { lambda, vector, change } = largestEigen(set, settings.buckets, ITERATIONS);
  emit({
    bench: 'fedsgd-stability-lmax',
    value: significant(lambda),
    unit: 'eigenvalue',
    lrLimit: significant(8 / lambda),
    biasComponent: significant(Math.abs(vector[settings.buckets])),
    iterations: ITERATIONS,
    lastRelativeChange: significant(change),
    buckets: settings.buckets,
    examples: set.size,
  });
}

/**
 * Power iteration for the largest eigenvalue of (1/n) Σ x̃x̃ᵀ, with x̃ = [x; 1] and x the rows of `set` (bias last,
 * at index `buckets`). Never forms the matrix: each step is one pass of X̃ᵀ(X̃v) over the sparse rows.
 */
export function largestEigen(set: FeaturizedSet, buckets: number, iterations: number): { lambda: number; vector: Float64Array; change: number } {
  let v = new Float64Array(buckets + 1).fill(1 / Math.sqrt(buckets + 1));
  let lambda = 0;
  let change = Infinity;
  for (let it = 0; it < iterations; it++) {
    const w = new Float64Array(buckets + 1);
    for (let doc = 0; doc < set.size; doc++) {
      const start = set.rowStart[doc];
      const end = set.rowStart[doc + 1];
      let dot = v[buckets];
      for (let k = start; k < end; k++) dot += set.values[k] * v[set.ids[k]];
      for (let k = start; k < end; k++) w[set.ids[k]] += set.values[k] * dot;
      w[buckets] += dot;
    }
    let norm = 0;
    for (let i = 0; i <= buckets; i++) norm += w[i] * w[i];
    norm = Math.sqrt(norm) / set.size;
    // v has unit length, so ‖Av‖ converges to λmax from below.
    change = Math.abs(norm - lambda) / norm;
    lambda = norm;
    for (let i = 0; i <= buckets; i++) w[i] /= norm * set.size;
    v = w;
  }
  return { lambda, vector: v, change };
}
