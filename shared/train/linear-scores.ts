import type { FeaturizedSet } from '../model/featurized-set.ts';
import * as tf from '../model/tfjs.ts';

/**
 * The linear model's logits for every document of a set, read straight from the flat parameters (the 2^20-row
 * weight table, then the bias) instead of through tfjs: no copy of the table into the backend and no gathered
 * batch per 2,048 documents. Scoring the 25,000 test reviews this way is a sparse dot product per document.
 *
 * The arithmetic is float32 in the order `SentimentModel.logits` does it, so the logits are bit for bit the
 * model's on cpu and wasm alike: each product `w[id] · value` is one float32 multiply (tfjs's Mul), the products
 * of a document are added into a float32 accumulator in entry order (our UnsortedSegmentSum kernel, a scatter-add
 * into a Float32Array), and the bias is one float32 add.
 */
export function linearLogits(params: Float32Array, buckets: number, set: FeaturizedSet): Float32Array {
  if (params.length !== buckets + 1) throw new Error(`a linear model of ${buckets} buckets has ${buckets + 1} parameters, got ${params.length}`);
  const bias = params[buckets];
  const { rowStart, ids, values } = set;
  const logits = new Float32Array(set.size);
  for (let doc = 0; doc < set.size; doc++) {
    let sum = 0;
    for (let j = rowStart[doc]; j < rowStart[doc + 1]; j++) {
      const id = ids[j];
      // tf.gather would refuse it too; a silent NaN here would only show up as a wrong accuracy.
      if (id < 0 || id >= buckets) throw new Error(`feature id ${id} is outside the model's ${buckets} buckets`);
      sum = Math.fround(sum + Math.fround(params[id] * values[j]));
    }
    logits[doc] = Math.fround(sum + bias);
  }
  return logits;
}

/**
 * Positive-class probabilities of the linear model for every document, equal to `predictSet(model, set)` to the
 * last bit: the logits as above, then the backend's own sigmoid over the same batches of `batchSize` documents
 * (the backends' sigmoids are approximations, so it must be theirs, applied as `predictSet` applies it).
 */
export async function linearScores(params: Float32Array, buckets: number, set: FeaturizedSet, batchSize = 2048): Promise<Float32Array> {
  const logits = linearLogits(params, buckets, set);
  const scores = new Float32Array(set.size);
  for (let start = 0; start < set.size; start += batchSize) {
    const slice = logits.subarray(start, Math.min(set.size, start + batchSize));
    const probs = tf.tidy(() => tf.sigmoid(tf.tensor1d(slice, 'float32')));
    try {
      scores.set((await probs.data()) as Float32Array, start);
    } finally {
      probs.dispose();
    }
  }
  return scores;
}
