import type { UplinkCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { tailLength, type DeltaLayout } from './layout.ts';
import { gatherRows, movedRows, scatterRows } from './moved-rows.ts';
import { expectBytes, getFloat32s, getUint32, getUint32s, putFloat32s, putUint32s, requireFinite, requireSortedIds, setUint32 } from './wire.ts';

/**
 * Only the rows that moved, exactly: uint32 row count k · k uint32 row ids (strictly increasing) · the k rows'
 * float32 values · the float32 tail (bias, head). A linear-model row is one value, so a row costs 8 bytes instead
 * of 4: smaller than float32 whenever fewer than half the rows moved (a 250-review client moves ~4 %).
 */
export const rowSparseCodec: UplinkCodec = {
  name: 'row-sparse',
  id: 4,
  lossless: true,
  encode(delta: Float32Array, layout: DeltaLayout, options, reserve: number) {
    const ids = movedRows(delta, layout, options.rows);
    const values = gatherRows(delta, layout, ids);
    const out = new Uint8Array(reserve + 4 + ids.length * 4 + values.length * 4);
    setUint32(out, reserve, ids.length);
    putUint32s(out, reserve + 4, ids);
    putFloat32s(out, reserve + 4 + ids.length * 4, values);
    return out;
  },
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array {
    const ids = readRowIds('row-sparse body', body, layout);
    const valueCount = ids.length * layout.rowWidth + tailLength(layout);
    const offset = 4 + ids.length * 4;
    expectBytes('row-sparse body', body.byteLength, offset + valueCount * 4);
    const values = getFloat32s(body, offset, valueCount);
    requireFinite('row-sparse body', values);
    return scatterRows(values, layout, ids);
  },
};

/** Reads the row count and ids that start both sparse bodies, checked: count within the model, ids sorted and in range. */
export function readRowIds(what: string, body: Uint8Array, layout: DeltaLayout): Uint32Array {
  if (body.byteLength < 4) throw new CodecError('short', `${what}: ${body.byteLength} bytes, no room for the row count`);
  const count = getUint32(body, 0);
  if (count > layout.rows) throw new CodecError('out-of-range', `${what}: ${count} rows, the model has ${layout.rows}`);
  if (body.byteLength < 4 + count * 4) throw new CodecError('short', `${what}: ${body.byteLength} bytes, too few for ${count} row ids`);
  const ids = getUint32s(body, 4, count);
  requireSortedIds(what, ids, layout.rows);
  return ids;
}
