import { describe, expect, it } from 'vitest';
import { initialParams, SentimentModel } from '../model/sentiment-model.ts';
import { syntheticSet, useTestBackend } from './test-fixtures.ts';
import { measureTrainingThroughput } from './training-throughput.ts';

const BUCKETS = 1 << 10;
const LINEAR = { kind: 'linear' } as const;

describe('measureTrainingThroughput', () => {
  it('counts the steps after the warm-up, stops once the rule is met, and reports examples per second', async () => {
    await useTestBackend('cpu');
    const { set } = syntheticSet(40, 2, BUCKETS);
    const model = new SentimentModel(LINEAR, BUCKETS, initialParams(LINEAR, BUCKETS, 0));
    try {
      const m = await measureTrainingThroughput(model, set, { batchSize: 8, warmupSteps: 2, minSteps: 3, minSeconds: 0 });
      // minSeconds 0: the third counted step meets the rule, and trainLocal stops before another.
      expect(m.steps).toBe(3);
      expect(m.seconds).toBeGreaterThan(0);
      expect(m.examplesPerSecond).toBeCloseTo((3 * 8) / m.seconds, 6);
    } finally {
      model.dispose();
    }
  });

  it('refuses a set that is not whole batches (the last, short batch would count as a full one)', async () => {
    const { set } = syntheticSet(42, 2, BUCKETS);
    const model = new SentimentModel(LINEAR, BUCKETS, initialParams(LINEAR, BUCKETS, 0));
    try {
      await expect(measureTrainingThroughput(model, set, { batchSize: 8, warmupSteps: 1, minSteps: 1, minSeconds: 0 })).rejects.toThrow(/42 examples are not whole batches of 8/);
    } finally {
      model.dispose();
    }
  });
});
