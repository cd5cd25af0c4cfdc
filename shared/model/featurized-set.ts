import type { SparseVector } from '../text/hash-terms.ts';

/**
 * Featurized documents in compressed-sparse-row form: document i owns entries [rowStart[i], rowStart[i+1]).
 * One contiguous buffer instead of 25,000 small arrays keeps memory low and batches cheap to slice.
 */
export interface FeaturizedSet {
  size: number;
  rowStart: Int32Array;
  ids: Int32Array;
  values: Float32Array;
  /** 1 = positive, 0 = negative. */
  labels: Float32Array;
}

/** A batch ready for the model: every (document, id, value) triple, flattened. */
export interface SparseBatch {
  size: number;
  ids: Int32Array;
  values: Float32Array;
  /** Which document of the batch each entry belongs to. */
  segments: Int32Array;
  labels: Float32Array;
}

export function toFeaturizedSet(vectors: readonly SparseVector[], labels: ArrayLike<number>): FeaturizedSet {
  if (vectors.length !== labels.length) throw new Error(`${vectors.length} vectors but ${labels.length} labels`);
  const rowStart = new Int32Array(vectors.length + 1);
  for (let i = 0; i < vectors.length; i++) rowStart[i + 1] = rowStart[i] + vectors[i].ids.length;
  const ids = new Int32Array(rowStart[vectors.length]);
  const values = new Float32Array(rowStart[vectors.length]);
  for (let i = 0; i < vectors.length; i++) {
    ids.set(vectors[i].ids, rowStart[i]);
    values.set(vectors[i].values, rowStart[i]);
  }
  return { size: vectors.length, rowStart, ids, values, labels: Float32Array.from(labels) };
}

/** The rows `indices` of a set, as one batch. */
export function sliceBatch(set: FeaturizedSet, indices: ArrayLike<number>): SparseBatch {
  let nnz = 0;
  for (let i = 0; i < indices.length; i++) nnz += set.rowStart[indices[i] + 1] - set.rowStart[indices[i]];
  const ids = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const segments = new Int32Array(nnz);
  const labels = new Float32Array(indices.length);
  let at = 0;
  for (let b = 0; b < indices.length; b++) {
    const row = indices[b];
    const start = set.rowStart[row];
    const end = set.rowStart[row + 1];
    ids.set(set.ids.subarray(start, end), at);
    values.set(set.values.subarray(start, end), at);
    segments.fill(b, at, at + end - start);
    labels[b] = set.labels[row];
    at += end - start;
  }
  return { size: indices.length, ids, values, segments, labels };
}

/** Consecutive index ranges [0, n) in batches of `batchSize` (the last may be smaller). */
export function* rangeBatches(n: number, batchSize: number): Generator<Int32Array> {
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const indices = new Int32Array(end - start);
    for (let i = 0; i < indices.length; i++) indices[i] = start + i;
    yield indices;
  }
}
