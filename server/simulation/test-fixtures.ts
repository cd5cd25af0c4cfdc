import type { Example } from '../../shared/data/example.ts';
import { Rng } from '../../shared/random/rng.ts';
import type { RoundRecord } from './round-record.ts';

/** A round record with neutral values, for tests of the code that reads records. */
export function record(round: number, overrides: Partial<RoundRecord> = {}): RoundRecord {
  return {
    round, modelVersion: round, sampled: 2, results: 2, failures: 0, examples: 100, trainLoss: 0.5, testAccuracy: 0.5, testAuc: 0.5,
    testLoss: 0.7, testPositiveRate: 0.5, federatedAccuracy: 0.5, clientAccuracyMean: 0.5, clientAccuracyP10: 0.4, bytesUp: 40, bytesDown: 80, positiveShare: 0.5, selected: ['client-0', 'client-1'],
    wallSeconds: 1, trainSeconds: 0.5, ...overrides,
  };
}

const positive = ['great', 'wonderful', 'loved', 'superb'];
const negative = ['awful', 'boring', 'hated', 'dreadful'];
const filler = ['the', 'movie', 'film', 'plot', 'actor', 'scene', 'story', 'was', 'and', 'it', 'of', 'this'];

/**
 * Generated reviews with a clear signal: two sentiment words of the label among twelve filler words, and in one
 * review of ten a misleading word of the other label, so a model learns quickly but not perfectly.
 */
export function syntheticReviews(n: number, seed: number): Example[] {
  const rng = new Rng(seed);
  const pick = (words: string[]) => words[rng.int(words.length)];
  return Array.from({ length: n }, () => {
    const label = rng.int(2) as 0 | 1;
    const words = Array.from({ length: 12 }, () => pick(filler));
    words.push(pick(label ? positive : negative), pick(label ? positive : negative));
    if (rng.next() < 0.1) words.push(pick(label ? negative : positive));
    return { text: rng.shuffle(words).join(' '), label };
  });
}
