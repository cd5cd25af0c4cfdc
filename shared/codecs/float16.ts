import type { UplinkCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import type { DeltaLayout } from './layout.ts';
import { expectBytes } from './wire.ts';

/**
 * IEEE half precision, 2 bytes a value: relative error ≤ 2^-11 for |v| ≥ 2^-14, absolute error ≤ 2^-25 below it
 * (subnormals). Node 20 has neither Float16Array nor DataView.setFloat16, hence the bit conversion here, checked
 * against every one of the 65,536 half values in the test.
 */
export const MAX_FLOAT16 = 65504;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → half bits, rounding to nearest even. Finite values beyond ±65504 are refused by the encoder. */
export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its hidden bit in, round to nearest even.
    if (e < -10) return sign;
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (rest > halfway || (rest === halfway && (half & 1)) ? half + 1 : half);
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and at the top, gives infinity).
  return sign | (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? half + 1 : half);
}

/** Every half value as float32, built once (256 KB): decoding is one table lookup a value. */
const halfToFloat = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) table[h] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) table[h] = mantissa ? NaN : sign * Infinity;
    else table[h] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
})();

export function fromHalfBits(bits: number): number {
  return halfToFloat[bits & 0xffff];
}

export const float16Codec: UplinkCodec = {
  name: 'float16',
  id: 2,
  lossless: false,
  encode(delta: Float32Array, _layout: DeltaLayout, _options, reserve: number) {
    const out = new Uint8Array(reserve + delta.length * 2);
    const view = new DataView(out.buffer, reserve);
    for (let i = 0; i < delta.length; i++) {
      const v = delta[i];
      if (!(Math.abs(v) <= MAX_FLOAT16)) throw new CodecError('out-of-range', `float16: value ${i} (${v}) is not representable (|v| ≤ ${MAX_FLOAT16})`);
      view.setUint16(i * 2, toHalfBits(v), true);
    }
    return out;
  },
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array {
    expectBytes('float16 body', body.byteLength, layout.length * 2);
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const out = new Float32Array(layout.length);
    for (let i = 0; i < out.length; i++) {
      const bits = view.getUint16(i * 2, true);
      // Exponent all ones: infinity or NaN.
      if ((bits & 0x7c00) === 0x7c00) throw new CodecError('not-finite', `float16 body: value ${i} is not finite`);
      out[i] = halfToFloat[bits];
    }
    return out;
  },
};
