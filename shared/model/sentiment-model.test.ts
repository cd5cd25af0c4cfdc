import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { TEST_BACKENDS, useTestBackend } from '../train/test-fixtures.ts';
import type { SparseBatch } from './featurized-set.ts';
import { initialParams, SentimentModel } from './sentiment-model.ts';
import * as tf from './tfjs.ts';

/** A batch from per-document (id, value) lists; a document may be empty. */
function batchOf(docs: [number, number][][]): SparseBatch {
  const entries = docs.flatMap((doc, d) => doc.map(([id, value]) => ({ id, value, d })));
  return {
    size: docs.length,
    ids: Int32Array.from(entries, (e) => e.id),
    values: Float32Array.from(entries, (e) => e.value),
    segments: Int32Array.from(entries, (e) => e.d),
    labels: new Float32Array(docs.length),
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function expectClose(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 6));
}

describe.each(TEST_BACKENDS)('SentimentModel on %s', (backend) => {
  it('linear: logit = Σ value·w[id] + b, an empty document scores the bias', async () => {
    await useTestBackend(backend);
    // w[i] = (i + 1) / 10, b = -0.5.
    const params = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, -0.5]);
    const model = new SentimentModel({ kind: 'linear' }, 8, params);
    // doc 0: 2·w[1] + 0.5·w[3] - 0.5 = 0.4 + 0.2 - 0.5 = 0.1; doc 1: w[7] - 0.5 = 0.3; doc 2 (empty): -0.5;
    // doc 3 repeats id 0: 1·w[0] + 3·w[0] - 0.5 = -0.1.
    const batch = batchOf([[[1, 2], [3, 0.5]], [[7, 1]], [], [[0, 1], [0, 3]]]);
    const logits = model.logits(batch);
    expectClose(await logits.data(), [0.1, 0.3, -0.5, -0.1]);
    logits.dispose();
    expectClose(await model.predict(batch), [0.1, 0.3, -0.5, -0.1].map(sigmoid));
    model.dispose();
  });

  it('embedding bag: logit = (Σ value·E[id]) · h + b', async () => {
    await useTestBackend(backend);
    // E = [[1, 0], [0, 1], [1, 1], [2, -1]], h = [0.5, -1], b = 0.25, flattened in spec order.
    const params = Float32Array.from([1, 0, 0, 1, 1, 1, 2, -1, 0.5, -1, 0.25]);
    const model = new SentimentModel({ kind: 'embedding-bag', dims: 2 }, 4, params);
    // doc 0: E0 + 2·E2 = (3, 2) → 1.5 - 2 + 0.25 = -0.25;
    // doc 1: E3 + E1 + 0.5·E3 = (3, -0.5) → 1.5 + 0.5 + 0.25 = 2.25.
    const batch = batchOf([[[0, 1], [2, 2]], [[3, 1], [1, 1], [3, 0.5]]]);
    const logits = model.logits(batch);
    expectClose(await logits.data(), [-0.25, 2.25]);
    logits.dispose();
    expectClose(await model.predict(batch), [sigmoid(-0.25), sigmoid(2.25)]);
    model.dispose();
  });

  it('getParams returns what setParams set, as a copy', async () => {
    await useTestBackend(backend);
    const rng = new Rng(4);
    const model = new SentimentModel({ kind: 'embedding-bag', dims: 3 }, 16);
    expect(model.size).toBe(16 * 3 + 3 + 1);
    const params = Float32Array.from({ length: model.size }, () => rng.normal());
    model.setParams(params);
    const got = await model.getParams();
    expect(got).toEqual(params);
    got[0] = 1234;
    expect((await model.getParams())[0]).toBe(params[0]);
    expect(() => model.setParams(new Float32Array(5))).toThrow(`expected ${model.size} parameters, got 5`);
    model.dispose();
  });

  it('keeps its own copy of the parameters: changing the caller’s array later changes nothing', async () => {
    await useTestBackend(backend);
    const params = Float32Array.from([1, 2, 3, 4, 5]);
    const model = new SentimentModel({ kind: 'linear' }, 4, params);
    params.fill(0);
    expect(Array.from(await model.getParams())).toEqual([1, 2, 3, 4, 5]);
    const next = Float32Array.from([6, 7, 8, 9, 10]);
    model.setParams(next);
    next.fill(0);
    expect(Array.from(await model.getParams())).toEqual([6, 7, 8, 9, 10]);
    model.dispose();
  });

  it('frees every tensor it made: predictions leak nothing and dispose releases the variables', async () => {
    await useTestBackend(backend);
    const before = tf.memory().numTensors;
    const model = new SentimentModel({ kind: 'embedding-bag', dims: 2 }, 8);
    expect(tf.memory().numTensors).toBe(before + 3);
    await model.predict(batchOf([[[1, 1]], [[2, 0.5]]]));
    model.setParams(new Float32Array(model.size));
    await model.getParams();
    expect(tf.memory().numTensors).toBe(before + 3);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('initialParams', () => {
  it('starts the linear model at zero', () => {
    expect(initialParams({ kind: 'linear' }, 256, 9).every((v) => v === 0)).toBe(true);
  });

  it('starts the embedding bag small and random, the same for the same seed, zero bias', () => {
    const a = initialParams({ kind: 'embedding-bag', dims: 4 }, 256, 1);
    expect(a).toEqual(initialParams({ kind: 'embedding-bag', dims: 4 }, 256, 1));
    expect(a).not.toEqual(initialParams({ kind: 'embedding-bag', dims: 4 }, 256, 2));
    const table = a.subarray(0, 1024);
    const maxAbs = table.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbs).toBeGreaterThan(0);
    expect(maxAbs).toBeLessThan(0.06); // 0.01 standard deviation: 6σ is never reached in 1,024 draws
    expect(a[a.length - 1]).toBe(0);
  });
});
