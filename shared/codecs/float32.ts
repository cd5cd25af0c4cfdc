import type { UplinkCodec } from './codec.ts';
import type { DeltaLayout } from './layout.ts';
import { expectBytes, getFloat32s, putFloat32s, requireFinite } from './wire.ts';

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
    const values = getFloat32s(body, 0, layout.length);
    requireFinite('float32 body', values);
    return values;
  },
};
