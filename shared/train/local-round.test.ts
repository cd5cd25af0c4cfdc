import { describe, expect, it } from 'vitest';
import { sliceBatch, toFeaturizedSet, type FeaturizedSet } from '../model/featurized-set.ts';
import { createBundle, withParams } from '../model/model-bundle.ts';
import { initialParams, SentimentModel } from '../model/sentiment-model.ts';
import * as tf from '../model/tfjs.ts';
import { runLocalRound, splitHeldOut } from './local-round.ts';
import { trainOptionsSchema } from './options.ts';
import { syntheticSet, TEST_BACKENDS, useTestBackend } from './test-fixtures.ts';
import { trainLocal } from './train-local.ts';

/** n one-entry documents: document i has id i, value i + 0.5 and label i % 2, so every row is recognisable. */
function numberedSet(n: number): FeaturizedSet {
  return toFeaturizedSet(
    Array.from({ length: n }, (_, i) => ({ ids: Int32Array.from([i]), values: Float32Array.from([i + 0.5]) })),
    Array.from({ length: n }, (_, i) => i % 2),
  );
}

const rowIds = (set: FeaturizedSet) => Array.from(sliceBatch(set, Int32Array.from({ length: set.size }, (_, i) => i)).ids);

describe('splitHeldOut', () => {
  it('holds out the last ⌊fraction × n⌋ examples, rows intact', () => {
    const { train, heldOut } = splitHeldOut(numberedSet(10), 0.25);
    expect(train.size).toBe(8);
    expect(heldOut?.size).toBe(2);
    expect(rowIds(train)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rowIds(heldOut!)).toEqual([8, 9]);
    expect(Array.from(heldOut!.values)).toEqual([8.5, 9.5]);
    expect(Array.from(heldOut!.labels)).toEqual([0, 1]);
    expect(Array.from(heldOut!.rowStart)).toEqual([0, 1, 2]);
  });

  it('keeps multi-entry rows together', () => {
    const set = toFeaturizedSet(
      [
        { ids: Int32Array.from([1, 2]), values: Float32Array.from([1, 2]) },
        { ids: Int32Array.from([3]), values: Float32Array.from([3]) },
        { ids: Int32Array.from([4, 5, 6]), values: Float32Array.from([4, 5, 6]) },
      ],
      [1, 0, 1],
    );
    const { train, heldOut } = splitHeldOut(set, 0.5);
    expect(Array.from(train.rowStart)).toEqual([0, 2, 3]);
    expect(Array.from(train.ids)).toEqual([1, 2, 3]);
    expect(Array.from(heldOut!.rowStart)).toEqual([0, 3]);
    expect(Array.from(heldOut!.ids)).toEqual([4, 5, 6]);
  });

  it.each([
    [10, 0, 10, 0],
    [10, 0.09, 10, 0], // ⌊0.9⌋ = 0: nothing held out
    [10, 0.1, 9, 1],
    [10, 0.99, 1, 9], // at least one example stays for training
    [10, 1, 1, 9],
    [1, 0.5, 1, 0],
    [2, 0.5, 1, 1],
  ])('n = %i, fraction %f → %i train, %i held out', (n, fraction, trainSize, heldSize) => {
    const { train, heldOut } = splitHeldOut(numberedSet(n), fraction);
    expect(train.size).toBe(trainSize);
    expect(heldOut?.size ?? 0).toBe(heldSize);
    if (heldSize === 0) expect(heldOut).toBeNull();
  });
});

describe.each(TEST_BACKENDS)('runLocalRound on %s', (backend) => {
  const data = syntheticSet(300, 2, 1 << 11);
  const bundle = createBundle({
    architecture: { kind: 'linear' },
    featurizer: data.settings,
    params: initialParams({ kind: 'linear' }, data.settings.buckets, 0),
    docFreq: data.docFreq,
    modelVersion: 0,
  });
  const local = { terms: data.terms, labels: data.labels };
  const config = trainOptionsSchema.parse({ epochs: 3, batchSize: 16, learningRate: 0.05, seed: 4 });

  it('evaluates the received model on the held-out slice, then trains on the rest; frees every tensor', async () => {
    await useTestBackend(backend);
    const before = tf.memory().numTensors;
    const result = await runLocalRound(bundle, local, config, 0.2);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.numExamples).toBe(240);
    expect(result.evaluation?.numExamples).toBe(60);
    // The all-zero starting model scores 0.5 everywhere: log loss ln 2, every review called positive.
    expect(result.evaluation?.loss).toBeCloseTo(Math.LN2, 6);
    expect(result.evaluation?.accuracy).toBeCloseTo(Array.from(data.labels.subarray(240)).filter((l) => l === 1).length / 60, 12);
    expect(result.delta).toHaveLength(bundle.params.length);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(result.trainSeconds).toBeGreaterThan(0);
  });

  it('returns the delta trainLocal gives on the training part, the same every time', async () => {
    await useTestBackend(backend);
    const result = await runLocalRound(bundle, local, config, 0.2);
    const again = await runLocalRound(bundle, local, config, 0.2);
    expect(again.delta).toEqual(result.delta);
    const { train } = splitHeldOut(data.set, 0.2);
    const model = new SentimentModel(bundle.manifest.architecture, bundle.manifest.featurizer.buckets, bundle.params);
    const direct = await trainLocal(model, train, config);
    model.dispose();
    expect(direct.delta).toEqual(result.delta);
  });

  it('keeps no held-out slice when evalFraction is 0', async () => {
    await useTestBackend(backend);
    const result = await runLocalRound(bundle, local, { ...config, epochs: 1 }, 0);
    expect(result.evaluation).toBeUndefined();
    expect(result.numExamples).toBe(300);
  });

  it('its delta, applied to the global model, improves that model on the held-out slice', async () => {
    await useTestBackend(backend);
    const first = await runLocalRound(bundle, local, config, 0.2);
    const params = bundle.params.map((w, i) => w + first.delta[i]);
    const second = await runLocalRound(withParams(bundle, params, 1, {}), local, config, 0.2);
    expect(second.evaluation!.loss).toBeLessThan(first.evaluation!.loss * 0.8);
    expect(second.evaluation!.accuracy).toBeGreaterThan(0.85);
  });
});
