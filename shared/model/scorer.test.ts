import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticReview, syntheticSet, useTestBackend } from '../train/test-fixtures.ts';
import { trainLocal } from '../train/train-local.ts';
import { Rng } from '../random/rng.ts';
import { createBundle, type ModelBundle } from './model-bundle.ts';
import { Scorer } from './scorer.ts';
import { SentimentModel } from './sentiment-model.ts';
import * as tf from './tfjs.ts';

let trained: ModelBundle;

beforeAll(async () => {
  await useTestBackend('wasm');
  const data = syntheticSet(600, 3, 1 << 12);
  const model = new SentimentModel({ kind: 'linear' }, data.settings.buckets);
  await trainLocal(model, data.set, { epochs: 5, batchSize: 16, learningRate: 0.05 });
  trained = createBundle({ architecture: { kind: 'linear' }, featurizer: data.settings, params: await model.getParams(), docFreq: data.docFreq, modelVersion: 7 });
  model.dispose();
});

describe('Scorer', () => {
  it('labels clear reviews correctly, with probabilities in (0, 1) that agree with the label', async () => {
    const scorer = new Scorer(trained);
    const [pos, neg] = await scorer.score(['a wonderful film, I loved the music', 'an awful boring plot, I hated the ending']);
    expect(pos.label).toBe('positive');
    expect(pos.score).toBeGreaterThan(0.7);
    expect(pos.score).toBeLessThan(1);
    expect(neg.label).toBe('negative');
    expect(neg.score).toBeLessThan(0.3);
    expect(neg.score).toBeGreaterThan(0);
    expect(scorer.modelVersion).toBe(7);
    scorer.dispose();
  });

  it('keeps the order over several batches (600 texts, 256 per batch) and matches scoring one by one', async () => {
    const rng = new Rng(12);
    const labels = Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? 1 : 0) as 0 | 1);
    const texts = labels.map((label) => syntheticReview(rng, label));
    const scorer = new Scorer(trained);
    const all = await scorer.score(texts);
    expect(all).toHaveLength(600);
    for (const p of all) {
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(1);
      expect(p.label).toBe(p.score >= 0.5 ? 'positive' : 'negative');
    }
    for (const i of [0, 255, 256, 511, 599]) expect((await scorer.score([texts[i]]))[0]).toEqual(all[i]);
    const correct = all.filter((p, i) => (p.label === 'positive') === (labels[i] === 1)).length;
    expect(correct / 600).toBeGreaterThan(0.9);
    scorer.dispose();
  });

  it('scores an empty list as empty and an empty text as the bias alone', async () => {
    const scorer = new Scorer(trained);
    expect(await scorer.score([])).toEqual([]);
    const bias = trained.params[trained.params.length - 1];
    expect((await scorer.score([''])).at(0)?.score).toBeCloseTo(1 / (1 + Math.exp(-bias)), 6);
    scorer.dispose();
  });

  it('leaves no tensors behind once disposed, and none per call while alive', async () => {
    const before = tf.memory().numTensors;
    const scorer = new Scorer(trained);
    const alive = tf.memory().numTensors;
    await scorer.score(['great', 'awful', 'the plot']);
    expect(tf.memory().numTensors).toBe(alive);
    scorer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
