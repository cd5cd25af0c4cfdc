import type { FeaturizedSet } from '../model/featurized-set.ts';
import type { SentimentModel } from '../model/sentiment-model.ts';
import { trainLocal } from './train-local.ts';

export interface ThroughputRule {
  batchSize: number;
  /** Steps not counted: the first ones compile kernels and warm caches. */
  warmupSteps: number;
  /** Measure at least this many steps and this long after the warm-up. */
  minSteps: number;
  minSeconds: number;
}

export interface Throughput {
  examplesPerSecond: number;
  steps: number;
  seconds: number;
}

/**
 * Training throughput of `trainLocal` (the one training function every client runs) on whatever tfjs backend is
 * active: Adam at lr 0.01 over `set` in batches, timed by the step hook, stopped once the rule is met. One rule for
 * the Node bench and the browser one (bench/training-throughput.ts, bench/browser-training-throughput.ts), so their
 * figures compare. Every batch must be full: `set.size` a multiple of the batch size.
 */
export async function measureTrainingThroughput(model: SentimentModel, set: FeaturizedSet, rule: ThroughputRule): Promise<Throughput> {
  if (set.size % rule.batchSize !== 0) throw new Error(`${set.size} examples are not whole batches of ${rule.batchSize}`);
  const stepEnds: number[] = [];
  const stop = new AbortController();
  await trainLocal(model, set, { epochs: 1000, batchSize: rule.batchSize, learningRate: 0.01, seed: 1 }, {
    signal: stop.signal,
    onProgress: () => {
      stepEnds.push(performance.now());
      const measured = stepEnds.length - rule.warmupSteps;
      const seconds = measured > 0 ? (stepEnds[stepEnds.length - 1] - stepEnds[rule.warmupSteps - 1]) / 1000 : 0;
      if (measured >= rule.minSteps && seconds >= rule.minSeconds) stop.abort();
    },
  });
  const steps = stepEnds.length - rule.warmupSteps;
  const seconds = (stepEnds[stepEnds.length - 1] - stepEnds[rule.warmupSteps - 1]) / 1000;
  return { examplesPerSecond: (steps * rule.batchSize) / seconds, steps, seconds };
}
