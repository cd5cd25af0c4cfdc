import { tailLength, type DeltaLayout } from '../codecs/layout.ts';
import type { FeaturizedSet } from '../model/featurized-set.ts';

/**
 * The table rows a set's documents look up (the union of their hashed ids), ascending. Only these rows get a
 * non-zero gradient in a round; with fresh optimizer state every other row keeps zero moments and never moves.
 * O(ids + buckets): one mark per bucket, then one pass over the marks gives the rows already sorted.
 */
export function touchedRows(set: FeaturizedSet, buckets: number): Uint32Array {
  const marks = new Uint8Array(buckets);
  const ids = set.ids;
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 0 || id >= buckets) throw new Error(`feature id ${id} is outside the model's ${buckets} buckets`);
    if (marks[id] === 0) {
      marks[id] = 1;
      count++;
    }
  }
  const rows = new Uint32Array(count);
  let at = 0;
  for (let r = 0; r < buckets && at < count; r++) if (marks[r] === 1) rows[at++] = r;
  return rows;
}

/**
 * The same documents with every id replaced by its position in `rows` (which must hold all of them), so that a
 * model of `rows.length` rows reads them. Entry order is unchanged, so every per-row sum adds the same terms in
 * the same order as on the full table. Offsets, values and labels are shared with `set`, not copied.
 */
export function remapIds(set: FeaturizedSet, rows: Uint32Array, buckets: number): FeaturizedSet {
  const position = new Int32Array(buckets).fill(-1);
  for (let j = 0; j < rows.length; j++) position[rows[j]] = j;
  const ids = new Int32Array(set.ids.length);
  for (let i = 0; i < ids.length; i++) {
    const at = position[set.ids[i]];
    if (!(at >= 0)) throw new Error(`feature id ${set.ids[i]} is not among the rows given`);
    ids[i] = at;
  }
  return { ...set, ids };
}

/**
 * `base` with the rows `rows` (and the tail) replaced by `compact`'s, laid out as gatherRows lays them out: a
 * trained compact model written back into the full parameters.
 */
export function placeRows(base: Float32Array, compact: Float32Array, layout: DeltaLayout, rows: Uint32Array): Float32Array {
  const w = layout.rowWidth;
  if (compact.length !== rows.length * w + tailLength(layout)) throw new Error(`expected ${rows.length * w + tailLength(layout)} compact values, got ${compact.length}`);
  const out = base.slice();
  if (w === 1) for (let j = 0; j < rows.length; j++) out[rows[j]] = compact[j];
  else for (let j = 0; j < rows.length; j++) out.set(compact.subarray(j * w, j * w + w), rows[j] * w);
  out.set(compact.subarray(rows.length * w), layout.rows * w);
  return out;
}
