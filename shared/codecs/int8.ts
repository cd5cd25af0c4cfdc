import type { EncodeOptions, UplinkCodec } from './codec.ts';
import type { DeltaLayout } from './layout.ts';
import { DEFAULT_BLOCK_SIZE, int8BodyBytes, readInt8Blocks, writeInt8Blocks } from './int8-blocks.ts';

/** Every value as int8 with a float32 scale per block of 256: ~1.02 bytes a value (see int8-blocks.ts). */
export const int8Codec: UplinkCodec = {
  name: 'int8',
  id: 3,
  lossless: false,
  encode(delta: Float32Array, _layout: DeltaLayout, options: EncodeOptions, reserve: number) {
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    const out = new Uint8Array(reserve + int8BodyBytes(delta.length, blockSize));
    writeInt8Blocks(out, reserve, delta, blockSize, requireRandom(options));
    return out;
  },
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array {
    return readInt8Blocks('int8 body', body, layout.length);
  },
};

/** Stochastic rounding needs its random source from the caller (seeded in simulations). */
export function requireRandom(options: EncodeOptions): () => number {
  if (!options.random) throw new Error('int8 codecs need a random source (options.random) for stochastic rounding');
  return options.random;
}
