import { tailLength, type DeltaLayout } from './layout.ts';

/** Ids of the rows with any non-zero value, ascending: the rows a client's training moved. */
export function movedRows(delta: Float32Array, layout: DeltaLayout): Uint32Array {
  const { rows, rowWidth } = layout;
  const ids = new Uint32Array(rows);
  let count = 0;
  if (rowWidth === 1) {
    for (let r = 0; r < rows; r++) if (delta[r] !== 0) ids[count++] = r;
  } else {
    for (let r = 0; r < rows; r++) {
      const start = r * rowWidth;
      for (let i = start; i < start + rowWidth; i++) {
        if (delta[i] !== 0) {
          ids[count++] = r;
          break;
        }
      }
    }
  }
  return ids.slice(0, count);
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
