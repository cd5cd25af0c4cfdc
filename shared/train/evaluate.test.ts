import { describe, expect, it } from 'vitest';
import { toFeaturizedSet } from '../model/featurized-set.ts';
import { SentimentModel } from '../model/sentiment-model.ts';
import * as tf from '../model/tfjs.ts';
import { evaluateModel, evaluateScores } from './evaluate.ts';
import { predictSet } from './predict-set.ts';
import { useTestBackend } from './test-fixtures.ts';

describe('evaluateScores', () => {
  it('computes every metric of a hand-worked example', () => {
    // Threshold 0.5: 0.9 → TP, 0.4 → FN, 0.6 → FP, 0.1 → TN, so accuracy = precision = recall = F1 = 1/2.
    // AUC: of the 4 (positive, negative) pairs, 0.4 < 0.6 is the only one ranked wrong → 3/4.
    const e = evaluateScores(Float32Array.from([1, 1, 0, 0]), Float32Array.from([0.9, 0.4, 0.6, 0.1]));
    expect(e.n).toBe(4);
    expect(e.accuracy).toBe(0.5);
    expect(e.precision).toBe(0.5);
    expect(e.recall).toBe(0.5);
    expect(e.f1).toBe(0.5);
    expect(e.auc).toBe(0.75);
    expect(e.positiveRate).toBe(0.5); // 0.9 and 0.6
    const logLoss = -(2 * Math.log(0.9) + 2 * Math.log(0.4)) / 4;
    expect(e.loss).toBeCloseTo(logLoss, 6);
    expect(e.roc?.fpr[0]).toBe(0);
    expect(e.roc?.tpr[0]).toBe(0);
    expect(e.roc?.fpr.at(-1)).toBe(1);
    expect(e.roc?.tpr.at(-1)).toBe(1);
  });

  it('counts a score of exactly 0.5 as positive and ties as half a pair in the AUC', () => {
    const e = evaluateScores(Float32Array.from([1, 0]), Float32Array.from([0.5, 0.5]));
    expect(e.accuracy).toBe(0.5);
    expect(e.recall).toBe(1);
    expect(e.positiveRate).toBe(1);
    expect(e.auc).toBe(0.5);
  });

  it('keeps the loss finite for confident mistakes (probabilities are clipped to [1e-7, 1 − 1e-7])', () => {
    const e = evaluateScores(Float32Array.from([1, 0]), Float32Array.from([0, 1]));
    expect(e.loss).toBeCloseTo(-Math.log(1e-7), 6);
    expect(e.accuracy).toBe(0);
  });

  it('has no AUC or ROC when only one class is present', () => {
    const e = evaluateScores(Float32Array.from([1, 1, 1]), Float32Array.from([0.2, 0.7, 0.9]));
    expect(e.auc).toBeNaN();
    expect(e.roc).toBeNull();
    expect(e.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('returns no ROC when fewer than 2 points are asked for, and at most rocPoints otherwise', () => {
    const labels = Float32Array.from({ length: 1000 }, (_, i) => i % 2);
    const scores = Float32Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000);
    expect(evaluateScores(labels, scores, 0).roc).toBeNull();
    expect(evaluateScores(labels, scores, 10).roc?.fpr.length).toBeLessThanOrEqual(10);
  });
});

describe('evaluateModel', () => {
  it('scores a set with the model and agrees with evaluateScores on those scores', async () => {
    await useTestBackend('wasm');
    // One weight per bucket: bucket 0 is "positive" (+2), bucket 1 "negative" (-2), bias 0.
    const model = new SentimentModel({ kind: 'linear' }, 4, Float32Array.from([2, -2, 0, 0, 0]));
    const vec = (id: number) => ({ ids: Int32Array.from([id]), values: Float32Array.from([1]) });
    const set = toFeaturizedSet([vec(0), vec(1), vec(0), vec(2)], [1, 0, 0, 1]);
    const before = tf.memory().numTensors;
    const scores = await predictSet(model, set, 3); // batches of 3 and 1: order must survive batching
    const sigmoid2 = 1 / (1 + Math.exp(-2));
    expect(Array.from(scores)).toEqual([sigmoid2, 1 - sigmoid2, sigmoid2, 0.5].map(Math.fround));
    const e = await evaluateModel(model, set);
    expect(tf.memory().numTensors).toBe(before);
    // Predicted positive: 0, 2, 3 (0.5 counts); TP = 2 (0, 3), FP = 1 (2), TN = 1 (1).
    expect(e.accuracy).toBe(0.75);
    expect(e.precision).toBeCloseTo(2 / 3, 12);
    expect(e.recall).toBe(1);
    expect({ ...e, roc: null }).toEqual({ ...evaluateScores(set.labels, scores), roc: null });
    model.dispose();
  });
});
