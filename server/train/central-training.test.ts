import { describe, expect, it } from 'vitest';
import * as tf from '../../shared/model/tfjs.ts';
import { syntheticReviews } from '../../shared/train/test-fixtures.ts';
import { useNodeBackend } from '../../shared/model/node-backends.ts';
import { trainCentral } from './central-training.ts';

const train = syntheticReviews(600, 1);
const test = syntheticReviews(200, 2);
const featurizer = { buckets: 1 << 12 };

describe('trainCentral on generated reviews', () => {
  it('learns them, evaluates after every epoch, and reports every stage', async () => {
    await useNodeBackend('wasm');
    const stages: string[] = [];
    let featurized = 0;
    let steps = 0;
    const before = tf.memory().numTensors;
    const result = await trainCentral(
      { train, test, featurizer, options: { epochs: 3, batchSize: 32, learningRate: 0.05 }, evaluateEachEpoch: true },
      { onStage: (stage) => stages.push(stage), onFeaturized: (n) => (featurized = n), onStep: () => steps++ },
    );
    expect(tf.memory().numTensors).toBe(before);

    expect(stages).toEqual(['featurize', 'train', 'evaluate']);
    expect(featurized).toBe(800);
    expect(steps).toBe(3 * Math.ceil(600 / 32));
    expect(result.test.n).toBe(200);
    expect(result.test.accuracy).toBeGreaterThan(0.9);
    expect(result.test.auc).toBeGreaterThan(0.95);
    expect(result.test.roc?.fpr.length).toBeGreaterThan(2);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    for (const h of result.history) expect(h.testAccuracy).toBeGreaterThan(0.5);
    expect(result.history[2].testAccuracy).toBe(result.test.accuracy);
    expect(result.history[2].trainLoss).toBeLessThan(result.history[0].trainLoss);

    const { manifest, docFreq } = result.bundle;
    expect(manifest.modelVersion).toBe(0);
    expect(manifest.featurizer.buckets).toBe(1 << 12);
    expect(manifest.provenance).toMatchObject({ source: 'central', examples: 600 });
    // Document frequencies come from the training texts only.
    expect(docFreq.numDocs).toBe(600);
    for (const key of ['featurize', 'train', 'evaluate'] as const) expect(result.seconds[key]).toBeGreaterThanOrEqual(0);
  });

  it('trains the embedding bag too', async () => {
    await useNodeBackend('wasm');
    const result = await trainCentral({ train, test, featurizer, architecture: { kind: 'embedding-bag', dims: 8 }, options: { epochs: 3, batchSize: 32, learningRate: 0.05 } });
    expect(result.bundle.params).toHaveLength((1 << 12) * 8 + 8 + 1);
    expect(result.test.accuracy).toBeGreaterThan(0.85);
    // Without evaluateEachEpoch only the last epoch has test figures.
    expect(result.history[0].testAccuracy).toBeUndefined();
    expect(result.history[2].testAccuracy).toBe(result.test.accuracy);
  });

  it('refuses empty splits', async () => {
    await expect(trainCentral({ train: [], test, featurizer })).rejects.toThrow('no training examples');
    await expect(trainCentral({ train, test: [], featurizer })).rejects.toThrow('no test examples');
  });
});
