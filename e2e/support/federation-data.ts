import { findSharedImdb } from '../../server/data/source.ts';
import { loadServerData, type ServerData } from '../../server/serve/server-data.ts';
import { generateReviews } from '../../server/serve/testing/reviews.ts';

/**
 * Data for the federation e2e test: the real IMDB archive when this machine has it (the test then shows the
 * system learning real reviews), else generated reviews with a clear signal. Says which.
 */
export async function federationData(): Promise<{ data: ServerData; description: string; real: boolean }> {
  const archive = findSharedImdb();
  if (archive) {
    const data = await loadServerData(archive, 0);
    return { data, real: true, description: `real IMDB (${archive}): ${data.train.length} train, ${data.test.length} test reviews` };
  }
  const data = { train: generateReviews(3000, 1), test: generateReviews(1000, 2) };
  return { data, real: false, description: `generated reviews (no IMDB archive found): ${data.train.length} train, ${data.test.length} test` };
}
