import { describe, expect, it } from 'vitest';
import type { Architecture } from '../model/architecture.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';
import { paramCount, paramSpecs } from '../model/architecture.ts';
import { SentimentModel } from '../model/sentiment-model.ts';
import * as tf from '../model/tfjs.ts';
import { Rng } from '../random/rng.ts';
import type { TrainOptionsInput } from './options.ts';
import { syntheticSet, TEST_BACKENDS, useTestBackend } from './test-fixtures.ts';
import { trainLocal, type TrainHooks } from './train-local.ts';

/**
 * Sparse training (the default) against dense training (`sparse: false`, the reference): the same delta, loss and
 * trained model, bit for bit, for every option that keeps untouched rows still.
 */
const BUCKETS = 1 << 12;
const data = syntheticSet(200, 3, BUCKETS);
const LINEAR: Architecture = { kind: 'linear' };
const BAG: Architecture = { kind: 'embedding-bag', dims: 4 };

/** A non-zero start everywhere, as a global model after a few rounds is: a row that stays still must show it. */
function startParams(architecture: Architecture): Float32Array {
  const rng = new Rng(11);
  return Float32Array.from({ length: paramCount(paramSpecs(architecture, BUCKETS)) }, () => rng.normal() * 0.1);
}

async function train(architecture: Architecture, options: TrainOptionsInput, hooks: TrainHooks, set: FeaturizedSet = data.set) {
  const model = new SentimentModel(architecture, BUCKETS, startParams(architecture));
  const epochParams: Float32Array[] = [];
  try {
    const result = await trainLocal(model, set, options, { ...hooks, onEpoch: async () => void epochParams.push(await model.getParams()) });
    return { result, params: await model.getParams(), epochParams };
  } finally {
    model.dispose();
  }
}

const BASE = { epochs: 2, batchSize: 32, learningRate: 0.05, seed: 5 };
const CASES: [string, TrainOptionsInput][] = [
  ['adam', { ...BASE }],
  ['adam with ε', { ...BASE, adamEpsilon: 1e-3 }],
  ['sgd', { ...BASE, optimizer: 'sgd', learningRate: 0.5 }],
  ['adagrad', { ...BASE, optimizer: 'adagrad', learningRate: 0.1 }],
  ['FedProx mu', { ...BASE, mu: 0.5 }],
  ['logit adjustment', { ...BASE, logitAdjust: 2 }],
  ['class balance, full batch', { ...BASE, classBalance: true, batchSize: 0 }],
];

describe.each(TEST_BACKENDS)('sparse trainLocal equals dense on %s', (backend) => {
  describe.each([LINEAR, BAG])('$kind', (architecture) => {
    it.each(CASES)('%s', async (_name, options) => {
      await useTestBackend(backend);
      const dense = await train(architecture, options, { sparse: false });
      const sparse = await train(architecture, options, {});
      expect(dense.result.rows).toBeUndefined();
      expect(sparse.result.delta).toEqual(dense.result.delta);
      expect(sparse.result.epochLosses).toEqual(dense.result.epochLosses);
      expect(sparse.result.steps).toBe(dense.result.steps);
      expect(sparse.params).toEqual(dense.params);
      // The model holds each epoch's parameters when onEpoch runs (the central baseline evaluates it there).
      expect(sparse.epochParams).toEqual(dense.epochParams);

      // Untouched rows exist, and stay exactly still; the delta is non-zero only on the rows reported.
      const rows = sparse.result.rows!;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThan(BUCKETS);
      const width = architecture.kind === 'linear' ? 1 : architecture.dims;
      const listed = new Uint8Array(BUCKETS);
      for (const r of rows) listed[r] = 1;
      let movedElsewhere = 0;
      for (let r = 0; r < BUCKETS; r++) for (let j = 0; j < width; j++) if (!listed[r] && sparse.result.delta[r * width + j] !== 0) movedElsewhere++;
      expect(movedElsewhere).toBe(0);
      expect(sparse.result.delta.at(-1)).not.toBe(0); // the bias always trains
    });
  });
});

describe('sparse trainLocal with an L2 penalty', () => {
  it('trains dense: the penalty moves rows no document touches, and the result is the dense one', async () => {
    await useTestBackend('cpu');
    const options = { ...BASE, l2: 0.01 };
    const dense = await train(LINEAR, options, { sparse: false });
    const asked = await train(LINEAR, options, {});
    expect(asked.result.rows).toBeUndefined();
    expect(asked.result.delta).toEqual(dense.result.delta);
    // Rows outside the touched set moved: what a compact model would have missed.
    const touched = (await train(LINEAR, BASE, {})).result.rows!;
    const listed = new Set(touched);
    let untouchedMoved = 0;
    for (let r = 0; r < BUCKETS; r++) if (!listed.has(r) && dense.result.delta[r] !== 0) untouchedMoved++;
    expect(untouchedMoved).toBeGreaterThan(BUCKETS / 2);
  });
});

describe.each(TEST_BACKENDS)('sparse trainLocal on %s', (backend) => {
  it('stops on abort with the model holding the steps done, like dense', async () => {
    await useTestBackend(backend);
    const stopAt = (controller: AbortController): TrainHooks['onProgress'] => (p) => {
      if (p.step === 2) controller.abort();
    };
    const a = new AbortController();
    const dense = await train(LINEAR, BASE, { sparse: false, signal: a.signal, onProgress: stopAt(a) });
    const b = new AbortController();
    const sparse = await train(LINEAR, BASE, { signal: b.signal, onProgress: stopAt(b) });
    expect(sparse.result.steps).toBe(2);
    expect(sparse.params).toEqual(dense.params);
    expect(sparse.result.delta).toEqual(dense.result.delta);
  });

  it('leaves no tensor behind', async () => {
    await useTestBackend(backend);
    const model = new SentimentModel(BAG, BUCKETS, startParams(BAG));
    const before = tf.memory().numTensors;
    for (const optimizer of ['adam', 'sgd', 'adagrad'] as const) {
      await trainLocal(model, data.set, { epochs: 1, batchSize: 64, optimizer, mu: 0.1 }, { onEpoch: () => {} });
      expect(tf.memory().numTensors).toBe(before);
    }
    model.dispose();
  });

  it('trains the bias alone, densely, on a set of empty documents', async () => {
    await useTestBackend(backend);
    const empty: FeaturizedSet = { size: 2, rowStart: new Int32Array(3), ids: new Int32Array(), values: new Float32Array(), labels: Float32Array.from([1, 1]) };
    const { result } = await train(LINEAR, BASE, {}, empty);
    expect(result.rows).toBeUndefined();
    expect(result.delta.at(-1)).toBeGreaterThan(0);
    expect(result.delta.subarray(0, BUCKETS).every((v) => v === 0)).toBe(true);
  });
});
