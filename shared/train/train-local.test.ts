import { describe, expect, it } from 'vitest';
import type { Architecture } from '../model/architecture.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';
import { weighedSet } from '../model/featurize-set.ts';
import { initialParams, SentimentModel } from '../model/sentiment-model.ts';
import * as tf from '../model/tfjs.ts';
import { evaluateModel } from './evaluate.ts';
import { predictSet } from './predict-set.ts';
import { trainOptionsSchema, type TrainOptionsInput } from './options.ts';
import { l2Norm, syntheticSet, TEST_BACKENDS, useTestBackend } from './test-fixtures.ts';
import { logPriorRatio, trainLocal, type TrainHooks, type TrainProgress } from './train-local.ts';

const BUCKETS = 1 << 12;
const data = syntheticSet(240, 1, BUCKETS);
const LINEAR: Architecture = { kind: 'linear' };
const BAG: Architecture = { kind: 'embedding-bag', dims: 8 };

/** Trains a fresh model from the seeded starting point and returns the result and the trained model's parameters. */
async function train(architecture: Architecture, options: TrainOptionsInput, set: FeaturizedSet = data.set, hooks: TrainHooks = {}) {
  const model = new SentimentModel(architecture, BUCKETS, initialParams(architecture, BUCKETS, 3));
  try {
    const result = await trainLocal(model, set, options, hooks);
    return { result, params: await model.getParams() };
  } finally {
    model.dispose();
  }
}

describe.each([LINEAR, BAG])('trainLocal ($kind)', (architecture) => {
  it('learns the generated set: training loss falls and held-out reviews are classified correctly', async () => {
    await useTestBackend('wasm');
    // More examples than the other tests: with a few hundred, Adam also fits the rare filler bigrams.
    const learning = syntheticSet(600, 5, BUCKETS);
    const heldOut = syntheticSet(200, 99, BUCKETS);
    const model = new SentimentModel(architecture, BUCKETS, initialParams(architecture, BUCKETS, 3));
    // Held-out reviews weighed with the training IDF, as a client would.
    const test = weighedSet(heldOut.terms, heldOut.labels, learning.settings, learning.idf);
    const before = await evaluateModel(model, test, 0);
    const result = await trainLocal(model, learning.set, { epochs: 5, batchSize: 16, learningRate: 0.05, seed: 1 });
    const after = await evaluateModel(model, test, 0);
    model.dispose();

    expect(result.epochLosses).toHaveLength(5);
    expect(result.epochLosses[4]).toBeLessThan(result.epochLosses[0] * 0.5);
    expect(result.loss).toBe(result.epochLosses[4]);
    expect(before.loss).toBeGreaterThan(0.6); // about ln 2: the starting model knows nothing
    expect(after.loss).toBeLessThan(before.loss * 0.5);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.numExamples).toBe(600);
    expect(result.steps).toBe(5 * Math.ceil(600 / 16));
  });
});

describe.each(TEST_BACKENDS)('trainLocal determinism on %s', (backend) => {
  it.each([LINEAR, BAG])('gives the identical delta twice for the same seed ($kind)', async (architecture) => {
    await useTestBackend(backend);
    const options = { epochs: 2, batchSize: 32, learningRate: 0.05, seed: 7 };
    const first = await train(architecture, options);
    const second = await train(architecture, options);
    expect(l2Norm(first.result.delta)).toBeGreaterThan(0);
    expect(second.result.delta).toEqual(first.result.delta);
    expect(second.result.epochLosses).toEqual(first.result.epochLosses);
    const otherSeed = await train(architecture, { ...options, seed: 8 });
    expect(otherSeed.result.delta).not.toEqual(first.result.delta);
  });
});

describe('trainLocal options', () => {
  it('returns delta = trained − starting parameters', async () => {
    await useTestBackend('wasm');
    const start = initialParams(BAG, BUCKETS, 3);
    const { result, params } = await train(BAG, { epochs: 1, seed: 2 });
    for (const i of [0, 17, params.length - 1]) expect(result.delta[i]).toBeCloseTo(params[i] - start[i], 6);
  });

  it('FedProx: mu > 0 keeps the weights closer to where the round started', async () => {
    await useTestBackend('wasm');
    const options = { epochs: 4, batchSize: 32, learningRate: 0.05, seed: 1 };
    const free = l2Norm((await train(LINEAR, { ...options, mu: 0 })).result.delta);
    const prox = l2Norm((await train(LINEAR, { ...options, mu: 1 })).result.delta);
    const strong = l2Norm((await train(LINEAR, { ...options, mu: 10 })).result.delta);
    expect(prox).toBeLessThan(free * 0.9);
    expect(strong).toBeLessThan(prox);
  });

  it('L2 shrinks the weights', async () => {
    await useTestBackend('wasm');
    const options = { epochs: 4, batchSize: 32, learningRate: 0.05, seed: 1 };
    const plain = l2Norm((await train(LINEAR, options)).params);
    const penalised = l2Norm((await train(LINEAR, { ...options, l2: 0.01 })).params);
    expect(penalised).toBeLessThan(plain * 0.9);
  });

  it('batchSize 0 takes one full-batch step per epoch', async () => {
    await useTestBackend('wasm');
    const progress: TrainProgress[] = [];
    const { result } = await train(LINEAR, { epochs: 3, batchSize: 0, learningRate: 0.1, optimizer: 'sgd' }, data.set, { onProgress: (p) => void progress.push(p) });
    expect(result.steps).toBe(3);
    expect(progress.map((p) => [p.epoch, p.step, p.stepsPerEpoch])).toEqual([[0, 1, 1], [1, 1, 1], [2, 1, 1]]);
  });

  it('a batch larger than the set is one full batch; the last batch of an epoch may be short', async () => {
    await useTestBackend('wasm');
    expect((await train(LINEAR, { epochs: 2, batchSize: 10_000 })).result.steps).toBe(2);
    const progress: TrainProgress[] = [];
    await train(LINEAR, { epochs: 1, batchSize: 100 }, data.set, { onProgress: (p) => void progress.push(p) });
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('trains with sgd and adagrad as well as adam', async () => {
    await useTestBackend('wasm');
    for (const optimizer of ['sgd', 'adagrad'] as const) {
      const { result } = await train(LINEAR, { epochs: 3, batchSize: 16, learningRate: optimizer === 'sgd' ? 1 : 0.1, optimizer });
      expect(result.epochLosses[2]).toBeLessThan(result.epochLosses[0]);
    }
  });

  it('awaits onEpoch with each epoch’s mean loss', async () => {
    await useTestBackend('wasm');
    const seen: [number, number][] = [];
    const { result } = await train(LINEAR, { epochs: 3 }, data.set, {
      onEpoch: async (epoch, loss) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push([epoch, loss]);
      },
    });
    expect(seen).toEqual(result.epochLosses.map((loss, epoch) => [epoch, loss]));
  });

  it('stops between steps when the signal aborts, returning the work done so far', async () => {
    await useTestBackend('wasm');
    const controller = new AbortController();
    const { result } = await train(LINEAR, { epochs: 5, batchSize: 16 }, data.set, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step === 3) controller.abort();
      },
    });
    expect(result.steps).toBe(3);
    expect(result.epochLosses).toHaveLength(1); // the interrupted epoch's mean over its 3 steps
    expect(l2Norm(result.delta)).toBeGreaterThan(0);

    const early = new AbortController();
    early.abort();
    const none = await train(LINEAR, { epochs: 5 }, data.set, { signal: early.signal });
    expect(none.result.steps).toBe(0);
    expect(l2Norm(none.result.delta)).toBe(0);
    expect(none.result.loss).toBeNaN();
  });

  it('rejects an empty set and invalid options', async () => {
    await useTestBackend('wasm');
    const empty: FeaturizedSet = { size: 0, rowStart: new Int32Array(1), ids: new Int32Array(), values: new Float32Array(), labels: new Float32Array() };
    await expect(train(LINEAR, {}, empty)).rejects.toThrow('cannot train on an empty set');
    await expect(train(LINEAR, { epochs: 0 })).rejects.toThrow(/epochs/);
    await expect(train(LINEAR, { learningRate: -1 })).rejects.toThrow(/learningRate/);
  });
});

describe.each(TEST_BACKENDS)('trainLocal leaks no tensors on %s', (backend) => {
  it.each([LINEAR, BAG])('tf.memory().numTensors is unchanged after training and evaluating ($kind)', async (architecture) => {
    await useTestBackend(backend);
    const model = new SentimentModel(architecture, BUCKETS, initialParams(architecture, BUCKETS, 3));
    const before = tf.memory().numTensors;
    for (const optimizer of ['adam', 'sgd', 'adagrad'] as const) {
      await trainLocal(model, data.set, { epochs: 1, batchSize: 64, optimizer, mu: 0.1, l2: 0.001 });
      expect(tf.memory().numTensors).toBe(before);
    }
    const controller = new AbortController();
    await trainLocal(model, data.set, { epochs: 2, batchSize: 64 }, { signal: controller.signal, onProgress: () => controller.abort() });
    expect(tf.memory().numTensors).toBe(before);
    await evaluateModel(model, data.set);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('trainLocal under label skew (classBalance, logitAdjust)', () => {
  /** A 9:1 positive:negative set of reviews with no sentiment words at all: only the label mix can be learned. */
  function skewedNoise(): FeaturizedSet {
    const set = syntheticSet(200, 11, BUCKETS).set;
    const labels = set.labels.map((_, i) => (i % 10 === 0 ? 0 : 1));
    return { ...set, labels };
  }

  it('keeps a label-skewed client from pushing the model toward its own label mix', async () => {
    await useTestBackend('cpu');
    const set = skewedNoise();
    /** Mean score with each class counting half: what a logistic fit with an intercept drives to the (weighted) label mean. */
    const classMeanScore = async (counter: Pick<TrainOptionsInput, 'classBalance' | 'logitAdjust'>) => {
      const model = new SentimentModel(LINEAR, BUCKETS, initialParams(LINEAR, BUCKETS, 3));
      try {
        await trainLocal(model, set, { epochs: 3, batchSize: 20, learningRate: 0.05, seed: 2, ...counter });
        const scores = await predictSet(model, set);
        const mean = (label: number) => {
          const picked = scores.filter((_, i) => set.labels[i] === label);
          return picked.reduce((a, b) => a + b, 0) / picked.length;
        };
        return (mean(0) + mean(1)) / 2;
      } finally {
        model.dispose();
      }
    };
    // Unweighted, the 9:1 mix pulls every score up; weighted, both classes pull equally and the class mean sits near 1/2.
    expect(await classMeanScore({})).toBeGreaterThan(0.7);
    expect(Math.abs((await classMeanScore({ classBalance: true })) - 0.5)).toBeLessThan(0.1);
    // Logit-adjusted, the offset log(9) explains the mix during training, so the model itself learns nothing from it.
    expect(Math.abs((await classMeanScore({ logitAdjust: 1 })) - 0.5)).toBeLessThan(0.1);
  });

  it('logPriorRatio is log(p₁/p₀) with half a pseudo-count per class', () => {
    expect(logPriorRatio(new Float32Array([1, 1, 1, 0]))).toBeCloseTo(Math.log(3.5 / 1.5), 12);
    expect(logPriorRatio(new Float32Array([1, 0]))).toBe(0);
    expect(logPriorRatio(new Float32Array([0, 0, 0]))).toBeCloseTo(Math.log(0.5 / 3.5), 12);
  });
});

describe('trainLocal adamEpsilon', () => {
  it("scales Adam's steps down where gradients are far below ε", async () => {
    await useTestBackend('cpu');
    const norm = async (adamEpsilon?: number) => {
      const { params } = await train(LINEAR, { epochs: 1, batchSize: 40, learningRate: 0.05, seed: 1, adamEpsilon });
      return l2Norm(params);
    };
    // Starting from zero every step of default Adam is ≈ lr per coordinate; with ε = 1 (≫ every gradient here) a
    // step is lr · g / ε, a small fraction of that.
    const adam = await norm();
    const damped = await norm(1);
    expect(damped).toBeLessThan(adam / 5);
    expect(damped).toBeGreaterThan(0);
  });

  it('rejects an ε that is not positive', () => {
    expect(() => trainOptionsSchema.parse({ adamEpsilon: 0 })).toThrow();
  });
});

