import { decodeFloat32 } from '../model/binary-codec.ts';
import type { UplinkCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import type { DeltaLayout } from './layout.ts';
import { expectBytes, putFloat32s } from './wire.ts';

/** The reference: every value as IEEE float32, 4 bytes each, exact. */
export const float32Codec: UplinkCodec = {
  name: 'float32',
  id: 1,
  lossless: true,
  encode(delta: Float32Array, _layout: DeltaLayout, _options, reserve: number) {
    const out = new Uint8Array(reserve + delta.length * 4);
    putFloat32s(out, reserve, delta);
    return out;
  },
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array {
    expectBytes('float32 body', body.byteLength, layout.length * 4);
    try {
      // The payload is the message's own, read once and dropped: an aligned body is viewed in place, not copied.
      return decodeFloat32(body, layout.length, 'float32 body', { share: true });
    } catch (error) {
      throw new CodecError('not-finite', (error as Error).message);
    }
  },
};
