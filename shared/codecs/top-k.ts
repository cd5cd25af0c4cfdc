import type { EncodeOptions, UplinkCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { kthLargest } from './kth-largest.ts';
import type { DeltaLayout } from './layout.ts';
import { expectBytes, getFloat32s, getUint32, getUint32s, putFloat32s, putUint32s, requireFinite, requireSortedIds, setUint32 } from './wire.ts';

export const DEFAULT_TOP_K_FRACTION = 0.01;

/**
 * The k values of largest magnitude (k = ⌈fraction · n⌉, default 1 %), exactly: uint32 k · k uint32 value indices
 * (strictly increasing) · k float32 values. With error feedback (Stich et al. 2018; Karimireddy et al. 2019): the
 * client adds what earlier rounds left unsent to this round's delta before choosing, and keeps the remainder for
 * the next round, so every coordinate's movement is sent eventually instead of lost. The remainder lives in
 * `options.residual`, one per client, carried across rounds; a residual of another length (a new model) is dropped.
 */
export const topKCodec: UplinkCodec = {
  name: 'top-k',
  id: 6,
  lossless: false,
  encode(delta: Float32Array, _layout: DeltaLayout, options: EncodeOptions, reserve: number) {
    const n = delta.length;
    const fraction = options.topKFraction ?? DEFAULT_TOP_K_FRACTION;
    if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`top-k fraction must be in (0, 1], got ${fraction}`);
    const corrected = Float32Array.from(delta);
    const carried = options.residual?.values;
    if (carried && carried.length === n) for (let i = 0; i < n; i++) corrected[i] += carried[i];
    const { ids, values } = n === 0 ? { ids: new Uint32Array(0), values: new Float32Array(0) } : largest(corrected, Math.min(n, Math.ceil(fraction * n)));
    if (options.residual) {
      for (let j = 0; j < ids.length; j++) corrected[ids[j]] = 0;
      options.residual.values = corrected;
    }
    const out = new Uint8Array(reserve + 4 + ids.length * 8);
    setUint32(out, reserve, ids.length);
    putUint32s(out, reserve + 4, ids);
    putFloat32s(out, reserve + 4 + ids.length * 4, values);
    return out;
  },
  decode(body: Uint8Array, layout: DeltaLayout): Float32Array {
    if (body.byteLength < 4) throw new CodecError('short', `top-k body: ${body.byteLength} bytes, no room for the count`);
    const k = getUint32(body, 0);
    if (k > layout.length) throw new CodecError('out-of-range', `top-k body: ${k} values, the model has ${layout.length}`);
    expectBytes('top-k body', body.byteLength, 4 + k * 8);
    const ids = getUint32s(body, 4, k);
    requireSortedIds('top-k body', ids, layout.length);
    const values = getFloat32s(body, 4 + k * 4, k);
    requireFinite('top-k body', values);
    const out = new Float32Array(layout.length);
    for (let j = 0; j < k; j++) out[ids[j]] = values[j];
    return out;
  },
};

/** Indices (ascending) and values of the k largest |v|, zeros never chosen; ties at the threshold by lowest index. */
function largest(corrected: Float32Array, k: number): { ids: Uint32Array; values: Float32Array } {
  // Only non-zero values can be chosen, and a client's delta is mostly zeros: select among those alone.
  let nonZero = 0;
  for (let i = 0; i < corrected.length; i++) if (corrected[i] !== 0) nonZero++;
  const magnitudes = new Float32Array(nonZero);
  for (let i = 0, j = 0; i < corrected.length; i++) if (corrected[i] !== 0) magnitudes[j++] = Math.abs(corrected[i]);
  const threshold = nonZero === 0 ? 0 : kthLargest(magnitudes, Math.min(k, nonZero));
  let above = 0;
  for (let i = 0; i < corrected.length; i++) if (Math.abs(corrected[i]) > threshold) above++;
  let tiesLeft = threshold > 0 ? k - above : 0;
  const ids = new Uint32Array(above + tiesLeft);
  let count = 0;
  for (let i = 0; i < corrected.length; i++) {
    const a = Math.abs(corrected[i]);
    if (a > threshold || (a === threshold && tiesLeft > 0 && tiesLeft--)) ids[count++] = i;
  }
  const values = new Float32Array(count);
  for (let j = 0; j < count; j++) values[j] = corrected[ids[j]];
  return { ids: ids.subarray(0, count), values };
}
