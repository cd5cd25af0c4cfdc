import type { Example } from '../shared/data/example.ts';
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
