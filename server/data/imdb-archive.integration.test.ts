import { describe, expect, it } from 'vitest';
import type { Example } from '../../shared/data/example.ts';
import { readImdbArchive } from './imdb-archive.ts';
import { findSharedImdb, sharedImdbPath } from './source.ts';

const archive = findSharedImdb();
if (!archive) console.warn(`IMDB archive not found at ${sharedImdbPath()}: skipping the real-archive integration test`);

function countLabels(examples: Example[]): [number, number] {
  return [examples.filter((e) => e.label === 0).length, examples.filter((e) => e.label === 1).length];
}

describe.skipIf(!archive)('readImdbArchive on the real aclImdb_v1.tar.gz', () => {
  it('loads 25,000 balanced reviews per split with ratings that agree with the labels', async () => {
    const started = performance.now();
    const dataset = await readImdbArchive(archive!);
    console.info(`loaded ${archive} in ${((performance.now() - started) / 1000).toFixed(2)} s`);

    expect(dataset.train).toHaveLength(25_000);
    expect(dataset.test).toHaveLength(25_000);
    expect(countLabels(dataset.train)).toEqual([12_500, 12_500]);
    expect(countLabels(dataset.test)).toEqual([12_500, 12_500]);
    for (const example of [...dataset.train, ...dataset.test]) {
      const rating = example.rating ?? 0;
      // Stanford kept only polarised reviews: negative ≤ 4 stars, positive ≥ 7.
      const consistent = example.label === 0 ? rating >= 1 && rating <= 4 : rating >= 7 && rating <= 10;
      if (!consistent || example.text.trim() === '') throw new Error(`inconsistent example: ${JSON.stringify(example).slice(0, 200)}`);
    }
    // Sorted: each split starts with negatives and ends with positives.
    expect(dataset.train[0].label).toBe(0);
    expect(dataset.train[24_999].label).toBe(1);
  }, 120_000);
});
