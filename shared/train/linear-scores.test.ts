import { describe, expect, it } from 'vitest';
import { weighedSet } from '../model/featurize-set.ts';
import { sliceBatch, toFeaturizedSet } from '../model/featurized-set.ts';
import { SentimentModel } from '../model/sentiment-model.ts';
import * as tf from '../model/tfjs.ts';
import { Rng } from '../random/rng.ts';
import { linearLogits, linearScores } from './linear-scores.ts';
import { predictSet } from './predict-set.ts';
import { syntheticSet, TEST_BACKENDS, useTestBackend } from './test-fixtures.ts';

const BUCKETS = 1 << 10;

/** Weights of mixed signs and magnitudes (some large, so that float32 rounding differs by order) and a bias. */
function randomParams(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: BUCKETS + 1 }, (_, i) => (i % 7 === 0 ? 0 : rng.normal() * (i % 3 === 0 ? 30 : 0.7)));
}

describe('linearScores', () => {
  for (const backend of TEST_BACKENDS) {
    it(`gives the model's logits and predictSet's scores bit for bit on ${backend}, across batch boundaries`, async () => {
      await useTestBackend(backend);
      const { terms, labels, settings, idf } = syntheticSet(700, 3, BUCKETS);
      // An empty document scores the bias alone.
      const withEmpty = weighedSet([...terms, { ids: new Int32Array(0), values: new Float32Array(0) }], [...labels, 1], settings, idf);
      for (const seed of [1, 2]) {
        const params = randomParams(seed);
        const model = new SentimentModel({ kind: 'linear' }, BUCKETS, params);
        const before = tf.memory().numTensors;
        // Batches of 256 leave a partial last batch (701 = 2 × 256 + 189).
        const expected = await predictSet(model, withEmpty, 256);
        const scores = await linearScores(params, BUCKETS, withEmpty, 256);
        expect(tf.memory().numTensors).toBe(before);
        expect(Array.from(scores)).toEqual(Array.from(expected));
        // Not all saturated at 0 or 1: the comparison says something about the sums.
        expect(scores.filter((p) => p > 0.01 && p < 0.99).length).toBeGreaterThan(50);
        const allRows = Int32Array.from({ length: withEmpty.size }, (_, i) => i);
        const modelLogits = tf.tidy(() => model.logits(sliceBatch(withEmpty, allRows)).dataSync());
        expect(Array.from(linearLogits(params, BUCKETS, withEmpty))).toEqual(Array.from(modelLogits));
        expect(linearLogits(params, BUCKETS, withEmpty).at(-1)).toBe(params[BUCKETS]);
        model.dispose();
      }
    });
  }

  it('refuses parameters of another size and ids outside the table', () => {
    const set = toFeaturizedSet([{ ids: Int32Array.from([3]), values: Float32Array.from([1]) }], [1]);
    expect(() => linearLogits(new Float32Array(4), 4, set)).toThrow(/4 buckets has 5 parameters, got 4/);
    const outside = toFeaturizedSet([{ ids: Int32Array.from([4]), values: Float32Array.from([1]) }], [1]);
    expect(() => linearLogits(new Float32Array(5), 4, outside)).toThrow(/feature id 4 is outside the model's 4 buckets/);
  });
});
