import { tailLength, type DeltaLayout } from './layout.ts';

/**
 * Ids of the rows with any non-zero value, ascending: the rows a client's training moved. With `candidates` (rows,
 * ascending, outside which the delta is known to be zero: what sparse local training reports) only those rows are
 * looked at, so a 250-review client's encoder checks ~40,000 rows instead of 2^20.
 */
export function movedRows(delta: Float32Array, layout: DeltaLayout, candidates?: Uint32Array): Uint32Array {
  const { rows, rowWidth } = layout;
  const scan = candidates ?? null;
  const count = scan ? scan.length : rows;
  const ids = new Uint32Array(count);
  let moved = 0;
  if (!scan && rowWidth === 1) {
    for (let r = 0; r < rows; r++) if (delta[r] !== 0) ids[moved++] = r;
    return ids.slice(0, moved);
  }
  for (let k = 0; k < count; k++) {
    const r = scan ? scan[k] : k;
    if (r >= rows) throw new Error(`candidate row ${r} is outside the model's ${rows} rows`);
    const start = r * rowWidth;
    for (let i = start; i < start + rowWidth; i++) {
      if (delta[i] !== 0) {
        ids[moved++] = r;
        break;
      }
    }
  }
  return ids.slice(0, moved);
}

/** The moved rows' values, row after row, then the tail: what the sparse codecs quantize or send. */
export function gatherRows(delta: Float32Array, layout: DeltaLayout, ids: Uint32Array): Float32Array {
  const w = layout.rowWidth;
  const tableEnd = layout.rows * w;
  const out = new Float32Array(ids.length * w + tailLength(layout));
  if (w === 1) for (let j = 0; j < ids.length; j++) out[j] = delta[ids[j]];
  else for (let j = 0; j < ids.length; j++) out.set(delta.subarray(ids[j] * w, ids[j] * w + w), j * w);
  out.set(delta.subarray(tableEnd), ids.length * w);
  return out;
}

/** The inverse of gatherRows: a dense delta, zero on the rows not listed. */
export function scatterRows(values: Float32Array, layout: DeltaLayout, ids: Uint32Array): Float32Array {
  const w = layout.rowWidth;
  const out = new Float32Array(layout.length);
  if (w === 1) for (let j = 0; j < ids.length; j++) out[ids[j]] = values[j];
  else for (let j = 0; j < ids.length; j++) out.set(values.subarray(j * w, j * w + w), ids[j] * w);
  out.set(values.subarray(ids.length * w), layout.rows * w);
  return out;
}
