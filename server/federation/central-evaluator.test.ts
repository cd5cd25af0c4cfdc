import { describe, expect, it } from 'vitest';
import type { Architecture } from '../../shared/model/architecture.ts';
import { weighedSet } from '../../shared/model/featurize-set.ts';
import { createBundle } from '../../shared/model/model-bundle.ts';
import { initialParams, SentimentModel } from '../../shared/model/sentiment-model.ts';
import * as tf from '../../shared/model/tfjs.ts';
import { Rng } from '../../shared/random/rng.ts';
import { evaluateModel } from '../../shared/train/evaluate.ts';
import { trainLocal } from '../../shared/train/train-local.ts';
import { syntheticSet, TEST_BACKENDS, type SyntheticSet, useTestBackend } from '../../shared/train/test-fixtures.ts';
import { CentralEvaluator } from './central-evaluator.ts';

const BUCKETS = 1 << 10;

/** A model trained for `epochs` on the generated training set (0: its seeded starting parameters plus noise). */
async function bundleOf(architecture: Architecture, train: SyntheticSet, epochs: number, seed: number) {
  const rng = new Rng(seed);
  const model = new SentimentModel(architecture, BUCKETS, initialParams(architecture, BUCKETS, seed).map((v) => v + rng.normal() * 0.1));
  if (epochs > 0) await trainLocal(model, train.set, { epochs, batchSize: 32, learningRate: 0.05, seed });
  const params = await model.getParams();
  model.dispose();
  return createBundle({ architecture, featurizer: train.settings, params, docFreq: train.docFreq, modelVersion: 1 });
}

describe('CentralEvaluator', () => {
  for (const backend of TEST_BACKENDS) {
    it(`gives every figure of evaluateModel on the tfjs model, for the linear model and the embedding bag (${backend})`, async () => {
      await useTestBackend(backend);
      // The test set's IDF is the training set's, as in a simulation: the weighed test rows come from another set's counts.
      const train = syntheticSet(300, 1, BUCKETS);
      const test = syntheticSet(2500, 2, BUCKETS);
      const evaluator = new CentralEvaluator(test.examples, test.settings);
      for (const architecture of [{ kind: 'linear' }, { kind: 'embedding-bag', dims: 4 }] as Architecture[]) {
        for (const epochs of [0, 2]) {
          const bundle = await bundleOf(architecture, train, epochs, 7);
          const got = await evaluator.evaluate(bundle);
          const model = new SentimentModel(architecture, BUCKETS, bundle.params);
          const expected = await evaluateModel(model, weighedSet(test.terms, test.labels, test.settings, bundle.idf));
          model.dispose();
          // Every metric and every ROC point, to the last bit.
          expect(got).toEqual(expected);
          expect(got.roc?.fpr.length).toBeGreaterThan(50);
          if (epochs > 0) expect(got.accuracy).toBeGreaterThan(0.8);
        }
      }
      const before = tf.memory().numTensors;
      await evaluator.evaluate(await bundleOf({ kind: 'linear' }, train, 0, 3));
      expect(tf.memory().numTensors).toBe(before);
      evaluator.dispose();
    });
  }
});
