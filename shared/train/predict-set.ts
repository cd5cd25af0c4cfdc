import { rangeBatches, sliceBatch, type FeaturizedSet } from '../model/featurized-set.ts';
import type { SentimentModel } from '../model/sentiment-model.ts';

/** Positive-class probabilities for every document of a set, in order. */
export async function predictSet(model: SentimentModel, data: FeaturizedSet, batchSize = 2048): Promise<Float32Array> {
  const scores = new Float32Array(data.size);
  let at = 0;
  for (const indices of rangeBatches(data.size, batchSize)) {
    scores.set(await model.predict(sliceBatch(data, indices)), at);
    at += indices.length;
  }
  return scores;
}
