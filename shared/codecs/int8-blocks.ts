import { CodecError } from './codec-error.ts';
import { expectBytes, getFloat32s, getUint32, putFloat32s, requireFinite, setUint32 } from './wire.ts';

/**
 * Block-scaled int8 with stochastic rounding, the body shared by the `int8` and `row-sparse-int8` codecs:
 *
 *   uint32 block size B · float32 scale per block (⌈n/B⌉) · int8 q per value (n), in −127…127
 *
 * A value is q·scale, with scale = max|v| / 127 over its block. Rounding v/scale up with probability equal to its
 * fractional part makes E[q·scale] = v exactly (unbiased: errors average out over clients and rounds instead of
 * drifting the model), with |error| < scale per value. −128 never appears, so the range stays symmetric.
 */
export const DEFAULT_BLOCK_SIZE = 256;
export const MAX_BLOCK_SIZE = 1 << 16;

export function int8BodyBytes(count: number, blockSize: number): number {
  return 4 + Math.ceil(count / blockSize) * 4 + count;
}

/** Writes the body of `values` at `offset` of `out` (which must have int8BodyBytes of room there). */
export function writeInt8Blocks(out: Uint8Array, offset: number, values: Float32Array, blockSize: number, random: () => number): void {
  if (!(Number.isInteger(blockSize) && blockSize >= 1 && blockSize <= MAX_BLOCK_SIZE)) {
    throw new RangeError(`int8 block size must be a whole number in 1…${MAX_BLOCK_SIZE}, got ${blockSize}`);
  }
  const blocks = Math.ceil(values.length / blockSize);
  const scales = new Float32Array(blocks);
  const q = new Int8Array(out.buffer, out.byteOffset + offset + 4 + blocks * 4, values.length);
  for (let b = 0; b < blocks; b++) {
    const start = b * blockSize;
    const end = Math.min(start + blockSize, values.length);
    let max = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(values[i]);
      if (a > max) max = a;
    }
    if (!Number.isFinite(max)) throw new CodecError('not-finite', `int8: a value in block ${b} is not finite`);
    // The scale as stored (float32), so that the rounding is unbiased against what the decoder multiplies by.
    const scale = Math.fround(max / 127);
    scales[b] = scale;
    if (scale === 0) continue;
    for (let i = start; i < end; i++) {
      let x = values[i] / scale;
      if (x > 127) x = 127;
      else if (x < -127) x = -127;
      const low = Math.floor(x);
      const fraction = x - low;
      // Values on the grid (the zeros of a sparse delta above all) need no random draw: saves most of the time.
      q[i] = fraction > 0 && random() < fraction ? low + 1 : low;
    }
  }
  setUint32(out, offset, blockSize);
  putFloat32s(out, offset + 4, scales);
}

/** Reads a body of exactly `count` values that fills `body`; throws CodecError on anything malformed. */
export function readInt8Blocks(what: string, body: Uint8Array, count: number): Float32Array {
  if (body.byteLength < 4) throw new CodecError('short', `${what}: ${body.byteLength} bytes, no room for the block size`);
  const blockSize = getUint32(body, 0);
  if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) throw new CodecError('out-of-range', `${what}: block size ${blockSize} is outside 1…${MAX_BLOCK_SIZE}`);
  expectBytes(what, body.byteLength, int8BodyBytes(count, blockSize));
  const blocks = Math.ceil(count / blockSize);
  const scales = getFloat32s(body, 4, blocks);
  for (let b = 0; b < blocks; b++) {
    const s = scales[b];
    // A scale that is negative or so large that 127·scale overflows float32 could only come from a broken or hostile client.
    if (!(s >= 0 && Number.isFinite(Math.fround(s * 127)))) throw new CodecError('bad-scale', `${what}: block ${b} has scale ${s}`);
  }
  const q = new Int8Array(body.buffer, body.byteOffset + 4 + blocks * 4, count);
  const out = new Float32Array(count);
  for (let b = 0; b < blocks; b++) {
    const scale = scales[b];
    const end = Math.min((b + 1) * blockSize, count);
    for (let i = b * blockSize; i < end; i++) {
      const v = q[i];
      if (v === -128) throw new CodecError('out-of-range', `${what}: value ${i} is −128 (the codec uses −127…127)`);
      out[i] = v * scale;
    }
  }
  requireFinite(what, out);
  return out;
}
