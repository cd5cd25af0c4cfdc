import type { Example } from '../shared/data/example.ts';
import { hashExamples, labelsOf, weighedSet } from '../shared/model/featurize-set.ts';
import type { FeaturizedSet } from '../shared/model/featurized-set.ts';
import { Rng } from '../shared/random/rng.ts';
import { countDocFreq, inverseDocFreq } from '../shared/text/doc-freq.ts';
import type { FeaturizerSettings } from '../shared/text/settings.ts';
import { syntheticReviews } from '../shared/train/test-fixtures.ts';
import { loadDataset } from '../server/data/dataset.ts';
import { findSharedImdb } from '../server/data/source.ts';
import { progress } from './report.ts';

export interface BenchReviews {
  /** Where the reviews came from, reported beside every figure. */
  source: 'imdb-train' | 'generated';
  examples: Example[];
}

let cached: Promise<BenchReviews> | null = null;

/**
 * Reviews to measure on: IMDB's 25,000 training reviews when the shared archive is here (real lengths matter:
 * cost follows the number of tokens), else generated ones. Loaded once per run and shared by every bench.
 */
export function benchReviews(): Promise<BenchReviews> {
  cached ??= load();
  return cached;
}

async function load(): Promise<BenchReviews> {
  const archive = findSharedImdb();
  if (!archive) {
    progress('IMDB archive not found: measuring on generated reviews (shorter than real ones, so faster)');
    return { source: 'generated', examples: syntheticReviews(25_000, 1) };
  }
  progress(`reading ${archive}`);
  const { train } = await loadDataset(archive);
  return { source: 'imdb-train', examples: train };
}

/**
 * The training benches' examples (training-throughput, browser-training-throughput): the first `size` of the bench
 * reviews in one seeded shuffle, featurized and weighed with their own document frequencies, so both benches train on
 * the same reviews (the browser one on fewer of them).
 */
export async function trainingPool(size: number, settings: FeaturizerSettings): Promise<{ source: BenchReviews['source']; set: FeaturizedSet }> {
  const { source, examples } = await benchReviews();
  const pool = new Rng(7).shuffle([...examples]).slice(0, size);
  progress(`featurizing ${pool.length} ${source} reviews for a training benchmark`);
  const terms = hashExamples(pool, settings);
  return { source, set: weighedSet(terms, labelsOf(pool), settings, inverseDocFreq(countDocFreq(terms, settings.buckets))) };
}
