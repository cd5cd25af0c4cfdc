import type { SparseVector } from './hash-terms.ts';

/**
 * Document frequencies: in how many documents each bucket occurs. IDF is derived from them, so they are an
 * explicit artifact of the model — computed centrally from a corpus, or as the sum of per-client counts in a
 * federated statistics round (clients send only these counts, never text).
 */
export interface DocFreq {
  numDocs: number;
  /** One count per bucket. */
  counts: Float64Array;
}

/** A client's contribution: counts only for the buckets its documents touch. */
export interface SparseDocFreq {
  numDocs: number;
  ids: Int32Array;
  counts: Uint32Array;
}

export function emptyDocFreq(buckets: number): DocFreq {
  return { numDocs: 0, counts: new Float64Array(buckets) };
}

/** Adds one document's (deduplicated) term ids. */
export function addDocument(df: DocFreq, terms: SparseVector): void {
  df.numDocs++;
  for (let i = 0; i < terms.ids.length; i++) df.counts[terms.ids[i]]++;
}

export function countDocFreq(docs: Iterable<SparseVector>, buckets: number): DocFreq {
  const df = emptyDocFreq(buckets);
  for (const doc of docs) addDocument(df, doc);
  return df;
}

export function toSparseDocFreq(df: DocFreq): SparseDocFreq {
  let nonZero = 0;
  for (let i = 0; i < df.counts.length; i++) if (df.counts[i] > 0) nonZero++;
  const ids = new Int32Array(nonZero);
  const counts = new Uint32Array(nonZero);
  for (let i = 0, j = 0; i < df.counts.length; i++) {
    if (df.counts[i] > 0) {
      ids[j] = i;
      counts[j++] = df.counts[i];
    }
  }
  return { numDocs: df.numDocs, ids, counts };
}

/**
 * The federated sum: the server adds each client's sparse counts into the global ones. The whole report is
 * checked before anything is added, so a bad report is rejected without changing the global counts.
 */
export function mergeSparseDocFreq(into: DocFreq, part: SparseDocFreq): void {
  if (!Number.isInteger(part.numDocs) || part.numDocs < 0) throw new Error(`document count must be a whole number >= 0, got ${part.numDocs}`);
  if (part.ids.length !== part.counts.length) throw new Error('document-frequency ids and counts differ in length');
  for (let i = 0; i < part.ids.length; i++) {
    const id = part.ids[i];
    if (!(id >= 0 && id < into.counts.length)) throw new Error(`document-frequency bucket ${id} out of range`);
    if (i > 0 && id <= part.ids[i - 1]) throw new Error('document-frequency ids must be strictly increasing (no duplicates)');
    if (part.counts[i] > part.numDocs) throw new Error(`bucket ${id} occurs in more documents than were counted`);
  }
  for (let i = 0; i < part.ids.length; i++) into.counts[part.ids[i]] += part.counts[i];
  into.numDocs += part.numDocs;
}

/** Smoothed IDF, as scikit-learn's TfidfTransformer: ln((1 + n) / (1 + df)) + 1, so unseen buckets get the largest weight. */
export function inverseDocFreq(df: DocFreq): Float32Array {
  const idf = new Float32Array(df.counts.length);
  const n = df.numDocs;
  for (let i = 0; i < idf.length; i++) idf[i] = Math.log((1 + n) / (1 + df.counts[i])) + 1;
  return idf;
}
