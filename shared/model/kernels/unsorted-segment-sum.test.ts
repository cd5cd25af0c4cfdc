import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../random/rng.ts';
import { TEST_BACKENDS, useTestBackend } from '../../train/test-fixtures.ts';
import * as tf from '../tfjs.ts';
import { registerSegmentSumKernel, segmentSum } from './unsorted-segment-sum.ts';

// tfjs's own cpu kernel, captured before our kernel replaces it (activateBackend installs ours).
const tfjsCpuKernel = tf.getKernel('UnsortedSegmentSum', 'cpu');

/** The definition, written as plainly as possible: out[s] = Σ_{i: ids[i] = s} x[i], ids outside [0, n) dropped. */
function naiveSegmentSum(x: number[][], ids: number[], numSegments: number): number[][] {
  const out = Array.from({ length: numSegments }, () => new Array<number>(x[0]?.length ?? 0).fill(0));
  ids.forEach((s, i) => {
    if (s >= 0 && s < numSegments) x[i].forEach((v, j) => (out[s][j] += v));
  });
  return out;
}

function randomCase(seed: number, rows: number, rowSize: number, numSegments: number) {
  const rng = new Rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: rowSize }, () => Math.fround(rng.normal())));
  const ids = Array.from({ length: rows }, () => rng.int(numSegments));
  return { x, ids };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance);
}

describe('segmentSum (the scatter-add itself)', () => {
  it('sums rows per segment: a hand-computed case', () => {
    // rows (1,2) (3,4) (5,6) (7,8) into segments 2, 0, 2, 1 of 3.
    const out = segmentSum(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 2, Int32Array.from([2, 0, 2, 1]), 3);
    expect(Array.from(out)).toEqual([3, 4, 7, 8, 6, 8]);
  });

  it('drops ids outside [0, numSegments) instead of writing out of bounds', () => {
    const out = segmentSum(Float32Array.from([1, 10, 100, 1000]), 1, Int32Array.from([-1, 0, 2, 5]), 2);
    expect(Array.from(out)).toEqual([10, 0]);
  });

  it('equals the naive definition on random data', () => {
    const { x, ids } = randomCase(7, 500, 3, 37);
    const out = segmentSum(Float32Array.from(x.flat()), 3, Int32Array.from(ids), 37);
    expectClose(out, naiveSegmentSum(x, ids, 37).flat());
  });
});

describe.each(TEST_BACKENDS)('UnsortedSegmentSum kernel on %s', (backend) => {
  it('is installed by activateBackend and equals the naive reference for 1-, 2- and 3-D inputs', async () => {
    await useTestBackend(backend);
    expect(registerSegmentSumKernel(backend)).toBe(true);
    const { x, ids } = randomCase(11, 400, 4, 50);
    const expected = naiveSegmentSum(x, ids, 50).flat();
    const segmentIds = tf.tensor1d(ids, 'int32');
    const asMatrix = tf.tensor2d(x);
    const asCube = tf.reshape(asMatrix, [400, 2, 2]);
    const asVector = tf.tensor1d(x.map((row) => row[0]));
    const sum2d = tf.unsortedSegmentSum(asMatrix, segmentIds, 50);
    const sum3d = tf.unsortedSegmentSum(asCube, segmentIds, 50);
    const sum1d = tf.unsortedSegmentSum(asVector, segmentIds, 50);
    expect(sum2d.shape).toEqual([50, 4]);
    expect(sum3d.shape).toEqual([50, 2, 2]);
    expect(sum1d.shape).toEqual([50]);
    expectClose(await sum2d.data(), expected);
    expectClose(await sum3d.data(), expected);
    expectClose(await sum1d.data(), naiveSegmentSum(x.map((row) => [row[0]]), ids, 50).flat());
    tf.dispose([segmentIds, asMatrix, asCube, asVector, sum2d, sum3d, sum1d]);
  });

  it('drops out-of-range segment ids', async () => {
    await useTestBackend(backend);
    const out = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([1, 7, -2], 'int32'), 2));
    expect(Array.from(await out.data())).toEqual([0, 0, 1, 2]);
    out.dispose();
  });

  it('rejects non-float inputs with a clear message', async () => {
    await useTestBackend(backend);
    const x = tf.tensor1d([1, 2], 'int32');
    const ids = tf.tensor1d([0, 1], 'int32');
    expect(() => tf.unsortedSegmentSum(x, ids, 2)).toThrow(/only float32 is supported, got int32/);
    tf.dispose([x, ids]);
  });

  it('gives the gradient of a gather: each table row collects the upstream gradients of its lookups', async () => {
    await useTestBackend(backend);
    // f(T) = Σ_k coeff[k] · T[ids[k]], so ∂f/∂T[r] = Σ_{k: ids[k] = r} coeff[k]:
    // row 1 is looked up by k = 0 and 2 → (1 + 5, 2 + 6) = (6, 8); row 3 by k = 1 → (3, 4); rows 0 and 2 are untouched.
    const table = tf.tensor2d([[0.5, -1], [2, 3], [4, 5], [-6, 7]]);
    const ids = tf.tensor1d([1, 3, 1], 'int32');
    const coeff = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), coeff)))(table);
    expect(grad.shape).toEqual([4, 2]);
    expect(Array.from(await grad.data())).toEqual([0, 0, 6, 8, 0, 0, 3, 4]);
    tf.dispose([table, ids, coeff, grad]);
  });
});

describe('our cpu kernel against tfjs-backend-cpu’s own', () => {
  afterAll(() => {
    registerSegmentSumKernel('cpu');
  });

  it.runIf(tfjsCpuKernel !== undefined)('gives the same sums as tfjs’s kernel on a tiny case', async () => {
    await useTestBackend('cpu');
    const { x, ids } = randomCase(3, 12, 3, 5);
    const run = async () => {
      const out = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), 5));
      const values = Array.from(await out.data());
      out.dispose();
      return values;
    };
    const ours = await run();
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    tf.registerKernel(tfjsCpuKernel!);
    const theirs = await run();
    registerSegmentSumKernel('cpu');
    expect(tf.getKernel('UnsortedSegmentSum', 'cpu')?.kernelFunc).not.toBe(tfjsCpuKernel!.kernelFunc);
    expectClose(ours, theirs, 1e-6);
  });
});
