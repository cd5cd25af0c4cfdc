import type { EncodeOptions, UplinkCodec } from './codec.ts';
import { requireRandom } from './int8.ts';
import { DEFAULT_BLOCK_SIZE, int8BodyBytes, readInt8Blocks, writeInt8Blocks } from './int8-blocks.ts';
import { tailLength, type DeltaLayout } from './layout.ts';
import { gatherRows, movedRows, scatterRows } from './moved-rows.ts';
import { readRowIds } from './row-sparse.ts';
import { putUint32s, setUint32 } from './wire.ts';

/**
 * The rows that moved, their values (and the tail) block-scaled to int8 with stochastic rounding: uint32 row count
 * k · k uint32 row ids · an int8 body (int8-blocks.ts) over the k rows' values followed by the tail. About 5 bytes a
 * moved row of the linear model, against 4 bytes for every row in float32.
 */
export const rowSparseInt8Codec: UplinkCodec = {
  name: 'row-sparse-int8',
  id: 5,
  lossless: false,
  encode(delta: Float32Array, layout: DeltaLayout, options: EncodeOptions, reserve: number) {
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    const ids = movedRows(delta, layout, options.rows);
    const values = gatherRows(delta, layout, ids);
    const out = new Uint8Array(reserve + 4 + ids.length * 4 + int8BodyBytes(values.length, blockSize));
    setUint32(out, reserve, ids.length);
    putUint32s(out, reserve + 4, ids);
    writeInt8Blocks(out, reserve + 4 + ids.length * 4, values, blockSize, requireRandom(options));
    return out;
  },
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array {
    const ids = readRowIds('row-sparse-int8 body', body, layout);
    const valueCount = ids.length * layout.rowWidth + tailLength(layout);
    const values = readInt8Blocks('row-sparse-int8 body', body.subarray(4 + ids.length * 4), valueCount);
    return scatterRows(values, layout, ids);
  },
};
