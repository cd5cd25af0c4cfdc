import type { Example } from '../../shared/data/example.ts';
import { Rng } from '../../shared/random/rng.ts';

/**
 * Splits one pool of examples into train and test, for sources that come without a split.
 * Stratified: each label contributes round(count × testFraction) examples to test, but at least one
 * and at most count − 1 when it has two or more, so both sides see both labels even on tiny data.
 * Deterministic for a given seed; both halves keep the input's relative order.
 */
export function holdoutSplit(
  examples: readonly Example[],
  testFraction: number,
  seed: number,
): { train: Example[]; test: Example[] } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be between 0 and 1, exclusive (got ${testFraction})`);
  }
  const rng = new Rng(seed);
  const inTest = new Array<boolean>(examples.length).fill(false);
  for (const label of [0, 1] as const) {
    const indices: number[] = [];
    examples.forEach((example, index) => {
      if (example.label === label) indices.push(index);
    });
    // A stream per label keeps one label's draw independent of how many examples the other has.
    rng.fork(label).shuffle(indices);
    for (const index of indices.slice(0, testCount(indices.length, testFraction))) inTest[index] = true;
  }
  const train: Example[] = [];
  const test: Example[] = [];
  examples.forEach((example, index) => (inTest[index] ? test : train).push(example));
  return { train, test };
}

function testCount(count: number, testFraction: number): number {
  const rounded = Math.round(count * testFraction);
  return count < 2 ? rounded : Math.min(count - 1, Math.max(1, rounded));
}
